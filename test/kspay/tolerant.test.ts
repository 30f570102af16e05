/**
 * The gateway over a server that answers in the other documented shapes: bare bodies
 * without the envelope, initiate's signature-only result, the list as a bare array,
 * unknown extra fields, missing optional ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { CATALOG, PROCESS } from '../support/documents.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  stack.sandbox.shapes.set({ envelope: false, initiate: 'signatureOnly', list: 'bare', extraFields: true });
});
afterAll(() => stack.close());

const INITIATE = `mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) {
  __typename ... on InitiateTransactionSuccess { signature transaction { id amount status referenceNumber currency { code } } } ... on Error { code message } } }`;

describe('the other documented response shapes', () => {
  it('runs the whole flow', async () => {
    const { data } = await stack.gql(CATALOG);
    const eur = data.currencies.find((c: { code: string }) => c.code === 'EUR');
    expect(eur.paymentMethods.length).toBeGreaterThan(0);

    // Signature-only: the gateway finds the new transaction by its reference.
    const referenceNumber = newReference('shape');
    const initiated = await stack.gql(INITIATE, {
      input: { currencyId: eur.id, paymentMethodId: eur.paymentMethods[0].id, amount: '5.05', referenceNumber, redirectUrl: 'https://shop.example/r' },
    });
    const result = initiated.data.initiateTransaction;
    expect(result).toMatchObject({ __typename: 'InitiateTransactionSuccess', transaction: { amount: '5.05', referenceNumber, currency: { code: 'EUR' } } });
    expect(stack.sandbox.transactions.byReference(stack.sandbox.credentials.appId, referenceNumber)[0]!.id).toBe(result.transaction.id);

    const processed = await stack.gql(PROCESS, { input: { signature: result.signature } });
    await pressCheckout(processed.data.processTransaction.checkoutUrl, 'pay');
    const lookup = await stack.gql('query($id: ID!) { transaction(id: $id) { status providerPaymentId } }', { id: result.transaction.id });
    expect(lookup.data.transaction.status).toBe('SUCCESS');
  });

  it('pages a bare-array list with cursors, slicing it in the gateway', async () => {
    const first = await stack.gql('{ transactions(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }');
    expect(first.data.transactions.edges).toHaveLength(1);
    expect(first.data.transactions.totalCount).toBe(stack.sandbox.transactions.list().length);
  });

  it('reads missing optional fields as null', async () => {
    stack.sandbox.shapes.set({ omitOptional: true });
    stack.app.cache.clear();
    try {
      const { data } = await stack.gql('{ currencies(includeInactive: true) { code createdAt } }');
      expect(data.currencies.every((c: { createdAt: unknown }) => c.createdAt === null)).toBe(true);
    } finally {
      stack.sandbox.shapes.set({ omitOptional: false });
    }
  });
});
