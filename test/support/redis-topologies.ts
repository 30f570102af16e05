/**
 * The Redis topologies the shared-store tests run on, behind one shape: the environment
 * that names it to a gateway, and stopping and starting the whole of it. `single` is one
 * redis-server (REDIS_URL); `cluster` three primaries (REDIS_CLUSTER_NODES). A test file
 * runs its assertions on each with `describe.each(REDIS_TOPOLOGIES)`.
 */
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
}

export async function startRedisTopology(kind: RedisTopologyKind): Promise<RedisUnderTest> {
  if (kind === 'single') {
    const redis = await startRedisServer();
    return { kind, env: { REDIS_URL: redis.url }, stop: () => redis.stop(), start: () => redis.start() };
  }
  const cluster = await startRedisCluster();
  return { kind, env: { REDIS_CLUSTER_NODES: cluster.nodes }, stop: () => cluster.down(), start: () => cluster.up() };
}

/** Resolves once the gateway at `url` reports Redis up on /health/dependencies. */
export async function untilRedisUp(url: string): Promise<void> {
  const redisUp = async () => {
    const report = (await (await fetch(`${url}/health/dependencies`)).json()) as { dependencies: { redis?: { status: string } } };
    return report.dependencies.redis?.status === 'up';
  };
  await vi.waitUntil(redisUp, { timeout: 20_000, interval: 100 });
}
