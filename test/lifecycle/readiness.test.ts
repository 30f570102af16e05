/**
 * Readiness means "this instance can serve": when a dependency every instance shares fails
 * (KS Pay, Redis), /readyz stays 200 — each instance still serves the stale catalog and
 * typed errors, and a load balancer that took them all out would serve nothing — while
 * /health/dependencies and the `kspay_gateway_dependency_up` gauge say what is down. On the
 * gateway as its own process (src/main.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type ProcessStack } from '../support/stack.js';
import { startRedisServer } from '../support/redis-server.js';

const CATALOG = '{ currencies { id code } }';

/** What each test started, closed after the file: the two run at once, each on its own upstream. */
const started: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const thing of started.reverse()) await thing.close();
});

async function ownSandbox(): Promise<Sandbox> {
  const sandbox = await startSandbox();
  started.push(sandbox);
  return sandbox;
}

interface DependencyReport {
  status: 'ok' | 'degraded';
  dependencies: Record<string, { status: 'up' | 'down'; lastError: string | null }>;
}

const dependencies = async (gateway: ProcessStack) => (await (await fetch(`${gateway.url}/health/dependencies`)).json()) as DependencyReport;
const readiness = async (gateway: ProcessStack) => {
  const response = await fetch(`${gateway.url}/readyz`);
  return { status: response.status, body: await response.json() };
};
const gauge = async (gateway: ProcessStack, name: string) =>
  Number(new RegExp(`kspay_gateway_dependency_up\\{dependency="${name}"\\} (\\d)`).exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1]);

/** Polls `read` until `accept` holds (the dependency checks are cached for a few seconds). */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Concurrent: most of each test is waiting out the dependency checks' 5 s cache.
describe.concurrent('a shared dependency down', () => {
  it('KS Pay down: keeps /readyz 200 while the catalog is served stale; the dependency signal shows KS Pay down', async () => {
    const sandbox = await ownSandbox();
    const gateway = await startStack({ process: true, sharedSandbox: sandbox, env: { GATEWAY_AUTH: 'off', CATALOG_TTL_MS: '200' } });
    try {
      expect((await gateway.gql(CATALOG)).data.currencies.length).toBeGreaterThan(0);
      expect(
        (
          await eventually(
            () => dependencies(gateway),
            (r) => r.status === 'ok',
          )
        ).dependencies.kspay,
      ).toEqual(expect.objectContaining({ status: 'up' }));

      sandbox.faults.set({ down: true });
      const stale = await eventually(
        () => gateway.gql(CATALOG),
        (r) => r.extensions?.catalog?.stale === true,
      );
      expect(stale.errors).toBeUndefined();
      expect(stale.data.currencies.length).toBeGreaterThan(0);

      expect(await readiness(gateway)).toEqual({ status: 200, body: { status: 'ready' } });
      const report = await eventually(
        () => dependencies(gateway),
        (r) => r.status === 'degraded',
      );
      expect(report.dependencies.kspay!.status).toBe('down');
      expect(report.dependencies.kspay!.lastError).toMatch(/^(network|circuit-open|timeout)$/);
      expect(JSON.stringify(report)).not.toContain(sandbox.url);
      expect(JSON.stringify(report)).not.toContain(sandbox.credentials.secretKey);
      expect(await gauge(gateway, 'kspay')).toBe(0);
      // Still ready after the checks ran and failed: readiness never asks KS Pay.
      expect((await readiness(gateway)).status).toBe(200);
    } finally {
      sandbox.faults.reset();
      await gateway.stop('SIGKILL');
    }
  }, 60_000);

  it('Redis down: keeps /readyz 200; the dependency signal shows Redis down, then up again', async () => {
    const [sandbox, redis] = await Promise.all([ownSandbox(), startRedisServer()]);
    started.push({ close: () => redis.stop() });
    const gateway = await startStack({ process: true, sharedSandbox: sandbox, env: { GATEWAY_AUTH: 'off', REDIS_URL: redis.url } });
    try {
      await eventually(
        () => dependencies(gateway),
        (r) => r.dependencies.redis?.status === 'up',
      );
      await redis.stop();

      expect(await readiness(gateway)).toEqual({ status: 200, body: { status: 'ready' } });
      const report = await eventually(
        () => dependencies(gateway),
        (r) => r.dependencies.redis!.status === 'down',
      );
      expect(report).toMatchObject({ status: 'degraded', dependencies: { kspay: { status: 'up' }, redis: { status: 'down' } } });
      expect(report.dependencies.redis!.lastError).toMatch(/^(unreachable|timeout)$/);
      expect(await gauge(gateway, 'redis')).toBe(0);
      expect(await gauge(gateway, 'kspay')).toBe(1);
      // It serves: the catalog comes from KS Pay.
      expect((await gateway.gql(CATALOG)).data.currencies.length).toBeGreaterThan(0);
      expect((await readiness(gateway)).status).toBe(200);

      await redis.start();
      const back = await eventually(
        () => dependencies(gateway),
        (r) => r.status === 'ok',
      );
      expect(back.dependencies.redis).toMatchObject({ status: 'up', lastError: expect.stringMatching(/^(unreachable|timeout)$/) });
    } finally {
      await gateway.stop('SIGKILL');
    }
  }, 60_000);
});
