/**
 * Every bad input gets a typed VALIDATION error that names the field, and no call
 * reaches KS Pay. Schema-level: through yoga's fetch, against a real sandbox.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InitiatePaymentDocument } from '../../examples/gql/graphql.js';
import { startStack, type FetchStack } from '../support/stack.js';
import { newReference } from '../support/references.js';
import { CATALOG } from '../support/documents.js';

let stack: FetchStack;
let valid: { currencyId: string; paymentMethodId: string; amount: string; referenceNumber: string; redirectUrl: string };

beforeAll(async () => {
  stack = await startStack({ transport: 'fetch' });
  const { data } = await stack.gql(CATALOG);
  const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
  valid = {
    currencyId: inr.id,
    paymentMethodId: inr.paymentMethods[0].id,
    amount: '100.00',
    referenceNumber: 'unused',
    redirectUrl: 'https://shop.example/return',
  };
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

async function initiateWith(change: Partial<typeof valid>) {
  const response = await stack.gql(InitiatePaymentDocument, { input: { ...valid, referenceNumber: newReference(), ...change } });
  return response.data.initiateTransaction as { __typename: string; code?: string; field?: string; message?: string };
}

describe('initiateTransaction input validation', () => {
  const cases: [string, Partial<typeof valid>, string][] = [
    ['a zero amount', { amount: '0' }, 'input.amount'],
    ['a negative amount', { amount: '-5.00' }, 'input.amount'],
    ['an amount that is not a decimal', { amount: '12,50' }, 'input.amount'],
    ['an amount in exponent notation', { amount: '1e3' }, 'input.amount'],
    ['an amount with 9 decimal places', { amount: '1.123456789' }, 'input.amount'],
    ['an empty amount', { amount: '' }, 'input.amount'],
    ['a currency id with the wrong prefix', { currencyId: 'pm_WkmEe23Le' }, 'input.currencyId'],
    ['a currency id of the wrong length', { currencyId: 'c_short' }, 'input.currencyId'],
    ['a payment method id with symbols', { paymentMethodId: 'pm_Mk55VG$F!' }, 'input.paymentMethodId'],
    ['a relative redirect URL', { redirectUrl: '/return' }, 'input.redirectUrl'],
    ['a non-http redirect URL', { redirectUrl: 'javascript:alert(1)' }, 'input.redirectUrl'],
    ['an empty reference', { referenceNumber: '' }, 'input.referenceNumber'],
    ['a 65-character reference', { referenceNumber: 'x'.repeat(65) }, 'input.referenceNumber'],
    ['a reference with a control character', { referenceNumber: 'order\n1' }, 'input.referenceNumber'],
    ['a reference with a leading space', { referenceNumber: ' order-1' }, 'input.referenceNumber'],
  ];

  it.each(cases)('refuses %s, naming the field, with no upstream call', async (_name, change, field) => {
    const result = await initiateWith(change);
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field });
    expect(result.message).toContain(field);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('accepts 8 decimal places and a 64-character reference (the edges are inclusive)', async () => {
    const result = await initiateWith({ referenceNumber: 'r'.repeat(64), amount: '5' });
    expect(result.__typename).toBe('InitiateTransactionSuccess');
  });

  it('refuses a float amount before execution: it has already lost precision', async () => {
    const response = await stack.gql(
      'mutation { initiateTransaction(input: { currencyId: "c_x", paymentMethodId: "pm_y", amount: 1.5, referenceNumber: "r", redirectUrl: "https://a.b" }) { __typename } }',
    );
    expect(response.errors?.[0]!.message).toMatch(/Decimal/);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it("passes the currency's own decimal places to KS Pay, whose -19 becomes a typed VALIDATION", async () => {
    const response = await stack.gql(
      'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { __typename ... on ValidationError { code field upstreamCode } } }',
      { input: { ...valid, referenceNumber: newReference(), amount: '1.001' } },
    );
    expect(response.data.initiateTransaction).toEqual({ __typename: 'ValidationError', code: 'VALIDATION', field: 'input.amount', upstreamCode: -19 });
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });
});

describe('processTransaction input validation', () => {
  it.each([
    ['empty', ''],
    ['with spaces', 'abc def ghi jkl mno'],
    ['too short', 'abc'],
  ])('refuses a signature that is %s, with no upstream call', async (_name, signature) => {
    const response = await stack.gql(
      'mutation($s: String!) { processTransaction(input: { signature: $s }) { __typename ... on ValidationError { code field } } }',
      { s: signature },
    );
    expect(response.data.processTransaction).toEqual({ __typename: 'ValidationError', code: 'VALIDATION', field: 'input.signature' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});

describe('query input validation', () => {
  it('refuses a malformed transaction id with a VALIDATION error and no upstream call', async () => {
    const response = await stack.gql('{ transaction(id: "tx_bad") { id } }');
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'id' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses a malformed currency id for paymentMethods', async () => {
    const response = await stack.gql('{ paymentMethods(currencyId: "cur_1") { id } }');
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'currencyId' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses a malformed kspayId in verifyPaymentReturn', async () => {
    const response = await stack.gql('{ verifyPaymentReturn(kspayId: "123", paymentStatus: "success") { verified } }');
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'kspayId' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it.each([
    ['first over 100', 'first: 101', 'first'],
    ['first of zero', 'first: 0', 'first'],
    ['a forged cursor', 'after: "bm90LWEtY3Vyc29y"', 'after'],
    ['from after to', 'from: "2024-02-01T00:00:00Z", to: "2024-01-01T00:00:00Z"', 'from'],
    ['a range over 90 days', 'from: "2024-01-01T00:00:00Z", to: "2024-06-01T00:00:00Z"', 'to'],
    ['to without from', 'to: "2024-01-01T00:00:00Z"', 'from'],
    ['a future from', 'from: "2999-01-01T00:00:00Z"', 'from'],
  ])('refuses transactions with %s', async (_name, args, field) => {
    const response = await stack.gql(`{ transactions(${args}) { totalCount } }`);
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field });
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses a malformed DateTime', async () => {
    const response = await stack.gql('{ transactions(from: "yesterday") { totalCount } }');
    expect(response.errors?.[0]!.message).toMatch(/DateTime/);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('asks for exactly one of id or code in currency()', async () => {
    const response = await stack.gql('{ currency { id } }');
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'id' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});
