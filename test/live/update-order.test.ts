/**
 * Live updates reach a subscriber through Redis from every instance, so they may arrive out
 * of order: an instance's PROCESSING, then another's INITIATED published late (a poll
 * answered before the process call). A subscriber never sees an older status after a newer
 * one (the state machine's order: INITIATED → PROCESSING → SUCCESS | FAILED), on one Redis and
 * on a Cluster. The late delivery is made on purpose: the gateway's own PROCESSING message,
 * taken off the channel, is published again as INITIATED.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { paymentInput } from '../support/payment-answers.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { REDIS_TOPOLOGIES, startRedisTopology, untilRedisUp, type RedisUnderTest } from '../support/redis-topologies.js';
import { subscribe } from '../support/sse.js';
import { INITIATE, PROCESS, VERIFY, WATCH } from '../support/documents.js';

describe.each(REDIS_TOPOLOGIES)('live updates delivered out of order on %s Redis', (kind) => {
  let redis: RedisUnderTest;
  let sandbox: Sandbox;
  let gateway: Stack;
  let input: Record<string, string>;

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedisTopology(kind), startSandbox()]);
    // It never polls during the test: every update comes through the channel.
    const poll = { minIntervalMs: 60_000, maxIntervalMs: 60_000 };
    gateway = await startStack({ sharedSandbox: sandbox, env: redis.env, overrides: { live: { poll }, observability: { dependencyCheckCacheMs: 0 } } });
    await untilRedisUp(gateway.url);
    input = await paymentInput(gateway.gql);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it('a subscriber that saw PROCESSING never sees INITIATED after it, and ends at SUCCESS', async () => {
    const initiated = (await gateway.gql(INITIATE, { input: { ...input, referenceNumber: newReference('order') } })).data.initiateTransaction;
    const id: string = initiated.transaction.id;
    const channel = `transactionUpdated:${sandbox.credentials.appId}:${id}`;

    // What the gateway publishes on the transaction's channel, as another instance would hear it.
    const listener = redis.connect({ subscriber: true });
    const publisher = redis.connect();
    const heard: string[] = [];
    try {
      listener.on(redis.sharded ? 'smessage' : 'message', (_channel: string, message: string) => void heard.push(message));
      await (redis.sharded ? listener.ssubscribe(channel) : listener.subscribe(channel));
      const processed = await gateway.gql(PROCESS, { input: { signature: initiated.signature } });
      await vi.waitUntil(() => heard.some((message) => JSON.parse(message).status === 'PROCESSING'), { timeout: 10_000 });
      const processing = heard.find((message) => JSON.parse(message).status === 'PROCESSING')!;

      const stream = subscribe(gateway.url, WATCH, { id });
      expect((await stream.next()).data.transactionUpdated.status).toBe('PROCESSING');
      // The gateway listens on the channel too (its subscription is sent after the first event).
      await vi.waitUntil(async () => (await redis.subscribers(channel)) >= 2, { timeout: 10_000, interval: 50 });

      // A late INITIATED from "another instance", then the payment: on one channel, so in this order.
      const late = JSON.stringify({ ...JSON.parse(processing), status: 'INITIATED' });
      await (redis.sharded ? publisher.spublish(channel, late) : publisher.publish(channel, late));
      await vi.waitUntil(() => heard.includes(late), { timeout: 10_000 });
      const back = await pressCheckout(processed.data.processTransaction.checkoutUrl, 'pay');
      await gateway.gql(VERIFY, { kspayId: id, paymentStatus: back.searchParams.get('payment_status') });

      expect((await stream.next()).data.transactionUpdated).toEqual({ id, status: 'SUCCESS' });
      await stream.completed;
    } finally {
      listener.disconnect();
      publisher.disconnect();
    }
  });
});
