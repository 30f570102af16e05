/**
 * The Redis topologies the shared-store tests run on, behind one shape: the environment
 * that names it to a gateway, and stopping and starting the whole of it. `single` is one
 * redis-server (REDIS_URL); `cluster` three primaries (REDIS_CLUSTER_NODES). A test file
 * runs its assertions on each with `describe.each(REDIS_TOPOLOGIES)`.
 */
import { Cluster, Redis } from 'ioredis';
import { vi } from 'vitest';
import { startRedisCluster } from './redis-cluster.js';
import { startRedisServer } from './redis-server.js';

export const REDIS_TOPOLOGIES = ['single', 'cluster'] as const;

export type RedisTopologyKind = (typeof REDIS_TOPOLOGIES)[number];

export interface RedisUnderTest {
  kind: RedisTopologyKind;
  /** What names it to a gateway: REDIS_URL or REDIS_CLUSTER_NODES. */
  env: Record<string, string>;
  /** Every server SIGKILLed. */
  stop(): Promise<void>;
  /** Every server started again with its data; resolves once it serves. */
  start(): Promise<void>;
  /** A client of its own (a Cluster client on a cluster); `subscriber`: for SUBSCRIBE/SSUBSCRIBE. */
  connect(options?: { subscriber?: boolean }): Redis;
  /** Whether pub/sub is sharded (SPUBLISH/SSUBSCRIBE), as the gateway does on a Cluster. */
  sharded: boolean;
  /** Connections subscribed to `channel` (PUBSUB NUMSUB, or SHARDNUMSUB summed over the nodes). */
  subscribers(channel: string): Promise<number>;
  /** FLUSHALL on every primary. */
  flushAll(): Promise<void>;
}

async function onEach(nodes: Redis[], command: (node: Redis) => Promise<unknown>): Promise<void> {
  try {
    await Promise.all(nodes.map(command));
  } finally {
    for (const node of nodes) node.disconnect();
  }
}

async function subscribersOn(nodes: Redis[], subcommand: 'NUMSUB' | 'SHARDNUMSUB', channel: string): Promise<number> {
  try {
    const counts = await Promise.all(nodes.map(async (node) => Number(((await node.call('PUBSUB', subcommand, channel)) as [string, number])[1])));
    return counts.reduce((sum, count) => sum + count, 0);
  } finally {
    for (const node of nodes) node.disconnect();
  }
}

/** `persistence: false`: every server forgets everything when stopped and started. */
export async function startRedisTopology(kind: RedisTopologyKind, { persistence = true } = {}): Promise<RedisUnderTest> {
  if (kind === 'single') {
    const redis = await startRedisServer({ persistence });
    const connect = () => new Redis(redis.url);
    return {
      kind,
      env: { REDIS_URL: redis.url },
      stop: () => redis.stop(),
      start: () => redis.start(),
      connect,
      sharded: false,
      subscribers: (channel) => subscribersOn([connect()], 'NUMSUB', channel),
      flushAll: () => onEach([connect()], (node) => node.flushall()),
    };
  }
  const cluster = await startRedisCluster({ persistence });
  const seeds = cluster.nodes.split(',').map((address) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) }));
  const connect = ({ subscriber = false } = {}) => new Cluster(seeds, { shardedSubscribers: subscriber }) as unknown as Redis;
  return {
    kind,
    env: { REDIS_CLUSTER_NODES: cluster.nodes },
    stop: () => cluster.down(),
    start: () => cluster.up(),
    connect,
    sharded: true,
    subscribers: (channel) => subscribersOn(cluster.connections(), 'SHARDNUMSUB', channel),
    flushAll: () => onEach(cluster.connections(), (node) => node.flushall()),
  };
}

/**
 * For a gateway a test waits on with `untilRedisUp`: each look checks Redis afresh. By default a
 * check is reused for 5 s, so one made while the gateway still connects holds it 'down' that long.
 */
export const FRESH_DEPENDENCY_CHECKS = { observability: { dependencyCheckCacheMs: 0 } };

/** Resolves once the gateway at `url` reports Redis up on /health/dependencies (quickly with FRESH_DEPENDENCY_CHECKS). */
export async function untilRedisUp(url: string): Promise<void> {
  const redisUp = async () => {
    const report = (await (await fetch(`${url}/health/dependencies`)).json()) as { dependencies: { redis?: { status: string } } };
    return report.dependencies.redis?.status === 'up';
  };
  await vi.waitUntil(redisUp, { timeout: 20_000, interval: 100 });
}
