/**
 * Settled transactions shared on a real three-primary Redis Cluster: the entries spread over
 * hash-tag buckets (so over the shards), and a batch of lookups on the other instance is one
 * MGET per bucket, answered with 0 upstream calls.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisCluster, type RedisClusterProcesses } from '../support/redis-cluster.js';
import { FRESH_DEPENDENCY_CHECKS, untilRedisUp } from '../support/redis-topologies.js';
import { paymentAt } from '../support/payment-stages.js';
import { NODES } from '../support/documents.js';

const SETTLED = 12;

let cluster: RedisClusterProcesses;
let sandbox: Sandbox;
let a: Stack;
let b: Stack;

beforeAll(async () => {
  cluster = await startRedisCluster();
  sandbox = await startSandbox();
  const env = { REDIS_CLUSTER_NODES: cluster.nodes, KSPAY_TIMEOUT_MS: '2000' };
  a = await startStack({ sharedSandbox: sandbox, env, overrides: FRESH_DEPENDENCY_CHECKS });
  b = await startStack({ sharedSandbox: sandbox, env, overrides: FRESH_DEPENDENCY_CHECKS });
  // A Cluster client is not ready the moment it starts: an initiate before it is would be refused (retryable).
  await Promise.all([untilRedisUp(a.url), untilRedisUp(b.url)]);
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await cluster?.stop();
});

it('answers on one instance, from the cluster, what the other read from KS Pay: 0 upstream calls', async () => {
  const ids: string[] = [];
  for (let i = 0; i < SETTLED; i++) ids.push(await paymentAt(a, i % 2 ? 'FAILED' : 'SUCCESS'));
  sandbox.calls.reset();
  const fromKsPay = await a.gql(NODES, { ids });
  expect(fromKsPay.data.nodes.map((n: { status: string }) => n.status)).toEqual(ids.map((_, i) => (i % 2 ? 'FAILED' : 'SUCCESS')));
  expect(sandbox.calls.count('transaction')).toBe(SETTLED);

  // The writes to Redis are not awaited by the read that made them: wait for them, not for time.
  for (let attempt = 0; (await settledKeys()).length < SETTLED && attempt < 200; attempt++) await new Promise((r) => setTimeout(r, 25));
  const keys = await settledKeys();
  expect(keys).toHaveLength(SETTLED);
  expect(new Set(keys.map((key) => /\{[^}]+\}/.exec(key)?.[0])).size, 'hash-tag buckets used').toBeGreaterThan(1);

  sandbox.calls.reset();
  const fromCluster = await b.gql(NODES, { ids });
  expect(fromCluster.data).toEqual(fromKsPay.data);
  expect(sandbox.calls.count()).toBe(0);
});

/** Every settled-transaction key on every primary. */
async function settledKeys(): Promise<string[]> {
  const found: string[] = [];
  for (const address of cluster.nodes.split(',')) {
    const [host, port] = address.split(':');
    const node = new Redis({ host, port: Number(port), lazyConnect: true });
    try {
      await node.connect();
      if ((await node.info('replication')).includes('role:master')) found.push(...(await node.keys('kspay-gateway:settled:*')));
    } finally {
      node.disconnect();
    }
  }
  return found;
}
