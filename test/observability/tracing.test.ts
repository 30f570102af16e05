/**
 * Traces of a whole payment (initiate → process → verify) in production mode, caught by an
 * in-memory exporter: one span per operation, a child of the client's W3C traceparent; one
 * child span per KS Pay exchange, whose own traceparent reaches the sandbox; and not one
 * secret, token, signature or API key in any span.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitiatePaymentDocument, ProcessPaymentDocument, VerifyPaymentReturnDocument } from '../../examples/gql/graphql.js';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';

const KEY = 'first-hour-trace-key-0123456789';
const PRODUCTION = { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' };
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: Stack;

beforeAll(async () => {
  tracing = startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] })!;
  stack = await startStack({ env: PRODUCTION, headers: { 'x-api-key': KEY }, overrides: { tracing } });
});
afterAll(async () => {
  await stack?.close();
  await tracing?.shutdown();
});

/** The three operations of one payment, each sent with the client's traceparent. */
async function pay() {
  const traced = { traceparent: TRACEPARENT };
  const { currencyId, paymentMethodId } = exampleIdsOf();
  const initiated = await stack.gql(
    InitiatePaymentDocument,
    { input: { currencyId, paymentMethodId, amount: '345.67', referenceNumber: newReference('trace'), redirectUrl: 'https://shop.example/r' } },
    traced,
  );
  const success = initiated.data.initiateTransaction;
  if (success.__typename !== 'InitiateTransactionSuccess') throw new Error(JSON.stringify(success));
  const processed = await stack.gql(ProcessPaymentDocument, { input: { signature: success.signature } }, traced);
  if (processed.data.processTransaction.__typename !== 'ProcessTransactionSuccess') throw new Error('process failed');
  const back = await pressCheckout(processed.data.processTransaction.checkoutUrl!, 'pay');
  const verified = await stack.gql(
    VerifyPaymentReturnDocument,
    { kspayId: back.searchParams.get('kspay_id')!, paymentStatus: 'success', providerPaymentId: back.searchParams.get('provider_payment_id') },
    traced,
  );
  expect(verified.data.verifyPaymentReturn.verified).toBe(true);
  return { signature: success.signature };
}

const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('a developer’s first hour with tracing: traces of a payment', () => {
  let spans: ReadableSpan[];
  let signature: string;

  beforeAll(async () => {
    exporter.reset();
    ({ signature } = await pay());
    spans = exporter.getFinishedSpans();
  });

  it('one span per operation, under its HTTP request’s span, a child of the client’s traceparent', () => {
    const requests = spans.filter((span) => span.name === 'POST /graphql');
    const operations = spans.filter((span) => span.attributes['graphql.operation.type']);
    expect(operations.map((span) => [span.name, span.attributes['graphql.operation.name']])).toEqual([
      ['mutation', 'InitiatePayment'],
      ['mutation', 'ProcessPayment'],
      ['query', 'VerifyPaymentReturn'],
    ]);
    expect(requests).toHaveLength(3);
    for (const [i, span] of operations.entries()) {
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.spanContext().traceId).toBe(CLIENT_TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(requests[i]!.spanContext().spanId);
      expect(requests[i]!.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    }
  });

  it('their KS Pay calls as child spans: endpoint, status, attempt, breaker state', () => {
    const upstream = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(upstream.length).toBe(stack.sandbox.calls.count());
    for (const operation of spans.filter((span) => span.attributes['graphql.operation.type'])) {
      const calls = childrenOf(spans, operation);
      expect(calls.length, operation.name).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.kind).toBe(SpanKind.CLIENT);
        expect(call.attributes).toMatchObject({
          'kspay.endpoint': expect.any(String),
          'kspay.breaker.state': 'closed',
          'kspay.breaker.state_after': 'closed',
        });
        expect(call.attributes['http.request.resend_count']).toBeUndefined();
        expect(call.attributes['http.response.status_code']).toSatisfy((status: number) => status >= 200 && status < 300);
      }
    }
    const initiate = spans.find((span) => span.attributes['graphql.operation.name'] === 'InitiatePayment')!;
    expect(childrenOf(spans, initiate).map((span) => span.attributes['kspay.endpoint'])).toContain('initiate');
  });

  it('each KS Pay request carries its own span’s traceparent', () => {
    const received = stack.sandbox.traceparents();
    const upstream = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(received).toEqual(upstream.map((span) => `00-${CLIENT_TRACE_ID}-${span.spanContext().spanId}-01`));
  });

  it('no secret, token, signature or API key in any span', () => {
    const { secretKey, accessKey } = stack.sandbox.credentials;
    const secrets = [secretKey, accessKey, KEY, signature, ...stack.sandbox.tokens.issued()];
    expect(secrets.length).toBeGreaterThan(4);
    const text = JSON.stringify(
      spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, resource: span.resource.attributes })),
    );
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('a developer’s first hour with tracing: a retried read', () => {
  it('is one span per attempt under its operation, the retry marked and the failure an error', async () => {
    exporter.reset();
    stack.sandbox.faults.set({ forceError: { transactions: { status: 500, code: 26, message: 'busy', times: 1 } } });
    try {
      const answer = await stack.gql('query Recent { transactions(first: 1) { totalCount } }', undefined, { traceparent: TRACEPARENT });
      expect(answer.errors).toBeUndefined();
    } finally {
      stack.sandbox.faults.reset();
    }
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((span) => span.attributes['graphql.operation.name'] === 'Recent')!;
    const attempts = childrenOf(spans, operation).filter((span) => span.attributes['kspay.endpoint'] === 'transactions');
    expect(
      attempts.map((span) => [
        span.attributes['http.request.resend_count'],
        span.attributes['http.response.status_code'],
        span.attributes['error.type'],
        span.status.code,
      ]),
    ).toEqual([
      [undefined, 500, '500', SpanStatusCode.ERROR],
      [1, 200, undefined, SpanStatusCode.UNSET],
    ]);
  });
});

describe('a developer’s first hour with tracing: tracing off', () => {
  it('starts nothing without an OTEL_* variable asking for it, or with the exporter none', () => {
    expect(startTracing({ env: {} })).toBeNull();
    expect(startTracing({ env: { OTEL_SERVICE_NAME: 'x' } })).toBeNull();
    expect(startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' } })).toBeNull();
    expect(startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' } })).toBeNull();
    expect(() => startTracing({ env: { OTEL_TRACES_EXPORTER: 'zipkin' } })).toThrow(/OTEL_TRACES_EXPORTER/);
  });

  it('a gateway without tracing sends KS Pay no traceparent', async () => {
    const plain = await startStack({ env: PRODUCTION, headers: { 'x-api-key': KEY } });
    try {
      const before = plain.sandbox.traceparents().length;
      await plain.gql('{ currencies { id } }', undefined, { traceparent: TRACEPARENT });
      expect(plain.sandbox.calls.count()).toBeGreaterThan(0);
      expect(plain.sandbox.traceparents().length).toBe(before);
    } finally {
      await plain.close();
    }
  });
});
