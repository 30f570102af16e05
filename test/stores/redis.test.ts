/**
 * Two gateway instances on one Redis and one sandbox behave as one: one catalog, one
 * idempotency record per reference, one stream of updates; and when Redis goes away
 * they keep serving without ever risking a duplicate payment. The same assertions run on
 * one redis-server and on a three-primary Redis Cluster (./support/redis-topologies.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { REDIS_TOPOLOGIES, startRedisTopology, untilRedisUp, type RedisUnderTest } from '../support/redis-topologies.js';
import { subscribe } from '../support/sse.js';
import { CATALOG, INITIATE, PROCESS, VERIFY, WATCH } from '../support/documents.js';

describe.each(REDIS_TOPOLOGIES)('on %s Redis', (kind) => {
  let redis: RedisUnderTest;
  let sandbox: Sandbox;
  let a: Stack;
  let b: Stack;
  let input: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedisTopology(kind);
    sandbox = await startSandbox();
    const env = { ...redis.env, KSPAY_TIMEOUT_MS: '2000' };
    // A polls rarely: what it hears quickly must come from B through Redis.
    a = await startStack({
      sharedSandbox: sandbox,
      env,
      overrides: { live: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } }, observability: { dependencyCheckCacheMs: 0 } },
    });
    b = await startStack({
      sharedSandbox: sandbox,
      env,
      overrides: { live: { poll: { minIntervalMs: 100, maxIntervalMs: 200 } }, observability: { dependencyCheckCacheMs: 0 } },
    });
    // A Cluster client is ready only once it has the slot map: the assertions start from a connected Redis.
    await Promise.all([untilRedisUp(a.url), untilRedisUp(b.url)]);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sandbox?.close();
    await redis?.stop();
  });
  beforeEach(() => sandbox.calls.reset());

  async function catalogInput() {
    const { data } = await a.gql(CATALOG);
    const usd = data.currencies.find((c: { code: string }) => c.code === 'USD');
    return { currencyId: usd.id, paymentMethodId: usd.paymentMethods[0].id, amount: '19.99', redirectUrl: 'https://shop.example/r' };
  }

  describe('two instances on one Redis', () => {
    it('share the catalog: the second instance serves it with 0 upstream calls', async () => {
      const cold = await a.gql(CATALOG);
      expect(sandbox.calls.count('currencies')).toBe(1);
      sandbox.calls.reset();
      const fromRedis = await b.gql(CATALOG);
      expect(fromRedis.data).toEqual(cold.data);
      expect(sandbox.calls.count('currencies') + sandbox.calls.count('paymentMethods')).toBe(0);
      input = await catalogInput();
    });

    it('make exactly one upstream initiate for 20 identical concurrent initiates spread over both', async () => {
      sandbox.faults.set({ latencyMs: 40 });
      try {
        const request = { ...input, referenceNumber: newReference('redis') };
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).gql(INITIATE, { input: request })));
        const answers = results.map((r) => r.data.initiateTransaction);
        expect(answers.filter((r) => r.__typename !== 'InitiateTransactionSuccess')).toEqual([]);
        expect(new Set(answers.map((r) => r.transaction.id)).size).toBe(1);
        expect(new Set(answers.map((r) => r.signature)).size).toBe(1);
        expect(sandbox.calls.count('initiate')).toBe(1);
        expect(sandbox.transactions.byReference(sandbox.credentials.appId, request.referenceNumber)).toHaveLength(1);
      } finally {
        sandbox.faults.reset();
      }
    });

    it('tell a subscriber on A about a payment completed through B', async () => {
      const initiated = await b.gql(INITIATE, { input: { ...input, referenceNumber: newReference('fanout') } });
      const { signature, transaction } = initiated.data.initiateTransaction;
      const processed = await b.gql(PROCESS, { input: { signature } });

      const stream = subscribe(a.url, WATCH, { id: transaction.id });
      expect((await stream.next()).data.transactionUpdated.status).toBe('PROCESSING');

      const back = await pressCheckout(processed.data.processTransaction.checkoutUrl, 'pay');
      await b.gql(VERIFY, { kspayId: transaction.id, paymentStatus: back.searchParams.get('payment_status') });
      expect((await stream.next()).data.transactionUpdated).toEqual({ id: transaction.id, status: 'SUCCESS' });
      await stream.completed;
    });

    it('poll a watched transaction from one instance only', async () => {
      const initiated = await a.gql(INITIATE, { input: { ...input, referenceNumber: newReference('poll') } });
      const { id } = initiated.data.initiateTransaction.transaction;
      const fast = { minIntervalMs: 100, maxIntervalMs: 100 };
      const c = await startStack({ sharedSandbox: sandbox, env: redis.env, overrides: { live: { poll: fast } } });
      const d = await startStack({ sharedSandbox: sandbox, env: redis.env, overrides: { live: { poll: fast } } });
      try {
        const watch = 'subscription($id: ID!) { transactionUpdated(id: $id) { status } }';
        const streams = [subscribe(c.url, watch, { id }), subscribe(d.url, watch, { id })];
        for (const s of streams) await s.next();
        sandbox.calls.reset();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const polls = sandbox.calls.count('transaction');
        // One poller at 100 ms makes about 10 polls a second; two would make about 20.
        expect(polls).toBeGreaterThanOrEqual(3);
        expect(polls).toBeLessThanOrEqual(13);
        for (const s of streams) s.close();
      } finally {
        await c.close();
        await d.close();
      }
    });

    it('describe the topology on /health/dependencies: its kind, cluster state and current primaries', async () => {
      const report = await (await fetch(`${a.url}/health/dependencies`)).json();
      const expected = { single: { clusterState: null, primaries: 1 }, cluster: { clusterState: 'ok', primaries: 3 } }[kind];
      expect(report.redisTopology).toMatchObject({ kind, clusterState: expected.clusterState });
      expect(report.redisTopology.primaries).toHaveLength(expected.primaries);
      expect(report.redisTopology.replicas).toEqual(Array(expected.primaries).fill(0));
      // No replica to wait for: no claim waited, none was refused for want of one.
      const metrics = await (await fetch(`${a.url}/metrics`)).text();
      expect(metrics).toMatch(/^kspay_gateway_redis_claims_replicated_total 0$/m);
      expect(metrics).toMatch(/^kspay_gateway_redis_claims_unreplicated_total 0$/m);
    });
  });

  describe('Redis stopped mid-test', () => {
    it('keeps serving the catalog, refuses initiates it cannot check, stays ready, reports Redis down in /health/dependencies, and recovers', async () => {
      await redis.stop();
      a.app.cache.clear();
      const catalog = await a.gql(CATALOG);
      expect(catalog.errors).toBeUndefined();
      expect(catalog.data.currencies.length).toBeGreaterThan(0);
      expect(sandbox.calls.count('currencies')).toBe(1); // straight from the upstream

      const refused = await a.gql(INITIATE, { input: { ...input, referenceNumber: newReference('down') } });
      expect(refused.data.initiateTransaction).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      expect(sandbox.calls.count('initiate')).toBe(0);

      // Still ready (it serves, and every instance shares this Redis); the dependency signal says what is down.
      expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
      const dependencies = await fetch(`${a.url}/health/dependencies`);
      expect(await dependencies.json()).toMatchObject({
        status: 'degraded',
        dependencies: { kspay: { status: 'up' }, redis: { status: 'down', lastError: 'unreachable' } },
      });

      await redis.start();
      const request = { ...input, referenceNumber: newReference('back') };
      let recovered: any;
      for (let i = 0; i < 40 && recovered?.__typename !== 'InitiateTransactionSuccess'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100)); // ioredis reconnects with backoff
        recovered = (await a.gql(INITIATE, { input: request })).data.initiateTransaction;
      }
      expect(recovered.__typename).toBe('InitiateTransactionSuccess');
      expect(sandbox.transactions.byReference(sandbox.credentials.appId, request.referenceNumber)).toHaveLength(1);
      expect(await (await fetch(`${a.url}/health/dependencies`)).json()).toMatchObject({ status: 'ok', dependencies: { redis: { status: 'up' } } });
    });
  });
});
