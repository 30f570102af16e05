/**
 * OpenTelemetry traces, by the semantic conventions: a SERVER span per HTTP request
 * (./http-spans.ts, a child of the client's W3C `traceparent` when it sends one), under it a
 * SERVER span per GraphQL operation (./tracing-plugin.ts), under that a CLIENT span per KS Pay
 * HTTP exchange, whose own trace context goes on to KS Pay. Exported over OTLP when the
 * standard variables ask for it (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * or OTEL_TRACES_EXPORTER); otherwise nothing starts: no SDK, no context manager, no plugin.
 *
 * Span attributes are the conventions' names (plus `kspay.*`) with values the gateway chose
 * (method, route or URL template, status, breaker state, operation type, a bounded operation
 * name, error codes): never a header value, a query string, variables or a document, so no
 * key, token or signature can reach one.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { readFileSync } from 'node:fs';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
const EXPORTERS = ['otlp', 'console', 'none'];
/** Starts the SDK when the OTEL_* variables (or a test's span processors) ask for traces; else null, at no cost. */
export function startTracing({ env = process.env, spanProcessors } = {}) {
    const processors = spanProcessors ?? exportersFromEnv(env);
    if (!processors)
        return null;
    const provider = new NodeTracerProvider({
        resource: gatewayResource(),
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
/**
 * The SDK's defaults (telemetry.sdk.*), then the gateway's name and version, then what the
 * environment says (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, read by the SDK's own
 * detector), each layer over the one before: an operator's service.name or
 * deployment.environment wins, and nothing the SDK knows is dropped.
 */
export function gatewayResource() {
    return defaultResource()
        .merge(resourceFromAttributes({ 'service.name': 'kspay-gateway', 'service.version': packageVersion() }))
        .merge(detectResources({ detectors: [envDetector] }));
}
function packageVersion() {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return version;
}
function exportersFromEnv(env) {
    if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true')
        return null;
    const names = (env.OTEL_TRACES_EXPORTER ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean);
    const unknown = names.find((name) => !EXPORTERS.includes(name));
    if (unknown)
        throw new TracingConfigError(`OTEL_TRACES_EXPORTER: "${unknown}" is not one of ${EXPORTERS.join(', ')}`);
    const endpointSet = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
    // The variables' own default is otlp, but only a set endpoint or exporter turns tracing on here.
    const wanted = names.length > 0 ? names : endpointSet ? ['otlp'] : [];
    if (wanted.includes('none') || wanted.length === 0)
        return null;
    return wanted.map((name) => new BatchSpanProcessor(name === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter()));
}
export class TracingConfigError extends Error {
}
/** The client's trace context, from a request's headers: the parent of its operation's span. */
export function clientTraceContext(headers) {
    if (!headers)
        return ROOT_CONTEXT;
    return propagation.extract(ROOT_CONTEXT, headers, {
        get: (carrier, key) => carrier.get(key) ?? undefined,
        keys: (carrier) => [...carrier.keys()],
    });
}
/** Each KS Pay endpoint's method and path template (docs/kspay-api.md), for `url.template` and the span name. */
const ENDPOINT_ROUTES = {
    generateToken: { method: 'POST', template: '/auth/generate-token/{appId}' },
    refreshToken: { method: 'POST', template: '/auth/refresh-token' },
    currencies: { method: 'GET', template: '/currencies' },
    paymentMethods: { method: 'GET', template: '/{currencyId}/payment-methods' },
    transaction: { method: 'GET', template: '/transaction/txnId/{id}' },
    transactions: { method: 'GET', template: '/transaction' },
    initiate: { method: 'POST', template: '/transaction/initiate' },
    process: { method: 'POST', template: '/transaction/process' },
};
export function upstreamTracing(tracer, baseUrl, breakerState) {
    const base = new URL(baseUrl);
    const basePath = base.pathname.replace(/\/+$/, '');
    const server = { 'server.address': base.hostname, 'server.port': Number(base.port) || (base.protocol === 'https:' ? 443 : 80) };
    // Keyed by the headers object the transport hands back in the exchange's CallEvent.
    const open = new WeakMap();
    return {
        requestHeaders({ endpoint, attempt }) {
            const { method, template } = ENDPOINT_ROUTES[endpoint];
            const urlTemplate = basePath + template;
            const span = tracer.startSpan(`${method} ${urlTemplate}`, {
                kind: SpanKind.CLIENT,
                attributes: {
                    'http.request.method': method,
                    ...server,
                    'url.template': urlTemplate,
                    ...(attempt > 1 && { 'http.request.resend_count': attempt - 1 }),
                    'kspay.endpoint': endpoint,
                    'kspay.breaker.state': breakerState(),
                },
            });
            const headers = {};
            propagation.inject(trace.setSpan(context.active(), span), headers);
            open.set(headers, span);
            return headers;
        },
        onCall({ status, errorType, requestHeaders }) {
            const span = requestHeaders && open.get(requestHeaders);
            if (!span)
                return;
            open.delete(requestHeaders);
            // No status code when no answer came (timeout, network); the breaker state is the one this exchange left behind.
            if (status > 0)
                span.setAttribute('http.response.status_code', status);
            span.setAttribute('kspay.breaker.state_after', breakerState());
            if (errorType !== null) {
                span.setAttribute('error.type', errorType);
                span.setStatus({ code: SpanStatusCode.ERROR });
            }
            span.end();
        },
    };
}
