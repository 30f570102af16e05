/**
 * Spans by OpenTelemetry's semantic conventions, caught by an in-memory exporter: an HTTP
 * server span for every request (refusals and response-cache hits too), GraphQL spans named
 * by the operation type with a bounded name attribute, KS Pay client spans with the HTTP
 * client attributes (no status code when no answer came), the resource from the SDK's
 * defaults plus the environment, and trace_id/span_id on log lines written inside a span.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_OPERATION_LABELS } from '../../src/observability/metrics.js';
import { gatewayResource, startTracing, type Tracing } from '../../src/observability/tracing.js';
import { startStack, type Stack } from '../support/stack.js';

const KEY = 'conventions-trace-key-0123456789';
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: Stack;

beforeAll(async () => {
  tracing = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] })!;
  stack = await startStack({
    env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false', KSPAY_TIMEOUT_MS: '500' },
    headers: { 'x-api-key': KEY },
    overrides: { tracing },
    captureLogs: true,
  });
});
afterAll(async () => {
  await stack?.close();
  await tracing?.shutdown();
});
beforeEach(() => exporter.reset());

/** Server spans end when the response's socket side closes: wait for as many as expected. */
async function finished(count: number): Promise<ReadableSpan[]> {
  await vi.waitFor(() => expect(exporter.getFinishedSpans().filter((s) => s.attributes['http.request.method']).length).toBeGreaterThanOrEqual(count), {
    timeout: 10_000,
  });
  return exporter.getFinishedSpans();
}
const httpServerSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.kind === SpanKind.SERVER && s.attributes['url.path'] !== undefined);

describe('a developer’s first hour with tracing: HTTP server spans', () => {
  it('trace a refusal: 401 before GraphQL, the route and status set, not an error', async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ currencies { id } }"}',
    });
    expect(response.status).toBe(401);
    const [span] = httpServerSpans(await finished(1));
    expect(span!.name).toBe('POST /graphql');
    expect(span!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'url.path': '/graphql',
      'url.scheme': 'http',
      'http.response.status_code': 401,
      'network.protocol.version': '1.1',
    });
    expect(span!.attributes['server.port']).toBe(Number(new URL(stack.url).port));
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('trace an unknown path without a route (low-cardinality name), and no query string', async () => {
    await fetch(`${stack.url}/no/such/page?token=secret-in-query`);
    const [span] = httpServerSpans(await finished(1));
    expect(span!.name).toBe('GET');
    expect(span!.attributes['http.route']).toBeUndefined();
    expect(span!.attributes['url.path']).toBe('/no/such/page');
    expect(span!.attributes['http.response.status_code']).toBe(404);
    expect(JSON.stringify(span!.attributes)).not.toContain('secret-in-query');
  });

  it('trace a response-cache hit: a server span with no GraphQL or KS Pay span under it', async () => {
    const query = 'query CachedCatalog { currencies { id code } }';
    await stack.gql(query);
    await finished(1);
    exporter.reset();
    await stack.gql(query);
    const spans = await finished(1);
    expect(httpServerSpans(spans)).toHaveLength(1);
    expect(httpServerSpans(spans)[0]!.attributes['http.response.status_code']).toBe(200);
    expect(spans.filter((s) => s.attributes['graphql.operation.type'] || s.kind === SpanKind.CLIENT)).toEqual([]);
  });
});

describe('a developer’s first hour with tracing: GraphQL spans', () => {
  it('are named by the operation type; the client’s name is only an attribute, bounded as metric labels', async () => {
    const names = Array.from({ length: MAX_OPERATION_LABELS + 5 }, (_, i) => `Many${i}`);
    for (const name of names) await stack.gql(`query ${name} { __typename }`);
    await stack.gql('{ __typename }');
    const operations = (await finished(names.length + 1)).filter((s) => s.attributes['graphql.operation.type']);
    expect(new Set(operations.map((s) => s.name))).toEqual(new Set(['query']));
    const labels = operations.map((s) => s.attributes['graphql.operation.name']);
    expect(labels.filter((l) => l === 'other').length).toBeGreaterThanOrEqual(5);
    expect(new Set(labels.filter((l) => l !== 'other' && l !== undefined)).size).toBeLessThanOrEqual(MAX_OPERATION_LABELS);
    expect(labels.at(-1)).toBeUndefined(); // anonymous: no name attribute at all
    for (const span of operations) expect(span.kind).toBe(SpanKind.SERVER);
  });
});

describe('a developer’s first hour with tracing: KS Pay client spans', () => {
  it('carry the HTTP client attributes: method, server, url.template; a status code when an answer came', async () => {
    stack.app.cache.clear();
    await stack.gql('query Fresh { paymentMethods(currencyId: "Q3VycmVuY3k6MQ") { id } }').catch(() => undefined);
    await stack.gql('query FreshCurrencies { currencies { id } }');
    const client = (await finished(2)).filter((s) => s.kind === SpanKind.CLIENT);
    const currencies = client.find((s) => s.attributes['kspay.endpoint'] === 'currencies')!;
    const sandbox = new URL(stack.sandbox.url);
    expect(currencies.name).toBe(`GET ${currencies.attributes['url.template']}`);
    expect(currencies.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': sandbox.hostname,
      'server.port': Number(sandbox.port),
      'http.response.status_code': 200,
    });
    expect(String(currencies.attributes['url.template'])).toMatch(/\/currencies$/);
    expect(currencies.attributes['error.type']).toBeUndefined();
    expect(currencies.attributes['http.request.resend_count']).toBeUndefined();
  });

  it('have no status code when no answer came, and error.type saying why', async () => {
    stack.app.cache.clear();
    stack.sandbox.faults.set({ hang: { currencies: 1 } });
    try {
      await stack.gql('query AfterTimeout { currencies { id } }');
    } finally {
      stack.sandbox.faults.reset();
    }
    const attempts = (await finished(1)).filter((s) => s.kind === SpanKind.CLIENT && s.attributes['kspay.endpoint'] === 'currencies');
    const [first] = attempts;
    expect([first!.attributes['http.response.status_code'], first!.attributes['error.type'], first!.status.code]).toEqual([
      undefined,
      'timeout',
      SpanStatusCode.ERROR,
    ]);
    expect(Object.keys(first!.attributes)).not.toContain('http.response.status_code');
  });
});

describe('a developer’s first hour with tracing: log lines', () => {
  it('carry trace_id and span_id of the span they were written in', async () => {
    const before = stack.logs().length;
    await stack.gql('query Logged { __typename }');
    const spans = await finished(1);
    // The only operation since the reset (its name attribute is `other` by now: the labels are used up above).
    const operation = spans.find((s) => s.attributes['graphql.operation.type'])!;
    const line = stack
      .logs()
      .slice(before)
      .map((text) => JSON.parse(text))
      .find((entry) => entry.operation === 'Logged')!;
    expect(line.trace_id).toBe(operation.spanContext().traceId);
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(spans.map((s) => s.spanContext().spanId)).toContain(line.span_id);
  });
});

describe('a developer’s first hour with tracing: the resource', () => {
  it('is the SDK’s defaults, the gateway’s name and version, then the environment over them', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    vi.stubEnv('OTEL_SERVICE_NAME', 'payments-edge');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'deployment.environment.name=staging,service.namespace=shop');
    try {
      expect(gatewayResource().attributes).toMatchObject({
        'service.name': 'payments-edge',
        'service.version': version,
        'service.namespace': 'shop',
        'deployment.environment.name': 'staging',
        'telemetry.sdk.language': 'nodejs',
        'telemetry.sdk.name': 'opentelemetry',
      });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(gatewayResource().attributes['service.name']).toBe('kspay-gateway');
  });
});
