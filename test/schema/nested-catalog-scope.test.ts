/**
 * Issue 26, finding 8: a transactions:read-only key was refused `currencies` but read every
 * currency and payment method through `transaction { currency { paymentMethods } }`. Currency
 * and PaymentMethod now ask for catalog:read wherever they appear: nested under a
 * transaction, such a key gets null and FORBIDDEN, and no catalog read goes upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type FetchStack } from '../support/stack.js';
import { initiateAs } from '../support/payment-steps.js';
import { CATALOG } from '../support/documents.js';

const ALL = 'all-scopes-key-0123456789';
const READER = 'transactions-reader-0123456789';
const AS_ALL = { authorization: `Bearer ${ALL}` };
const AS_READER = { authorization: `Bearer ${READER}` };

const NESTED = `query($id: ID!) { transaction(id: $id) {
  id status
  currency { code paymentMethods { id name } }
  paymentMethod { id name }
} }`;

let stack: FetchStack;
let transactionId: string;
beforeAll(async () => {
  stack = await startStack({
    preset: 'production',
    transport: 'fetch',
    env: { GATEWAY_API_KEYS: JSON.stringify({ [ALL]: ['*'], [READER]: ['transactions:read'] }) },
  });
  const initiated = await initiateAs(stack, AS_ALL, {
    ...(await catalogIds()),
    amount: '10.00',
    referenceNumber: newReference('scope'),
    redirectUrl: 'https://shop.example/r',
  });
  transactionId = initiated.transaction.id;
});
afterAll(() => stack.close());

async function catalogIds() {
  const { data } = await stack.gql(CATALOG, undefined, AS_ALL);
  const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
  return { currencyId: inr.id, paymentMethodId: inr.paymentMethods[0].id };
}

describe('a key reaching past its scopes', () => {
  it('a transactions:read key reads the transaction, not the catalog through it: null and FORBIDDEN, no catalog call', async () => {
    expect((await stack.gql('{ currencies { code } }', undefined, AS_READER)).errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    stack.app.cache.clear(); // so that a catalog read would have to go upstream
    stack.sandbox.calls.reset();
    const answer = await stack.gql(NESTED, { id: transactionId }, AS_READER);
    expect(answer.data.transaction).toMatchObject({ id: transactionId, currency: null, paymentMethod: null });
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(answer.errors!.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(answer)).not.toMatch(/"INR"|"name"/);
    expect(stack.sandbox.calls.count('currencies') + stack.sandbox.calls.count('paymentMethods')).toBe(0);
  });

  it('a key with catalog:read reads them nested as before', async () => {
    const answer = await stack.gql(NESTED, { id: transactionId }, AS_ALL);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.transaction.currency.code).toBe('INR');
    expect(answer.data.transaction.paymentMethod.id).toEqual(expect.any(String));
  });
});
