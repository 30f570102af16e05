/**
 * The whole payment, as a merchant's app makes it: catalog → initiate → process →
 * the customer on the hosted checkout page → lookup → verification of the return.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CatalogDocument,
  InitiatePaymentDocument,
  ProcessPaymentDocument,
  TransactionDocument,
  VerifyPaymentReturnDocument,
} from '../../examples/gql/graphql.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

async function catalogPick(code: string) {
  const { data } = await stack.gql(CatalogDocument);
  const currency = data.currencies.find((c) => c.code === code)!;
  const method = currency.paymentMethods.find((m) => m.isActive)!;
  return { currency, method };
}

/** Initiates and processes a payment; returns the transaction id and checkout URL. */
async function initiateAndProcess(amount: string, code = 'INR') {
  const { currency, method } = await catalogPick(code);
  const referenceNumber = newReference();
  const initiated = await stack.gql(InitiatePaymentDocument, {
    input: { currencyId: currency.id, paymentMethodId: method.id, amount, referenceNumber, redirectUrl: 'https://shop.example/return?cart=42' },
  });
  const result = initiated.data.initiateTransaction;
  if (result.__typename !== 'InitiateTransactionSuccess') throw new Error(`initiate failed: ${JSON.stringify(result)}`);

  const processed = await stack.gql(ProcessPaymentDocument, { input: { signature: result.signature } });
  const order = processed.data.processTransaction;
  if (order.__typename !== 'ProcessTransactionSuccess') throw new Error(`process failed: ${JSON.stringify(order)}`);
  return { transaction: result.transaction, referenceNumber, order };
}

/** Presses a button on the hosted checkout page, as the customer's browser would. */
async function checkout(checkoutUrl: string, action: 'pay' | 'decline'): Promise<URL> {
  const page = await fetch(checkoutUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/Pay/);
  return pressCheckout(checkoutUrl, action);
}

describe('a payment from catalog to verified return', () => {
  it('lists active currencies with their payment methods, amounts of every type', async () => {
    const { data } = await stack.gql(CatalogDocument);
    const codes = data.currencies.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['INR', 'USD', 'EUR', 'USDT']));
    expect(data.currencies.every((c) => c.paymentMethods.length >= 1)).toBe(true);
    expect(data.currencies.find((c) => c.code === 'USDT')?.type).toBe('CRYPTO');
    const all = await stack.gql('{ currencies(includeInactive: true) { code isActive } }');
    expect(all.data.currencies.some((c: { isActive: boolean }) => !c.isActive)).toBe(true);
    expect(all.data.currencies.length).toBeGreaterThan(data.currencies.length);
  });

  it('looks a currency up by code and by id, and its payment methods directly', async () => {
    const { currency } = await catalogPick('EUR');
    const byCode = await stack.gql('query($c: String) { currency(code: $c) { id code } }', { c: 'eur' });
    expect(byCode.data.currency).toEqual({ id: currency.id, code: 'EUR' });
    const byId = await stack.gql('query($id: ID) { currency(id: $id) { code } }', { id: currency.id });
    expect(byId.data.currency.code).toBe('EUR');
    const methods = await stack.gql('query($id: ID!) { paymentMethods(currencyId: $id) { id name } }', { id: currency.id });
    expect(methods.data.paymentMethods.map((m: { id: string }) => m.id)).toEqual(currency.paymentMethods.map((m) => m.id));
  });

  it('pays: initiate → process → hosted checkout → SUCCESS, verified', async () => {
    const { transaction, referenceNumber, order } = await initiateAndProcess('345.67');
    expect(transaction).toMatchObject({ status: 'INITIATED', amount: '345.67', currencyCode: 'INR', referenceNumber });
    expect(transaction.id).toMatch(/^tx_[A-Za-z0-9]{9}$/);
    expect(order.providerOrderId).toBeTruthy();
    expect(order.order).toMatchObject({ id: order.providerOrderId });

    const beforePaying = await stack.gql(TransactionDocument, { id: transaction.id });
    expect(beforePaying.data.transaction?.status).toBe('PROCESSING');

    const returnUrl = await checkout(order.checkoutUrl!, 'pay');
    expect(returnUrl.origin + returnUrl.pathname).toBe('https://shop.example/return');
    expect(returnUrl.searchParams.get('cart')).toBe('42');
    expect(returnUrl.searchParams.get('payment_status')).toBe('success');
    expect(returnUrl.searchParams.get('kspay_id')).toBe(transaction.id);

    const lookup = await stack.gql(TransactionDocument, { id: transaction.id });
    expect(lookup.data.transaction).toMatchObject({
      id: transaction.id,
      status: 'SUCCESS',
      amount: '345.67',
      referenceNumber,
      currency: { code: 'INR' },
      providerPaymentId: returnUrl.searchParams.get('provider_payment_id'),
    });
    expect(lookup.data.transaction?.paymentMethod?.name).toBeTruthy();

    const verification = await stack.gql(VerifyPaymentReturnDocument, {
      kspayId: returnUrl.searchParams.get('kspay_id')!,
      paymentStatus: returnUrl.searchParams.get('payment_status')!,
      providerPaymentId: returnUrl.searchParams.get('provider_payment_id'),
    });
    expect(verification.data.verifyPaymentReturn).toMatchObject({
      verified: true,
      mismatch: false,
      claimedStatus: 'success',
      transaction: { id: transaction.id, status: 'SUCCESS' },
    });
  });

  it('declines: the return says failed, and a forged "success" for it is a mismatch', async () => {
    const { transaction, order } = await initiateAndProcess('10.5', 'USD');
    const returnUrl = await checkout(order.checkoutUrl!, 'decline');
    expect(returnUrl.searchParams.get('payment_status')).toBe('failed');

    const honest = await stack.gql(VerifyPaymentReturnDocument, { kspayId: transaction.id, paymentStatus: 'failed' });
    expect(honest.data.verifyPaymentReturn).toMatchObject({ verified: true, mismatch: false, transaction: { status: 'FAILED' } });

    const forged = await stack.gql(VerifyPaymentReturnDocument, { kspayId: transaction.id, paymentStatus: 'success' });
    expect(forged.data.verifyPaymentReturn).toMatchObject({ verified: false, mismatch: true, transaction: { status: 'FAILED' } });
  });

  it('calls an unpaid transaction with a claimed success a mismatch, and an unknown id unverified', async () => {
    const { transaction } = await initiateAndProcess('1', 'EUR');
    const early = await stack.gql(VerifyPaymentReturnDocument, { kspayId: transaction.id, paymentStatus: 'success' });
    expect(early.data.verifyPaymentReturn).toMatchObject({ verified: false, mismatch: true, transaction: { status: 'PROCESSING' } });

    const unknown = await stack.gql(VerifyPaymentReturnDocument, { kspayId: 'tx_Nope12345', paymentStatus: 'success' });
    expect(unknown.data.verifyPaymentReturn).toEqual({
      __typename: 'PaymentReturnVerification',
      verified: false,
      mismatch: true,
      claimedStatus: 'success',
      transaction: null,
    });
  });

  it('keeps crypto amounts exact to six places', async () => {
    const { transaction } = await initiateAndProcess('0.000001', 'USDT');
    expect(transaction.amount).toBe('0.000001');
    const stored = stack.sandbox.transactions.list().find((t) => t.id === transaction.id);
    expect(stored).toBeTruthy();
    const lookup = await stack.gql(TransactionDocument, { id: transaction.id });
    expect(lookup.data.transaction?.amount).toBe('0.000001');
  });

  it('answers null for a well-formed id KS Pay does not know', async () => {
    const { data, errors } = await stack.gql(TransactionDocument, { id: 'tx_Missing01' });
    expect(errors).toBeUndefined();
    expect(data.transaction).toBeNull();
  });

  it('pages through transactions with cursors, newest first', async () => {
    for (let i = 0; i < 5; i++) await initiateAndProcess(`${i + 1}.00`, 'INR');
    const first = await stack.gql('query { transactions(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { node { id createdAt } } } }');
    const page1 = first.data.transactions;
    expect(page1.edges).toHaveLength(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.totalCount).toBeGreaterThanOrEqual(5);

    const next = await stack.gql('query($after: String) { transactions(first: 3, after: $after) { pageInfo { hasPreviousPage } edges { node { id } } } }', {
      after: page1.pageInfo.endCursor,
    });
    const page2Ids = next.data.transactions.edges.map((e: { node: { id: string } }) => e.node.id);
    const page1Ids = page1.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(page2Ids.length).toBeGreaterThan(0);
    expect(page2Ids.some((id: string) => page1Ids.includes(id))).toBe(false);
    expect(next.data.transactions.pageInfo.hasPreviousPage).toBe(true);

    // Walking the whole list with first=2 visits every transaction exactly once.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await stack.gql(
        'query($after: String) { transactions(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }',
        { after },
      );
      seen.push(...page.data.transactions.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data.transactions.pageInfo.hasNextPage ? page.data.transactions.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(page1.totalCount);
  });
});
