/**
 * With only the standard variables set (OTEL_EXPORTER_OTLP_ENDPOINT), spans leave over
 * OTLP/HTTP: a local collector stub receives the operation's span at /v1/traces.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { startStack, type Stack } from '../support/stack.js';
import { closeServer, listenOnLoopback } from '../support/loopback.js';

const KEY = 'first-hour-otlp-key-0123456789';
let collector: Server;
const received: { path: string; body: Buffer }[] = [];
let stack: Stack;
let tracing: Tracing;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const endpoint = (await listenOnLoopback(collector)).url;
  // The OTLP exporter reads its own variables from the process environment, as in production.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  tracing = startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } })!;
  stack = await startStack({
    env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' },
    headers: { 'x-api-key': KEY },
    overrides: { tracing },
  });
});

afterAll(async () => {
  await stack?.close();
  if (collector) await closeServer(collector);
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
});

describe("a developer's first hour with an OTLP collector", () => {
  it('exports the operation and its KS Pay calls to the OTLP endpoint', async () => {
    expect(tracing).not.toBeNull();
    await stack.gql('query Catalog { currencies { id } }');
    await tracing.shutdown(); // flushes the batch
    const body = received
      .filter((r) => r.path === '/v1/traces')
      .map((r) => r.body.toString())
      .join('\n');
    expect(body).toContain('POST /graphql');
    expect(body).toContain('"graphql.operation.name"');
    expect(body).toContain('GET /currencies');
    expect(body).toContain('kspay-gateway');
    expect(body).not.toContain(KEY);
  });
});
