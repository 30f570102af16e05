/**
 * A newer status is never stuck behind an older one: an event that failed an attempt while a
 * later status of its transaction is queued is SUPERSEDED, so the final status goes out
 * without waiting out the older one's backoff; what is delivered stays in order. On both
 * outboxes: in process, and Redis (its Lua scripts).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { payAndLeave } from '../support/webhook-payments.js';
import { SECRET, startReceiver, waitFor, type Answer, type TestReceiver } from '../support/webhook-receiver.js';

const DELIVERIES = `query($tx: ID) { webhookDeliveries(transactionId: $tx) {
  edges { node { id type deliveries { state attempts nextRetryAt } } } } }`;
const TYPES = ['transaction.initiated', 'transaction.processing', 'transaction.succeeded'];
const rank = (type: string) => TYPES.indexOf(type);

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

async function flushRedis(): Promise<void> {
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
}

/** A gateway whose failed deliveries wait `retryMs` before their next attempt, and its receiver. */
async function startGatewayAndReceiver(store: 'memory' | 'redis', answer: Answer, retryMs: number): Promise<{ stack: Stack; receiver: TestReceiver }> {
  if (store === 'redis') await flushRedis();
  const receiver = await startReceiver(answer);
  const env: Record<string, string> = { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, ...(store === 'redis' && { REDIS_URL: redis.url }) };
  const delivery = { tickMs: 50, firstRetryMs: retryMs, maxRetryDelayMs: retryMs };
  const stack = await startStack({ env, overrides: { webhooks: { watch: { tickMs: 50, firstPollMs: 100, maxPollMs: 400 }, delivery } } });
  return { stack, receiver };
}

async function deliveryStates(stack: Stack, transactionId: string): Promise<Map<string, string>> {
  const { data } = await stack.gql(DELIVERIES, { tx: transactionId });
  return new Map(data.webhookDeliveries.edges.map((e: any) => [e.node.type, e.node.deliveries[0].state]));
}

/** What reached the receiver for one transaction: requests never go back to an older status, each delivered event once. */
function expectInOrder(receiver: TestReceiver, transactionId: string): void {
  const sent = receiver.requests.filter((r) => r.transactionId === transactionId).map((r) => rank(r.type));
  expect(sent).toEqual([...sent].sort((a, b) => a - b));
  const delivered = receiver
    .delivered()
    .filter((r) => r.transactionId === transactionId)
    .map((r) => rank(r.type));
  expect(new Set(delivered).size).toBe(delivered.length);
}

describe.each(['memory', 'redis'] as const)('superseding, outbox %s', (store) => {
  it('a receiver failing every initiated event still gets the final one at once; the initiated one shows SUPERSEDED', async () => {
    // A minute's backoff: without superseding, the later events would wait it out behind the initiated one.
    const { stack, receiver } = await startGatewayAndReceiver(store, (r) => (r.type === 'transaction.initiated' ? 500 : 200), 60_000);
    try {
      const payment = await payAndLeave(stack);
      await waitFor('transaction.succeeded', () => receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.succeeded'));
      const states = await waitFor('the initiated event superseded', async () => {
        const found = await deliveryStates(stack, payment.id);
        return found.get('transaction.initiated') === 'SUPERSEDED' ? found : null;
      });
      expect(states.get('transaction.succeeded')).toBe('DELIVERED');
      expect(['DELIVERED', 'SUPERSEDED']).toContain(states.get('transaction.processing'));
      // The initiated event got its one attempt, no retry.
      expect(receiver.requests.filter((r) => r.transactionId === payment.id && r.type === 'transaction.initiated')).toHaveLength(1);
      expectInOrder(receiver, payment.id);
    } finally {
      await stack.close();
      await receiver.stop();
    }
  });

  it('a receiver failing 30% of requests gets every final event once, never an older status after a newer one', async () => {
    // Every third, sixth and tenth request of ten fails; retries come soon, so finals that fail are retried too.
    const { stack, receiver } = await startGatewayAndReceiver(store, (_request, index) => ([2, 5, 9].includes(index % 10) ? 503 : 200), 200);
    try {
      const payments = await Promise.all(Array.from({ length: 12 }, () => payAndLeave(stack)));
      for (const payment of payments) {
        await waitFor(
          `transaction.succeeded of ${payment.id}`,
          () => receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.succeeded'),
          30_000,
        );
      }
      expect(receiver.requests.filter((r) => r.answered === 503).length).toBeGreaterThan(0);
      for (const payment of payments) {
        expectInOrder(receiver, payment.id);
        const states = await deliveryStates(stack, payment.id);
        expect(states.get('transaction.succeeded')).toBe('DELIVERED');
        // Nothing left waiting: each earlier event was delivered or gave way.
        for (const [type, state] of states) expect(['DELIVERED', 'SUPERSEDED'], type).toContain(state);
      }
    } finally {
      await stack.close();
      await receiver.stop();
    }
  }, 60_000);
});
