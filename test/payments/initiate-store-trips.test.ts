/**
 * What one new payment costs the idempotency store (Redis), watched with MONITOR: the
 * claim's record is read once, created, and settled, with no renewal of a lease taken
 * moments before the send. A replay still answers the same transaction: exactly once.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { initiate, paymentInput } from '../support/payment-answers.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let redis: RedisServer;
let sandbox: Sandbox;
let stack: Stack;
let input: Record<string, string>;

beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startRedisServer({ persistence: false }), startSandbox()]);
  stack = await startStack({ sharedSandbox: sandbox, env: { REDIS_URL: redis.url } });
  input = await paymentInput(stack.gql);
  // Scripts loaded and connections made before counting.
  await initiate(stack.gql, { ...input, referenceNumber: newReference('warm') });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
  await redis?.stop();
});

describe('a new payment and the idempotency store', () => {
  it('costs three round trips on its reference (read, create, then settle and ledger together) and replays the same transaction', async () => {
    const referenceNumber = newReference('trips');
    // monitor() opens a connection of its own: both are closed below.
    const connection = new Redis(redis.url);
    const monitor = await connection.monitor();
    const onReference: string[] = [];
    // Commands the gateway sent (not those its scripts ran inside Redis) that name this reference.
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (!source.includes('lua') && args.some((arg) => arg.includes(`|${referenceNumber}`))) onReference.push(String(args[0]).toLowerCase());
    });
    try {
      const answer = await initiate(stack.gql, { ...input, referenceNumber });
      expect(answer.__typename).toBe('InitiateTransactionSuccess');
      const replay = await initiate(stack.gql, { ...input, referenceNumber });
      expect(replay.transaction?.id).toBe(answer.transaction?.id);
      // MONITOR reports commands as Redis runs them: wait for the replay's read, the last one.
      await vi.waitUntil(() => onReference.length >= 5, { timeout: 5_000, interval: 5 });
      // The payment: read, create the claim, settle it (scripts), note it in the ledger; the replay: one read.
      expect(onReference).toEqual(['get', 'evalsha', 'evalsha', 'zadd', 'get']);
      expect(sandbox.transactions.byReference(sandbox.credentials.appId, referenceNumber)).toHaveLength(1);
    } finally {
      monitor.disconnect();
      connection.disconnect();
    }
  });
});
