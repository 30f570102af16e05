/**
 * The store forgets, the merchant still hears: paid transactions wait for delivery (the
 * receiver refuses), then the outbox is lost (Redis FLUSHALL; Redis restarted without
 * persistence; a gateway without Redis restarted). The sweep re-derives each transaction's
 * final status from KS Pay under the id it had, transactionsNeedingAttention lists it until
 * it is delivered, and the receiver gets it once.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { payAndLeave } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';

const ATTENTION = '{ transactionsNeedingAttention(first: 100) { transactionId status reason eventId } }';
const PAYMENTS = 8;

let redis: RedisServer;
let receiver: TestReceiver;
let refusing = true;
let sandbox: Sandbox;
const stacks: Stack[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  receiver = await startReceiver(() => (refusing ? 503 : 200));
});
afterAll(async () => {
  await receiver?.stop();
  await redis?.stop();
});
beforeEach(async () => {
  refusing = true;
  sandbox = await startSandbox();
});
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
  await sandbox.close();
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
});

async function gateway(env: Record<string, string>, sweepIntervalMs = 600_000): Promise<Stack> {
  const stack = await startStack({
    sharedSandbox: sandbox,
    env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, ...env },
    overrides: { webhooks: { ...FAST, sweep: { intervalMs: sweepIntervalMs } } },
  });
  stacks.push(stack);
  return stack;
}

/** Pays PAYMENTS transactions; resolves once each final event has been tried (and refused): transaction id → its event id. */
async function paidAndWaiting(stack: Stack): Promise<Map<string, string>> {
  const payments = await Promise.all(Array.from({ length: PAYMENTS }, () => payAndLeave(stack)));
  const ids = new Map<string, string>();
  for (const { id } of payments) {
    const attempt = await waitFor('a refused transaction.succeeded', () =>
      receiver.requests.find((r) => r.transactionId === id && r.type === 'transaction.succeeded'),
    );
    ids.set(id, attempt.eventId);
  }
  return ids;
}

async function undeliveredListed(stack: Stack): Promise<Map<string, { status: string; eventId: string }>> {
  const { data } = await stack.gql(ATTENTION);
  return new Map(data.transactionsNeedingAttention.filter((a: any) => a.reason === 'UNDELIVERED').map((a: any) => [a.transactionId, a]));
}

/** Once the receiver accepts again: each final event delivered exactly once, under the id it had before the loss. */
async function expectEachFinalDeliveredOnce(stack: Stack, originals: Map<string, string>): Promise<void> {
  refusing = false;
  for (const [transactionId, eventId] of originals) {
    await waitFor('the re-derived final event delivered', () => receiver.delivered().some((r) => r.transactionId === transactionId));
    const delivered = receiver.delivered().filter((r) => r.transactionId === transactionId);
    expect(delivered.map((r) => [r.type, r.eventId])).toEqual([['transaction.succeeded', eventId]]);
  }
  await waitFor('nothing left undelivered', async () => (await undeliveredListed(stack)).size === 0);
}

describe('webhooks through a store that forgets', () => {
  it('Redis FLUSHALL while final events wait: a sweep re-derives them (same ids), lists them, delivers each once', async () => {
    const stack = await gateway({ REDIS_URL: redis.url });
    const originals = await paidAndWaiting(stack);
    expect([...(await undeliveredListed(stack)).keys()].sort()).toEqual([...originals.keys()].sort());

    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
    // The outbox forgot them: nothing to deliver, nothing shown.
    expect((await undeliveredListed(stack)).size).toBe(0);

    const result = await stack.app.webhooks.sweep('test: Redis lost its data');
    expect(result).toMatchObject({ outcome: 'complete', examined: PAYMENTS, created: PAYMENTS });
    // Before delivery: each is listed, with the event id it always had.
    const listed = await undeliveredListed(stack);
    for (const [transactionId, eventId] of originals) expect(listed.get(transactionId)).toMatchObject({ status: 'SUCCESS', eventId });

    await expectEachFinalDeliveredOnce(stack, originals);
    // A second sweep finds every status already has its event: nothing new, nothing sent again.
    expect(await stack.app.webhooks.sweep('test: again')).toMatchObject({ outcome: 'complete', created: 0 });
  });

  it('Redis restarted without persistence: the scheduled sweep re-derives every final event', async () => {
    const stack = await gateway({ REDIS_URL: redis.url }, 1_000);
    const originals = await paidAndWaiting(stack);
    await redis.stop();
    await redis.start();
    await waitFor('every final event re-derived and listed', async () => {
      const listed = await undeliveredListed(stack).catch(() => new Map());
      return [...originals].every(([id, eventId]) => listed.get(id)?.eventId === eventId);
    });
    await expectEachFinalDeliveredOnce(stack, originals);
  });

  it('a gateway without Redis restarted: its sweep at start re-derives what the old process held', async () => {
    const first = await gateway({});
    const originals = await paidAndWaiting(first);
    await first.close();
    stacks.splice(stacks.indexOf(first), 1);

    const second = await gateway({});
    await waitFor('every final event re-derived and listed', async () => {
      const listed = await undeliveredListed(second);
      return [...originals].every(([id, eventId]) => listed.get(id)?.eventId === eventId);
    });
    await expectEachFinalDeliveredOnce(second, originals);
  });
});
