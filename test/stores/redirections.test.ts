/**
 * A slot moving between the primaries of a real Redis Cluster while a gateway uses it: the
 * gateway follows ASK (the slot being migrated) and MOVED (the slot's new owner), and
 * counts each in kspay_gateway_redis_cluster_redirections_total. The slot is that of one
 * registered persisted query's key, moved by hand with CLUSTER SETSLOT (it holds no key).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricTotal } from '../support/payment-answers.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisCluster, type RedisClusterProcesses } from '../support/redis-cluster.js';
import { untilRedisUp } from '../support/redis-topologies.js';

let cluster: RedisClusterProcesses;
let gateway: Stack;

beforeAll(async () => {
  cluster = await startRedisCluster();
  gateway = await startStack({
    env: { REDIS_CLUSTER_NODES: cluster.nodes, PERSISTED_OPERATIONS: 'allow' },
    overrides: { observability: { dependencyCheckCacheMs: 0 } },
  });
  await untilRedisUp(gateway.url);
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  await cluster?.stop();
});

const redirections = async (kind: 'moved' | 'ask') => {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(new RegExp(`^kspay_gateway_redis_cluster_redirections_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
};

function send(query: string, withQuery: boolean) {
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  return fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: withQuery ? query : undefined, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
  }).then((r) => r.json() as Promise<{ data?: { currencies: unknown[] }; errors?: { extensions?: { code?: string } }[] }>);
}

/** A query whose APQ key sits alone in its slot: no other key, no idempotency tag, no outbox. */
async function loneQuery(node: Redis): Promise<{ query: string; slot: number }> {
  const taken = new Set<number>();
  for (let i = 0; i < 256; i++) taken.add(Number(await node.cluster('KEYSLOT', `{kspay-idem-${i}}`)));
  for (let i = 0; ; i++) {
    const query = `query Redirected${i} { currencies { id } }`;
    const key = `kspay-gateway:apq:${createHash('sha256').update(query).digest('hex')}`;
    const slot = Number(await node.cluster('KEYSLOT', key));
    if (!taken.has(slot) && Number(await node.cluster('COUNTKEYSINSLOT', slot)) === 0) return { query, slot };
  }
}

describe('a slot moved under a gateway on a Redis Cluster', () => {
  it('is followed through ASK while migrating (counted once) and MOVED once moved (counted), then reached directly', async () => {
    expect(await redirections('ask')).toBe(0);
    expect(await redirections('moved')).toBe(0);
    const connections = cluster.connections();
    try {
      const ids = await Promise.all(connections.map(async (node) => String(await node.cluster('MYID'))));
      const { query, slot } = await loneQuery(connections[0]!);
      const sourcePort = await cluster.primaryOf(slot);
      const source = connections.findIndex((node) => node.options.port === sourcePort);
      const target = (source + 1) % connections.length;
      const [sourceNode, targetNode] = [connections[source]!, connections[target]!];

      // Migrating: the source answers a key it lacks with ASK, the target serves it after ASKING.
      await targetNode.cluster('SETSLOT', slot, 'IMPORTING', ids[source]!);
      await sourceNode.cluster('SETSLOT', slot, 'MIGRATING', ids[target]!);
      const unknown = await send(query, false);
      expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(await redirections('ask')).toBe(1);

      // Moved: every primary now names the target; the gateway's slot map still names the source.
      for (const node of [targetNode, sourceNode, ...connections.filter((_, i) => i !== source && i !== target)]) {
        await node.cluster('SETSLOT', slot, 'NODE', ids[target]!);
      }
      const refreshes = () => metricTotal(gateway.url, 'kspay_gateway_redis_cluster_slot_refreshes_total');
      const refreshedBefore = await refreshes();
      const registered = await send(query, true);
      expect(registered.errors).toBeUndefined();
      // At least this SET's; ioredis points the whole cached range at the new owner until its refresh, so others may meet one too.
      expect(await redirections('moved')).toBeGreaterThanOrEqual(1);
      await vi.waitUntil(async () => (await refreshes()) > refreshedBefore, { timeout: 10_000, interval: 50 });

      // The registration landed on the new owner, and with the map refreshed the gateway goes there directly.
      expect(await targetNode.exists(`kspay-gateway:apq:${createHash('sha256').update(query).digest('hex')}`)).toBe(1);
      const moved = await redirections('moved');
      const byHash = await send(query, false);
      expect(byHash.errors).toBeUndefined();
      expect(byHash.data?.currencies.length).toBeGreaterThan(0);
      expect(await redirections('moved')).toBe(moved);
      expect(await redirections('ask')).toBe(1);
    } finally {
      for (const node of connections) node.disconnect();
    }
  });
});
