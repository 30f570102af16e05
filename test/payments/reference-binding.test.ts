/**
 * Finding 4: a referenceNumber belongs to the API key that first used it. Another key
 * sending it, with the same input or not, is an IDEMPOTENCY_CONFLICT with no upstream call
 * and nothing of the first key's transaction in its answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A, AS_B } from '../support/presets.js';
import { currencyAndMethod, initiateAs, type InitiateInput } from '../support/payment-steps.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

type Answer = Awaited<ReturnType<typeof initiateAs>>;

/** B's answer is a conflict that shows nothing of A's payment. */
function expectRefusedWithoutLeak(answer: Answer, reference: string, ofA: Answer) {
  expect(answer).toEqual({
    __typename: 'IdempotencyConflictError',
    code: 'IDEMPOTENCY_CONFLICT',
    message: expect.any(String),
    referenceNumber: reference,
  });
  const text = JSON.stringify(answer);
  expect(text).not.toContain(ofA.signature);
  expect(text).not.toContain(ofA.transaction.id);
}

describe('a key reusing another client’s reference: one gateway, two API keys', () => {
  let stack: Stack;
  let input: () => InitiateInput;

  beforeAll(async () => {
    stack = await startStack({ preset: 'production' });
    const inr = await currencyAndMethod(stack, 'INR');
    input = () => ({ ...inr, amount: '250.00', referenceNumber: newReference('bound'), redirectUrl: 'https://shop.example/r' });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.calls.reset());

  it("refuses key B the same input under key A's reference: no transaction, no signature, no upstream call", async () => {
    const request = input();
    const ofA = await initiateAs(stack, AS_A, request);
    expect(ofA.__typename).toBe('InitiateTransactionSuccess');

    expectRefusedWithoutLeak(await initiateAs(stack, AS_B, request), request.referenceNumber, ofA);
    expectRefusedWithoutLeak(await initiateAs(stack, AS_B, { ...request, amount: '1' }), request.referenceNumber, ofA);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);

    // A's own replay still works, untouched by B's attempts.
    expect(await initiateAs(stack, AS_A, request)).toEqual(ofA);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it('binds a reference to whichever key used it first: B cannot take it over from A later, nor A from B', async () => {
    const request = input();
    const ofB = await initiateAs(stack, AS_B, request);
    expect(ofB.__typename).toBe('InitiateTransactionSuccess');
    expectRefusedWithoutLeak(await initiateAs(stack, AS_A, request), request.referenceNumber, ofB);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it('gives a reference sent by both keys at once to exactly one of them', async () => {
    stack.sandbox.faults.set({ latencyMs: 50 });
    try {
      const request = input();
      const answers = await Promise.all([AS_A, AS_B, AS_A, AS_B].map((key) => initiateAs(stack, key, request)));
      const won = answers.filter((a) => a.__typename === 'InitiateTransactionSuccess');
      const refused = answers.filter((a) => a.__typename === 'IdempotencyConflictError');
      expect(won).toHaveLength(2); // both requests of the winning key
      expect(won[1]).toEqual(won[0]);
      expect(refused).toHaveLength(2);
      for (const answer of refused) expectRefusedWithoutLeak(answer, request.referenceNumber, won[0]);
      expect(stack.sandbox.calls.count('initiate')).toBe(1);
    } finally {
      stack.sandbox.faults.reset();
    }
  });
});

describe('a key reusing another client’s reference: two gateways on one Redis', () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let first: Stack;
  let second: Stack;

  beforeAll(async () => {
    redis = await startRedisServer();
    sandbox = await startSandbox();
    first = await startStack({ preset: 'production', env: { REDIS_URL: redis.url }, sharedSandbox: sandbox });
    second = await startStack({ preset: 'production', env: { REDIS_URL: redis.url }, sharedSandbox: sandbox });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it("keep the owner in the shared record: key B on the other instance is refused key A's reference", async () => {
    const inr = await currencyAndMethod(first, 'INR');
    const request = { ...inr, amount: '12.34', referenceNumber: newReference('bound-redis'), redirectUrl: 'https://shop.example/r' };
    const ofA = await initiateAs(first, AS_A, request);
    expect(ofA.__typename).toBe('InitiateTransactionSuccess');
    sandbox.calls.reset();

    expectRefusedWithoutLeak(await initiateAs(second, AS_B, request), request.referenceNumber, ofA);
    expect(await initiateAs(second, AS_A, request)).toEqual(ofA);
    expect(sandbox.calls.count('initiate')).toBe(0);
  });
});
