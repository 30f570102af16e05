/**
 * Naming the Redis: one server, a Cluster or a Sentinel-watched primary — exactly one —
 * each problem in one line naming the variable, and the password never echoed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { parseSeed, redisTopologyOf } from '../../src/stores/redis-topology.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  return [];
}

describe('Redis topology configuration', () => {
  it.each([
    [
      { REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:6379' },
      'REDIS_CLUSTER_NODES: cannot be set together with REDIS_URL: set exactly one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS',
    ],
    [
      { REDIS_CLUSTER_NODES: 'b:6379', REDIS_SENTINELS: 'c:26379', REDIS_SENTINEL_NAME: 'm' },
      'REDIS_SENTINELS: cannot be set together with REDIS_CLUSTER_NODES: set exactly one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS',
    ],
    [{ REDIS_SENTINELS: 'c:26379' }, 'REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS (the name of the primary the sentinels watch)'],
    [{ REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINEL_NAME: is set but REDIS_SENTINELS is not'],
  ])('%o → %s', (env, line) => {
    expect(problems(env)).toEqual([line]);
  });

  it('refuses a seed without a port, in one line', () => {
    const [line, ...more] = problems({ REDIS_CLUSTER_NODES: 'a:6379,b' });
    expect(more).toEqual([]);
    expect(line).toMatch(/^REDIS_CLUSTER_NODES: must be comma-separated host:port pairs/);
  });

  it('never echoes REDIS_PASSWORD', () => {
    const env = { REDIS_SENTINELS: 'c:26379', REDIS_PASSWORD: 'hunter2-very-secret' };
    expect(problems(env).join('\n')).not.toContain('hunter2');
  });

  it('reads each topology, with the password and TLS of a seed', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: 'rediss://u:p%40ss@a:7000, b:7001', REDIS_PASSWORD: 'pw' });
    expect(redisTopologyOf(cluster.redis)).toEqual({ kind: 'cluster', nodes: ['rediss://u:p%40ss@a:7000', 'b:7001'], password: 'pw' });
    expect(parseSeed('rediss://u:p%40ss@a:7000')).toEqual({ host: 'a', port: 7000, username: 'u', password: 'p@ss', tls: true });
    const sentinel = loadConfig({ REDIS_SENTINELS: 'c:26379', REDIS_SENTINEL_NAME: 'mymaster' });
    expect(redisTopologyOf(sentinel.redis)).toEqual({ kind: 'sentinel', sentinels: ['c:26379'], name: 'mymaster', password: null });
    expect(redisTopologyOf(loadConfig({ REDIS_URL: 'redis://a:6379' }).redis)).toMatchObject({ kind: 'single', url: 'redis://a:6379' });
    expect(redisTopologyOf(loadConfig({}).redis)).toBeNull();
  });
});
