/**
 * METRICS_PORT: /metrics on a port of its own, so the public port need not serve it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { listenMetrics } from '../../src/http/metrics-server.js';
import { startStack, type Stack } from '../support/stack.js';
import { closeServer } from '../support/loopback.js';

let stack: Stack;
let metrics: Awaited<ReturnType<typeof listenMetrics>>;

beforeAll(async () => {
  stack = await startStack({ env: { METRICS_PORT: '0' } });
  metrics = await listenMetrics(stack.app.metrics, 0, '127.0.0.1');
});
afterAll(async () => {
  if (metrics) await closeServer(metrics.server);
  await stack?.close();
});

describe('METRICS_PORT', () => {
  it('serves /metrics on its own port, and not on the public one', async () => {
    await stack.gql('query OwnPort { __typename }');
    const own = await fetch(`${metrics.url}/metrics`);
    expect(own.status).toBe(200);
    expect(await own.text()).toMatch(/^kspay_gateway_graphql_operations_total\{operation="OwnPort",outcome="ok"\} 1$/m);
    expect((await fetch(`${stack.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
  });

  it('answers nothing else there', async () => {
    expect((await fetch(`${metrics.url}/graphql`)).status).toBe(404);
    expect((await fetch(`${metrics.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('is parsed as a port, and unset keeps /metrics on the public port', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).server.metricsPort).toBe(9464);
    expect(loadConfig({}).server.metricsPort).toBeNull();
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(/^METRICS_PORT: /);
  });
});
