/**
 * Logs, health and metrics: one structured line per operation with its request id,
 * name, duration, upstream calls and error codes; no secret in any line; /healthz,
 * /readyz, /health/dependencies and /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const API_KEY = 'observability-key-0123456789';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    captureLogs: true,
    env: { GATEWAY_API_KEYS: JSON.stringify({ [API_KEY]: ['*'] }), LOG_LEVEL: 'debug' },
    // This file flips the upstream between probes; test/abuse/probes.test.ts covers the cache.
    overrides: { observability: { dependencyCheckCacheMs: 0 } },
    headers: { authorization: `Bearer ${API_KEY}` },
  });
});
afterAll(() => stack.close());

const entries = () => stack.logs().map((line) => JSON.parse(line) as Record<string, any>);

describe('structured logs', () => {
  it('log a full payment flow with no secret, token, signature or API key in any line', async () => {
    stack.sandbox.tokens.expireAll(); // force a refresh too, so two token pairs exist
    const { data } = await stack.gql('query Catalog { currencies { id code paymentMethods { id } } }');
    stack.sandbox.tokens.expireAll();
    const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
    const initiated = await stack.gql(
      'mutation Initiate($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { ... on InitiateTransactionSuccess { signature transaction { id } } } }',
      {
        input: {
          currencyId: inr.id,
          paymentMethodId: inr.paymentMethods[0].id,
          amount: '12.34',
          referenceNumber: `obs-${Date.now()}`,
          redirectUrl: 'https://shop.example/r',
        },
      },
    );
    const { signature, transaction } = initiated.data.initiateTransaction;
    const processed = await stack.gql('mutation Process($s: String!) { processTransaction(input: { signature: $s }) { __typename } }', { s: signature });
    expect(processed.data.processTransaction.__typename).toBe('ProcessTransactionSuccess');
    await stack.gql('query Lookup($id: ID!) { transaction(id: $id) { status } }', { id: transaction.id });
    await stack.gql('mutation Bad { processTransaction(input: { signature: "definitely-not-valid-sig" }) { __typename } }');
    await stack.gql('{ currencies { id } }', {}, { authorization: 'Bearer wrong-key-0123456789' });

    const logs = stack.logs().join('\n');
    const secrets = [stack.sandbox.credentials.secretKey, signature, API_KEY, 'wrong-key-0123456789', ...stack.sandbox.tokens.issued()];
    expect(stack.sandbox.tokens.issued().length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(stack.logs().length).toBeGreaterThanOrEqual(5);
  });

  it('write one line per operation with request id, name, duration, upstream calls and outcome', async () => {
    stack.app.cache.clear();
    const before = stack.logs().length;
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, 'x-request-id': 'req-abc-123' },
      body: JSON.stringify({ query: 'query ColdCatalog { currencies { code paymentMethods { name } } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
    const line = entries()
      .slice(before)
      .find((e) => e.operation === 'ColdCatalog');
    const currencies = (await response.json()).data.currencies.length;
    expect(line).toMatchObject({ requestId: 'req-abc-123', operation: 'ColdCatalog', outcome: 'ok', errorCodes: [] });
    expect(line!.upstreamCalls).toBe(1 + currencies);
    expect(line!.durationMs).toBeGreaterThan(0);
  });

  it('record typed failures, returned as data, as the outcome', async () => {
    const before = stack.logs().length;
    await stack.gql('mutation Bad2 { processTransaction(input: { signature: "bad" }) { __typename } }');
    const line = entries()
      .slice(before)
      .find((e) => e.operation === 'Bad2');
    expect(line).toMatchObject({ outcome: 'VALIDATION', upstreamCalls: 0 });
  });

  it('every answer carries its request id: hits, misses, mutations, refusals, preflights, other pages', async () => {
    const auth = { authorization: `Bearer ${API_KEY}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const catalog = JSON.stringify({ query: '{ currencies { code } }' });
    const miss = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: json, body: catalog }); // stored
    const answers = await Promise.all([
      miss,
      fetch(`${stack.url}/graphql`, { method: 'POST', headers: json, body: catalog }), // a hit
      fetch(`${stack.url}/graphql?query=${encodeURIComponent('{ currencies { code } }')}`, { headers: auth }),
      fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: 'mutation { processTransaction(input: { signature: "definitely-not-valid-sig" }) { __typename } }' }),
      }),
      fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: catalog }), // 401
      fetch(`${stack.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: catalog }), // 415
      fetch(`${stack.url}/graphql`, { method: 'OPTIONS' }),
      fetch(`${stack.url}/nowhere`),
      fetch(`${stack.url}/healthz`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 401, 415, 204, 404, 200]);
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("generate a request id when none (or a malformed one) is sent: this process's tag and a sequence number, never repeated", async () => {
    const ids = new Set<string>();
    for (const sent of ['bad id with spaces', undefined, 'x'.repeat(65)]) {
      const response = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...(sent ? { 'x-request-id': sent } : {}) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const id = response.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      ids.add(id);
    }
    expect(ids.size).toBe(3);
    expect(new Set([...ids].map((id) => id.split('-')[0])).size).toBe(1);
  });
});

describe('health and readiness', () => {
  it('/healthz says the process is up, without auth', async () => {
    const response = await fetch(`${stack.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz reports this instance: 200 while KS Pay fails, which /health/dependencies and a gauge show instead', async () => {
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const healthy = await fetch(`${stack.url}/health/dependencies`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ status: 'ok', dependencies: { kspay: { status: 'up', lastError: null } } });

    stack.sandbox.faults.set({ forceError: { currencies: { status: 401, code: 9007 } } });
    try {
      const stillReady = await fetch(`${stack.url}/readyz`);
      expect(stillReady.status).toBe(200);
      expect(await stillReady.json()).toEqual({ status: 'ready' });
      const failing = await fetch(`${stack.url}/health/dependencies`);
      expect(failing.status).toBe(200);
      const report = await failing.json();
      expect(report).toMatchObject({ status: 'degraded', dependencies: { kspay: { status: 'down', lastError: 'rejected (HTTP 401)' } } });
      // Only the class of the failure: never KS Pay's own words.
      expect(JSON.stringify(report)).not.toContain('Injected');
      expect(await (await fetch(`${stack.url}/metrics`)).text()).toMatch(/kspay_gateway_dependency_up\{dependency="kspay"\} 0/);
    } finally {
      stack.sandbox.faults.reset();
    }
    expect(await (await fetch(`${stack.url}/health/dependencies`)).json()).toMatchObject({
      dependencies: { kspay: { status: 'up', lastError: 'rejected (HTTP 401)' } },
    });
    expect(await (await fetch(`${stack.url}/metrics`)).text()).toMatch(/kspay_gateway_dependency_up\{dependency="kspay"\} 1/);
  });
});

describe('Prometheus metrics', () => {
  it('count operations, upstream calls, cache lookups and show the breaker state', async () => {
    stack.app.cache.clear();
    await stack.gql('query MetricsProbe { currencies { code } }');
    await stack.gql('query MetricsProbe { currencies { code } }');
    const response = await fetch(`${stack.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/kspay_gateway_graphql_operations_total\{operation="MetricsProbe",outcome="ok"\} 2/);
    expect(text).toMatch(/kspay_gateway_graphql_operation_duration_seconds_count\{operation="MetricsProbe",outcome="ok"\} 2/);
    expect(text).toMatch(/kspay_gateway_upstream_requests_total\{endpoint="currencies",status_code="200"\} \d+/);
    expect(text).toMatch(/kspay_gateway_upstream_request_duration_seconds_bucket\{le="0.005",endpoint="currencies",status_code="200"\}/);
    expect(text).toMatch(/kspay_gateway_catalog_cache_lookups_total\{kind="currencies",result="hit"\} \d+/);
    expect(text).toMatch(/kspay_gateway_catalog_cache_lookups_total\{kind="currencies",result="miss"\} \d+/);
    expect(text).toMatch(/kspay_gateway_upstream_circuit_breaker_state\{state="closed"\} 1/);
    expect(text).toMatch(/kspay_gateway_upstream_circuit_breaker_state\{state="open"\} 0/);
  });
});
