/**
 * Prometheus metrics, in a registry of the gateway's own (so that several gateways in
 * one process, as in the tests, never share counters). Served at /metrics.
 *
 * Names follow Prometheus' conventions: the gateway's own series share the `kspay_gateway_`
 * prefix, carry their base unit (`_seconds`, `_bytes`) and counters end in `_total`; a label
 * is left out rather than given a sentinel value. The Node.js process series (CPU, memory,
 * heap, event-loop lag, GC) keep the names every client library gives them (`process_*`,
 * `nodejs_*`), so stock dashboards read them. docs/operations/ builds on these names.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
/** The prefix of every series the gateway defines. */
export const METRIC_PREFIX = 'kspay_gateway_';
const BREAKER_STATES = ['closed', 'half-open', 'open'];
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Operation names that may become labels, and how long one may be. */
export const MAX_OPERATION_LABELS = 50;
export const MAX_OPERATION_NAME = 64;
export function createMetrics() {
    const registry = new Registry();
    const registers = [registry];
    collectDefaultMetrics({ register: registry });
    return {
        registry,
        operations: new Counter({
            name: `${METRIC_PREFIX}graphql_operations_total`,
            help: 'GraphQL operations by name and outcome (ok, or the first error code)',
            labelNames: ['operation', 'outcome'],
            registers,
        }),
        operationSeconds: new Histogram({
            name: `${METRIC_PREFIX}graphql_operation_duration_seconds`,
            help: 'GraphQL operation duration',
            labelNames: ['operation', 'outcome'],
            buckets: SECONDS_BUCKETS,
            registers,
        }),
        upstreamRequests: new Counter({
            name: `${METRIC_PREFIX}upstream_requests_total`,
            help: 'HTTP requests to KS Pay by endpoint, status_code (absent when no answer came) and error_type (absent on success)',
            labelNames: ['endpoint', 'status_code', 'error_type'],
            registers,
        }),
        upstreamSeconds: new Histogram({
            name: `${METRIC_PREFIX}upstream_request_duration_seconds`,
            help: 'KS Pay request duration by endpoint, status_code and error_type',
            labelNames: ['endpoint', 'status_code', 'error_type'],
            buckets: SECONDS_BUCKETS,
            registers,
        }),
        cacheLookups: new Counter({
            name: `${METRIC_PREFIX}catalog_cache_lookups_total`,
            help: 'Shared catalog cache lookups by kind (currencies, payment-methods) and result (hit, miss)',
            labelNames: ['kind', 'result'],
            registers,
        }),
        responseCacheLookups: new Counter({
            name: `${METRIC_PREFIX}response_cache_lookups_total`,
            help: 'Response-cache lookups of catalog answers by result: hit (served from the cache), miss (executed)',
            labelNames: ['result'],
            registers,
        }),
        responseCacheWrites: new Counter({
            name: `${METRIC_PREFIX}response_cache_writes_total`,
            help: 'Catalog answers stored in the response cache',
            registers,
        }),
        operationLabel: boundedLabels(),
        refusals: new Counter({
            name: `${METRIC_PREFIX}http_refusals_total`,
            help: 'Requests the front door refused before GraphQL, by reason (unauthenticated, too-large, …)',
            labelNames: ['reason'],
            registers,
        }),
    };
}
/** The labels of one upstream exchange, by the rule above. */
export function upstreamLabels(status, errorType) {
    return { ...(status > 0 && { status_code: String(status) }), ...(errorType !== null && { error_type: errorType }) };
}
/** Names become labels only while fewer than MAX_OPERATION_LABELS are known and they are short; then `other`. */
function boundedLabels() {
    const known = new Set();
    return (name) => {
        if (name === null)
            return 'anonymous';
        if (known.has(name))
            return name;
        if (known.size >= MAX_OPERATION_LABELS || name.length > MAX_OPERATION_NAME)
            return 'other';
        known.add(name);
        return name;
    };
}
/** Adds the breaker gauge, read at each scrape: 1 for the current `state`, 0 for the others (Prometheus' state-set form). */
/** 1 while this instance drains for shutdown: an instance that stays draining past its deadline is stuck. */
export function gaugeDraining(metrics, draining) {
    new Gauge({
        name: `${METRIC_PREFIX}draining`,
        help: 'Whether this instance is draining for shutdown (1) or serving (0)',
        registers: [metrics.registry],
        collect() {
            this.set(draining() ? 1 : 0);
        },
    });
}
export function gaugeBreakerState(metrics, breakerState) {
    new Gauge({
        name: `${METRIC_PREFIX}upstream_circuit_breaker_state`,
        help: 'Circuit breaker towards KS Pay: 1 for the current state (closed, half-open, open), 0 for the others',
        labelNames: ['state'],
        registers: [metrics.registry],
        collect() {
            const current = breakerState();
            for (const state of BREAKER_STATES)
                this.set({ state }, state === current ? 1 : 0);
        },
    });
}
