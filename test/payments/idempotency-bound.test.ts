/**
 * Finding 11b: the in-process idempotency store is bounded (IDEMPOTENCY_MAX_RECORDS).
 * When full it refuses a NEW reference with a retryable UPSTREAM_UNAVAILABLE and no
 * upstream call; it never forgets a live record, so replays keep working; expired
 * records are swept before anything is refused.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { IdempotencyRecord } from '../../src/payments/idempotency.js';
import { MemoryIdempotencyStore } from '../../src/stores/memory.js';
import { IdempotencyStoreFullError } from '../../src/stores/types.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A, AS_B } from '../support/presets.js';
import { currencyAndMethod, initiateAs, type InitiateInput } from '../support/payment-steps.js';

describe('a client flooding new references: a gateway with IDEMPOTENCY_MAX_RECORDS=3', () => {
  let stack: Stack;
  let input: () => InitiateInput;

  beforeAll(async () => {
    stack = await startStack({ preset: 'production', env: { IDEMPOTENCY_MAX_RECORDS: '3' } });
    const inr = await currencyAndMethod(stack, 'INR');
    input = () => ({ ...inr, amount: '99.00', referenceNumber: newReference('bound'), redirectUrl: 'https://shop.example/r' });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.calls.reset());

  it('does not count a reference KS Pay certainly did not take (429): it is freed, not kept', async () => {
    stack.sandbox.faults.set({ rateLimit: { initiate: { retryAfterSeconds: 1, times: 1 } } });
    try {
      expect(await initiateAs(stack, AS_A, input())).toMatchObject({ __typename: 'UpstreamUnavailableError', retryable: true });
    } finally {
      stack.sandbox.faults.reset();
    }
  });

  it('takes three references, then refuses a fourth as retryable UPSTREAM_UNAVAILABLE with no upstream call', async () => {
    const taken = [input(), input(), input()];
    const answers = [];
    for (const request of taken) answers.push(await initiateAs(stack, AS_A, request));
    expect(answers.map((a) => a.__typename)).toEqual(Array(3).fill('InitiateTransactionSuccess'));
    expect(stack.sandbox.calls.count('initiate')).toBe(3);

    for (const key of [AS_A, AS_B]) {
      const refused = await initiateAs(stack, key, input());
      expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      expect(refused.message).toMatch(/idempotency capacity/);
      expect(refused).not.toHaveProperty('signature');
    }
    expect(stack.sandbox.calls.count('initiate')).toBe(3);

    // Nothing live was forgotten: every taken reference still replays, and still guards its input.
    for (const [i, request] of taken.entries()) expect(await initiateAs(stack, AS_A, request)).toEqual(answers[i]);
    expect(await initiateAs(stack, AS_A, { ...taken[0]!, amount: '1.00' })).toMatchObject({ __typename: 'IdempotencyConflictError' });
    expect(await initiateAs(stack, AS_B, taken[1]!)).toMatchObject({ __typename: 'IdempotencyConflictError' });
    expect(stack.sandbox.calls.count('initiate')).toBe(3);
  });
});

describe('a client flooding new references: the in-process store when full', () => {
  const TTL = 1_000;
  let clock: number;
  let store: MemoryIdempotencyStore;
  const record = (createdAt: number): IdempotencyRecord => ({
    state: 'claimed',
    version: 1,
    fingerprint: 'f',
    owner: 'o',
    createdAt,
    claimedAt: createdAt,
    abandonedAt: null,
  });

  beforeEach(() => {
    clock = 0;
    store?.close();
    store = new MemoryIdempotencyStore({ maxRecords: 2, now: () => clock });
  });
  afterAll(() => store.close());

  it('refuses a new key, but still answers for the keys it holds', async () => {
    expect(await store.create('a', record(0), TTL)).toBe(true);
    expect(await store.create('b', record(0), TTL)).toBe(true);
    await expect(store.create('c', record(0), TTL)).rejects.toBeInstanceOf(IdempotencyStoreFullError);
    expect(await store.create('a', record(0), TTL)).toBe(false); // held, not an error
    expect(await store.get('a')).toEqual(record(0));
    expect(await store.replace('a', { ...record(0), state: 'unknown', version: 2, abandonedAt: 0 }, TTL)).toBe(true); // progress is never refused
    expect(store.size).toBe(2);
  });

  it('sweeps expired records before refusing, and never drops a live one', async () => {
    await store.create('old', record(0), TTL);
    clock = 500;
    await store.create('live', record(500), TTL);
    clock = 1_000; // 'old' has expired, 'live' has 500 ms left
    expect(await store.create('new', record(1_000), TTL)).toBe(true);
    await expect(store.create('another', record(1_000), TTL)).rejects.toBeInstanceOf(IdempotencyStoreFullError);
    expect(await store.get('live')).toEqual(record(500));
    expect(await store.get('old')).toBeNull();
  });

  it('frees the place of a deleted record', async () => {
    await store.create('a', record(0), TTL);
    await store.create('b', record(0), TTL);
    expect(await store.remove('a', 1)).toBe(true);
    expect(await store.create('c', record(0), TTL)).toBe(true);
  });
});

describe('a client flooding new references: IDEMPOTENCY_MAX_RECORDS', () => {
  it('defaults to 100000 and must be a positive whole number', () => {
    expect(loadConfig({}).payments.idempotencyMaxRecords).toBe(100_000);
    expect(loadConfig({ IDEMPOTENCY_MAX_RECORDS: '3' }).payments.idempotencyMaxRecords).toBe(3);
    expect(() => loadConfig({ IDEMPOTENCY_MAX_RECORDS: '0' })).toThrow(/^IDEMPOTENCY_MAX_RECORDS: /);
  });
});
