/**
 * initiateTransaction is idempotent on referenceNumber: one upstream transaction per
 * reference, whatever the retries, the concurrency, or the faults in between.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { CATALOG, INITIATE } from '../support/documents.js';

let stack: Stack;
let base: { currencyId: string; paymentMethodId: string; amount: string; redirectUrl: string };
let other: { currencyId: string; paymentMethodId: string };

beforeAll(async () => {
  // A short upstream timeout keeps the "no answer" cases fast.
  stack = await startStack({ env: { KSPAY_TIMEOUT_MS: '800' } });
  const { data } = await stack.gql(CATALOG);
  const [inr, usd] = ['INR', 'USD'].map((code) => data.currencies.find((c: { code: string }) => c.code === code));
  base = { currencyId: inr.id, paymentMethodId: inr.paymentMethods[0].id, amount: '250.00', redirectUrl: 'https://shop.example/r' };
  other = { currencyId: usd.id, paymentMethodId: usd.paymentMethods[0].id };
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());
afterEach(() => stack.sandbox.faults.reset());

const initiate = (input: Record<string, unknown>) => stack.gql(INITIATE, { input }).then((r) => r.data.initiateTransaction);
const upstreamCopies = (reference: string) => stack.sandbox.transactions.byReference(stack.sandbox.credentials.appId, reference).length;

describe('the same input again', () => {
  it('returns the same transaction and signature, sequentially, with one upstream initiate', async () => {
    const input = { ...base, referenceNumber: newReference() };
    const first = await initiate(input);
    const second = await initiate(input);
    const third = await initiate({ ...input, amount: '250' }); // the same amount, written differently
    expect(first.__typename).toBe('InitiateTransactionSuccess');
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });

  it('returns the same transaction to 20 concurrent requests, with one upstream initiate', async () => {
    stack.sandbox.faults.set({ latencyMs: 50 });
    const input = { ...base, referenceNumber: newReference() };
    const results = await Promise.all(Array.from({ length: 20 }, () => initiate(input)));
    expect(results.every((r) => r.__typename === 'InitiateTransactionSuccess')).toBe(true);
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.signature)).size).toBe(1);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });

  it('keeps references of different merchants apart only by app id, never by chance', async () => {
    const a = await initiate({ ...base, referenceNumber: newReference('a') });
    const b = await initiate({ ...base, referenceNumber: newReference('b') });
    expect(a.transaction.id).not.toBe(b.transaction.id);
    expect(stack.sandbox.calls.count('initiate')).toBe(2);
  });
});

describe('the same reference with different input', () => {
  it.each([
    ['amount', { amount: '251.00' }],
    ['currency and method', 'other'],
    ['payment method', { paymentMethodId: 'pm_Different' }],
    ['redirect URL', { redirectUrl: 'https://shop.example/elsewhere' }],
  ] as const)('with a different %s is an IDEMPOTENCY_CONFLICT with no upstream call', async (_name, change) => {
    const input = { ...base, referenceNumber: newReference() };
    expect((await initiate(input)).__typename).toBe('InitiateTransactionSuccess');
    stack.sandbox.calls.reset();
    const changed = change === 'other' ? { ...input, ...other } : { ...input, ...change };
    const result = await initiate(changed);
    expect(result).toMatchObject({ __typename: 'IdempotencyConflictError', code: 'IDEMPOTENCY_CONFLICT', referenceNumber: input.referenceNumber });
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});

describe('an upstream rejection', () => {
  it('is remembered: the same retry gets the same typed error with no second upstream call', async () => {
    const input = { ...base, referenceNumber: newReference(), amount: '1.001' };
    const first = await initiate(input);
    expect(first).toMatchObject({ __typename: 'ValidationError', upstreamCode: -19, field: 'input.amount' });
    const again = await initiate(input);
    expect(again).toEqual(first);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it('is remembered for a forced KS Pay refusal too (12001)', async () => {
    stack.sandbox.faults.set({ forceError: { initiate: { status: 404, code: 12001, message: 'Payment method not found', times: 1 } } });
    const input = { ...base, referenceNumber: newReference() };
    const first = await initiate(input);
    expect(first).toMatchObject({ __typename: 'UpstreamRejectedError', code: 'UPSTREAM_REJECTED', upstreamCode: 12001, field: 'input.paymentMethodId' });
    expect(await initiate(input)).toEqual(first);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });
});

describe('an unknown outcome', () => {
  it('adopts nothing twice: a dropped response after commit ends with exactly one upstream transaction', async () => {
    stack.sandbox.faults.set({ dropAfterCommit: { initiate: 1 } });
    const input = { ...base, referenceNumber: newReference() };
    const first = await initiate(input);
    // The gateway looked the reference up instead of re-sending the initiate.
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
    expect(stack.sandbox.calls.count('transactions')).toBeGreaterThanOrEqual(1);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
    // The documented list body carries no signature, so the transaction cannot be processed:
    // the client is told so, with the transaction id, and never gets a second payment.
    expect(first).toMatchObject({ __typename: 'SignatureInvalidError', code: 'SIGNATURE_INVALID', reason: 'LOST' });
    const stored = stack.sandbox.transactions.byReference(stack.sandbox.credentials.appId, input.referenceNumber)[0];
    expect(first.message).toContain(stored!.id);

    const again = await initiate(input);
    expect(again).toEqual(first);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });

  it('retries once when the lost attempt did not land (timeout before commit)', async () => {
    stack.sandbox.faults.set({ hang: { initiate: 1 } });
    const input = { ...base, referenceNumber: newReference() };
    const result = await initiate(input);
    expect(result.__typename).toBe('InitiateTransactionSuccess');
    expect(stack.sandbox.calls.count('initiate')).toBe(2);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });

  it('answers UPSTREAM_UNAVAILABLE retryable when it cannot tell, and the same call later resolves it', async () => {
    stack.sandbox.faults.set({ hang: { initiate: 2, transactions: 20 } });
    const input = { ...base, referenceNumber: newReference() };
    const result = await initiate(input);
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(upstreamCopies(input.referenceNumber)).toBe(0);

    stack.sandbox.faults.reset();
    const later = await initiate(input);
    expect(later.__typename).toBe('InitiateTransactionSuccess');
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
    expect(await initiate(input)).toEqual(later);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });

  it('never retries when the upstream answered 500: it looks the reference up first', async () => {
    stack.sandbox.faults.set({ forceError: { initiate: { status: 500, code: 26, times: 1 } } });
    const input = { ...base, referenceNumber: newReference() };
    const result = await initiate(input);
    expect(result.__typename).toBe('InitiateTransactionSuccess');
    expect(stack.sandbox.calls.count('transactions')).toBeGreaterThanOrEqual(1);
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });

  it('frees the reference when KS Pay certainly did nothing (429), so a retry succeeds', async () => {
    stack.sandbox.faults.set({ rateLimit: { initiate: { retryAfterSeconds: 1, times: 1 } } });
    const input = { ...base, referenceNumber: newReference() };
    const limited = await initiate(input);
    expect(limited).toMatchObject({ __typename: 'UpstreamUnavailableError', retryable: true });
    const retried = await initiate(input);
    expect(retried.__typename).toBe('InitiateTransactionSuccess');
    expect(upstreamCopies(input.referenceNumber)).toBe(1);
  });
});
