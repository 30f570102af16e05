/**
 * Issue 26, finding 3: 3,000 TCP connections that never sent a byte were all still open
 * after 60 s (node's header timeout starts with the first byte). Now a connection that sends
 * nothing for 5 s is closed, one client address holds at most MAX_CONNECTIONS_PER_ADDRESS
 * (128) connections, and both are counted in kspay_gateway_http_connections_closed_total. A trusted
 * proxy's own connections count only against the ceiling.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A } from '../support/presets.js';

/** Opens `count` connections that send nothing; `closed()` counts those the server has closed. */
async function idleConnections(url: string, count: number) {
  const { hostname, port } = new URL(url);
  const sockets: Socket[] = [];
  let closed = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => resolve());
          socket.on('error', () => undefined).once('close', () => (closed += 1));
          socket.once('error', reject);
          sockets.push(socket);
        }),
    ),
  );
  return { closed: () => closed, destroy: () => sockets.forEach((s) => s.destroy()) };
}

async function closedByReason(stack: Stack, reason: string): Promise<number> {
  const metrics = await (await fetch(`${stack.url}/metrics`)).text();
  return Number(new RegExp(`kspay_gateway_http_connections_closed_total\\{reason="${reason}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
}

describe('a client holding idle connections: connections that never send a byte', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The first-byte deadline shortened from its 5 s default (pinned in test/config/sections.test.ts): the
    // mechanism is the same, and the test need not wait 5 s.
    stack = await startStack({
      preset: 'production',
      env: { MAX_CONNECTIONS_PER_ADDRESS: '1000' },
      overrides: { server: { timeouts: { firstByteMs: 1_000 } } },
    });
  });
  afterAll(() => stack.close());

  it('are all closed by the gateway once the first-byte deadline passes without a byte, and counted', async () => {
    const idle = await idleConnections(stack.url, 300);
    await expect.poll(idle.closed, { timeout: 30_000, interval: 200 }).toBe(300);
    expect(await closedByReason(stack, 'no-request')).toBe(300);
    expect(stack.sandbox.calls.count()).toBe(0);
    // A client that does send its request is served as before.
    expect((await stack.gql('{ currencies { code } }', undefined, AS_A)).status).toBe(200);
  }, 60_000);
});

describe('a client holding idle connections: MAX_CONNECTIONS_PER_ADDRESS (default 128)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ preset: 'production' });
  });
  afterAll(() => stack.close());

  it('closes every connection beyond 128 from one address at once, and counts it', async () => {
    const held = await idleConnections(stack.url, 128);
    const beyond = await idleConnections(stack.url, 20);
    await expect.poll(beyond.closed, { timeout: 10_000 }).toBe(20);
    expect(held.closed()).toBe(0);
    // Even /metrics is refused to this address while it holds 128 connections.
    await expect(fetch(`${stack.url}/metrics`)).rejects.toThrow();
    held.destroy();
    // Places are given back as connections close.
    await expect.poll(async () => (await fetch(`${stack.url}/healthz`).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
    expect(await closedByReason(stack, 'per-address')).toBeGreaterThanOrEqual(21);
  }, 30_000);
});

describe('a client holding idle connections: TRUSTED_PROXIES', () => {
  it("counts a trusted proxy's own connections only against the ceiling", async () => {
    const stack = await startStack({ preset: 'production', env: { MAX_CONNECTIONS_PER_ADDRESS: '5', TRUSTED_PROXIES: '127.0.0.0/8' } });
    try {
      const throughProxy = await idleConnections(stack.url, 20);
      expect(throughProxy.closed()).toBe(0);
      expect(await closedByReason(stack, 'per-address')).toBe(0);
      throughProxy.destroy();
    } finally {
      await stack.close();
    }
  });

  it('is validated at start-up, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8 ,192.168.1.7' }).server.connections.trustedProxies).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
    ]);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/^TRUSTED_PROXIES: each entry must be an IP address or a CIDR range/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: '0' })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS/);
  });
});
