/**
 * OpenTelemetry traces: a span per GraphQL operation (a child of the client's W3C
 * `traceparent` when it sends one) with a child span per KS Pay HTTP exchange, whose own
 * trace context goes on to KS Pay. Exported over OTLP when the standard variables ask for
 * it (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
 * OTEL_TRACES_EXPORTER); otherwise nothing starts: no SDK, no context manager, no plugin.
 *
 * Span attributes are fixed names with values the gateway chose (endpoint, status,
 * attempt, breaker state, operation type, a bounded operation name, error codes): never a
 * header, a URL, variables or a document, so no key, token or signature can reach one.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { CallEvent, CallStart } from '../kspay/http.js';
import type { BreakerState } from '../kspay/breaker.js';

export interface Tracing {
  tracer: Tracer;
  /** Flushes the spans not yet exported and stops the SDK. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  env?: Record<string, string | undefined>;
  /** Where spans go instead of the exporter the variables name (tests: an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

const EXPORTERS = ['otlp', 'console', 'none'] as const;

/** Starts the SDK when the OTEL_* variables (or a test's span processors) ask for traces; else null, at no cost. */
export function startTracing({ env = process.env, spanProcessors }: TracingOptions = {}): Tracing | null {
  const processors = spanProcessors ?? exportersFromEnv(env);
  if (!processors) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'kspay-gateway' }),
    spanProcessors: processors,
  });
  // The global provider, an AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  return {
    tracer: provider.getTracer('kspay-gateway'),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

function exportersFromEnv(env: Record<string, string | undefined>): SpanProcessor[] | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const names = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.find((name) => !(EXPORTERS as readonly string[]).includes(name));
  if (unknown) throw new TracingConfigError(`OTEL_TRACES_EXPORTER: "${unknown}" is not one of ${EXPORTERS.join(', ')}`);
  const endpointSet = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  // The variables' own default is otlp, but only a set endpoint or exporter turns tracing on here.
  const wanted = names.length > 0 ? names : endpointSet ? ['otlp'] : [];
  if (wanted.includes('none') || wanted.length === 0) return null;
  return wanted.map((name) => new BatchSpanProcessor(name === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter()));
}

export class TracingConfigError extends Error {}

/** Longer operation names are cut in span names and attributes (they are client input). */
const MAX_NAME_LENGTH = 64;

export function boundedName(name: string): string {
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name;
}

/** The client's trace context, from a request's headers: the parent of its operation's span. */
export function clientTraceContext(headers: Headers | undefined) {
  if (!headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, {
    get: (carrier, key) => carrier.get(key) ?? undefined,
    keys: (carrier) => [...carrier.keys()],
  });
}

/**
 * The KS Pay client's tracing hooks: `requestHeaders` opens a span for an exchange, in the
 * operation's context, and hands KS Pay its traceparent; `onCall` closes it with the answer.
 */
export interface UpstreamTracing {
  requestHeaders(call: CallStart): Record<string, string>;
  onCall(event: CallEvent): void;
}

export function upstreamTracing(tracer: Tracer, breakerState: () => BreakerState): UpstreamTracing {
  // Keyed by the headers object the transport hands back in the exchange's CallEvent.
  const open = new WeakMap<object, Span>();
  return {
    requestHeaders({ endpoint, attempt }: CallStart): Record<string, string> {
      const span = tracer.startSpan(`KS Pay ${endpoint}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'kspay.endpoint': endpoint, 'kspay.attempt': attempt, 'kspay.retry': attempt > 1, 'kspay.breaker.state': breakerState() },
      });
      const headers: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), headers);
      open.set(headers, span);
      return headers;
    },
    onCall({ status, requestHeaders }: CallEvent): void {
      const span = requestHeaders && open.get(requestHeaders);
      if (!span) return;
      open.delete(requestHeaders!);
      // 0: no answer (timeout, network); the breaker state is the one this exchange left behind.
      span.setAttributes({ 'http.response.status_code': status, 'kspay.breaker.state_after': breakerState() });
      if (status === 0 || status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
