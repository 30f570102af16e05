/**
 * The gateway on a real three-primary Redis Cluster (REDIS_CLUSTER_NODES): what the
 * single-Redis tests prove holds across shards — one upstream initiate per reference
 * across two instances, live updates across instances, the webhook outbox, APQ — plus
 * scripts run by SHA surviving SCRIPT FLUSH, a shard that forgets detected, and the
 * topology on /health/dependencies.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { checkRedisPersistence } from '../../src/stores/redis-persistence.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisCluster, type RedisClusterProcesses } from '../support/redis-cluster.js';
import { REDIS_TOPOLOGY_METRICS } from '../support/metric-names.js';
import { metricTotal } from '../support/payment-answers.js';
import { subscribe } from '../support/sse.js';
import { payAndLeave } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';
import { CATALOG, INITIATE, PROCESS } from '../support/documents.js';

let cluster: RedisClusterProcesses;
let sandbox: Sandbox;
let receiver: TestReceiver;
let a: Stack;
let b: Stack;
let input: Record<string, string>;

async function redisReady(stack: Stack): Promise<void> {
  await waitFor('redis up', async () => ((await (await fetch(`${stack.url}/health/dependencies`)).json()) as { status: string }).status === 'ok');
}

beforeAll(async () => {
  cluster = await startRedisCluster();
  sandbox = await startSandbox();
  receiver = await startReceiver(() => 200);
  const env = {
    REDIS_CLUSTER_NODES: cluster.nodes,
    KSPAY_TIMEOUT_MS: '2000',
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET: SECRET,
    PERSISTED_OPERATIONS: 'allow',
  };
  a = await startStack({
    sharedSandbox: sandbox,
    env,
    overrides: { live: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } }, observability: { dependencyCheckCacheMs: 0 }, webhooks: FAST },
  });
  b = await startStack({
    sharedSandbox: sandbox,
    env,
    overrides: { live: { poll: { minIntervalMs: 100, maxIntervalMs: 200 } }, observability: { dependencyCheckCacheMs: 0 }, webhooks: FAST },
  });
  await redisReady(a);
  await redisReady(b);
  const { data } = await a.gql(CATALOG);
  const usd = data.currencies.find((c: { code: string }) => c.code === 'USD');
  input = { currencyId: usd.id, paymentMethodId: usd.paymentMethods[0].id, amount: '19.99', redirectUrl: 'https://shop.example/r' };
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await receiver?.stop();
  await sandbox?.close();
  await cluster?.stop();
});

function nodes(): Redis[] {
  return cluster.nodes.split(',').map((address) => {
    const [host, port] = address.split(':');
    return new Redis({ host, port: Number(port), lazyConnect: false });
  });
}

describe('two instances on a Redis Cluster', () => {
  it('make exactly one upstream initiate per reference for 20 concurrent identical initiates, over 10 references on every shard', async () => {
    sandbox.calls.reset();
    sandbox.faults.set({ latencyMs: 40 });
    try {
      const references = Array.from({ length: 10 }, () => newReference('cluster'));
      const results = await Promise.all(
        references.flatMap((referenceNumber) => Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).gql(INITIATE, { input: { ...input, referenceNumber } }))),
      );
      const answers = results.map((r) => r.data.initiateTransaction);
      expect(answers.filter((r) => r.__typename !== 'InitiateTransactionSuccess')).toEqual([]);
      expect(sandbox.calls.count('initiate')).toBe(10);
      for (const referenceNumber of references) expect(sandbox.transactions.byReference(sandbox.credentials.appId, referenceNumber)).toHaveLength(1);
    } finally {
      sandbox.faults.reset();
    }
    // The records spread over the shards: each primary holds some.
    const shards = nodes();
    try {
      const held = await Promise.all(shards.map(async (node) => (await node.keys('kspay-gateway:idempotency:*')).length));
      expect(held.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
    } finally {
      for (const node of shards) node.disconnect();
    }
  });

  it('tell a subscriber on A about a payment completed through B', async () => {
    const initiated = await b.gql(INITIATE, { input: { ...input, referenceNumber: newReference('fanout') } });
    const { signature, transaction } = initiated.data.initiateTransaction;
    const processed = await b.gql(PROCESS, { input: { signature } });
    const stream = subscribe(a.url, 'subscription($id: ID!) { transactionUpdated(id: $id) { id status } }', { id: transaction.id });
    expect((await stream.next()).data.transactionUpdated.status).toBe('PROCESSING');
    // Sharded pub/sub: the subscription is a shard channel on the node owning its slot.
    const shards = nodes();
    try {
      const channels = await Promise.all(shards.map(async (node) => ((await node.call('PUBSUB', 'SHARDCHANNELS')) as string[]).length));
      expect(channels.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    } finally {
      for (const node of shards) node.disconnect();
    }
    const back = await pressCheckout(processed.data.processTransaction.checkoutUrl, 'pay');
    await b.gql('query($id: ID!, $s: String!) { verifyPaymentReturn(kspayId: $id, paymentStatus: $s) { verified } }', {
      id: transaction.id,
      s: back.searchParams.get('payment_status'),
    });
    // A's own webhook watcher may publish a poll answered before the payment (an older status) first.
    let update = (await stream.next()).data.transactionUpdated;
    while (update.status !== 'SUCCESS' && update.status !== 'FAILED') update = (await stream.next()).data.transactionUpdated;
    expect(update).toEqual({ id: transaction.id, status: 'SUCCESS' });
    await stream.completed;
  });

  it('share registered persisted queries: registered on A, run by hash alone on B', async () => {
    const query = `query ClusterApq${process.pid} { currencies { id code } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const send = (stack: Stack, withQuery: boolean) =>
      fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: withQuery ? query : undefined, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      }).then((r) => r.json() as Promise<{ data?: { currencies: unknown[] }; errors?: unknown[] }>);
    const registered = await send(a, true);
    expect(registered.errors).toBeUndefined();
    const byHash = await send(b, false);
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data?.currencies.length).toBeGreaterThan(0);
  });

  it('deliver each webhook event of a paid transaction once, with scripts run by SHA even after SCRIPT FLUSH', async () => {
    const shards = nodes();
    try {
      await Promise.all(shards.map((node) => node.script('FLUSH'))); // the next EVALSHA meets NOSCRIPT
    } finally {
      for (const node of shards) node.disconnect();
    }
    const payment = await payAndLeave(b);
    await waitFor(
      'transaction.succeeded',
      () => receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.succeeded'),
      30_000,
    );
    const mine = receiver.delivered().filter((r) => r.transactionId === payment.id);
    const types = mine.map((r) => r.type);
    expect(types[0]).toBe('transaction.initiated');
    expect(types).toContain('transaction.succeeded');
    expect(new Set(types).size).toBe(types.length); // each status once
    expect(new Set(mine.map((r) => r.eventId)).size).toBe(mine.length);
  });

  it('describe the cluster on /health/dependencies', async () => {
    const report = await (await fetch(`${a.url}/health/dependencies`)).json();
    expect(report).toMatchObject({ status: 'ok', redisTopology: { kind: 'cluster', clusterState: 'ok' } });
    expect(report.redisTopology.primaries).toHaveLength(3);
    expect(JSON.stringify(report)).not.toMatch(/password/i);
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    for (const [name, type] of Object.entries(REDIS_TOPOLOGY_METRICS)) expect(metrics, name).toContain(`# TYPE ${name} ${type}`);
  });

  it('check at start-up that every primary keeps an append-only file', async () => {
    const topology = { kind: 'cluster' as const, nodes: cluster.nodes.split(','), password: null };
    expect(await checkRedisPersistence(topology, false)).toBe('aof');
    const all = nodes();
    const second = all[1]!;
    try {
      await second.config('SET', 'appendonly', 'no');
      await expect(checkRedisPersistence(topology, false)).rejects.toThrow(ConfigError);
      await expect(checkRedisPersistence(topology, false)).rejects.toThrow(/^REDIS_CLUSTER_NODES: points at a Redis that keeps nothing/);
      expect(await checkRedisPersistence(topology, true)).toBe('accepted-loss');
    } finally {
      await second.config('SET', 'appendonly', 'yes');
      for (const node of all) node.disconnect();
    }
  });

  it('detect a shard that forgot (FLUSHALL on one primary) and count it', async () => {
    // Either cause counts: A finds the shard's marker missing, or (when B's claim saw it first and
    // wrote a new one) changed. Which instance looks first is scheduling, not behaviour.
    const losses = () => metricTotal(a.url, 'kspay_gateway_idempotency_store_losses_total');
    const before = await losses();
    const [first, ...rest] = nodes() as [Redis, ...Redis[]];
    try {
      await first.flushall();
    } finally {
      first.disconnect();
      for (const node of rest) node.disconnect();
    }
    await vi.waitUntil(async () => (await losses()) > before, { timeout: 30_000, interval: 100 });
    // After the loss, an initiate still makes exactly one transaction.
    const referenceNumber = newReference('after-loss');
    const answer = (await a.gql(INITIATE, { input: { ...input, referenceNumber } })).data.initiateTransaction;
    expect(answer.__typename).toBe('InitiateTransactionSuccess');
    expect(sandbox.transactions.byReference(sandbox.credentials.appId, referenceNumber)).toHaveLength(1);
  });
});
