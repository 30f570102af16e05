/**
 * Prometheus metrics, in a registry of the gateway's own (so that several gateways in
 * one process, as in the tests, never share counters). Served at /metrics.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from '../kspay/breaker.js';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface Metrics {
  registry: Registry;
  operations: Counter<'operation' | 'outcome'>;
  operationSeconds: Histogram<'operation' | 'outcome'>;
  upstreamCalls: Counter<'endpoint' | 'status'>;
  upstreamSeconds: Histogram<'endpoint' | 'status'>;
  cacheLookups: Counter<'kind' | 'result'>;
  refusals: Counter<'reason'>;
  responseCache: Counter<'result'>;
  /** The label for an operation name: bounded, so client input cannot grow /metrics. */
  operationLabel(name: string | null): string;
}

/** Operation names that may become labels, and how long one may be. */
export const MAX_OPERATION_LABELS = 50;
export const MAX_OPERATION_NAME = 64;

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    operations: new Counter({
      name: 'gateway_operations_total',
      help: 'GraphQL operations by name and outcome (ok, or the first error code)',
      labelNames: ['operation', 'outcome'],
      registers,
    }),
    operationSeconds: new Histogram({
      name: 'gateway_operation_duration_seconds',
      help: 'GraphQL operation duration',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    upstreamCalls: new Counter({
      name: 'kspay_upstream_calls_total',
      help: 'HTTP calls to KS Pay by endpoint and status (0: no response)',
      labelNames: ['endpoint', 'status'],
      registers,
    }),
    upstreamSeconds: new Histogram({
      name: 'kspay_upstream_duration_seconds',
      help: 'KS Pay call latency by endpoint and status',
      labelNames: ['endpoint', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    cacheLookups: new Counter({
      name: 'catalog_cache_lookups_total',
      help: 'Shared catalog cache lookups by kind (currencies, payment-methods) and result',
      labelNames: ['kind', 'result'],
      registers,
    }),
    responseCache: new Counter({
      name: 'gateway_response_cache_total',
      help: 'Catalog answers served from the response cache (hit), executed (miss) and stored (store)',
      labelNames: ['result'],
      registers,
    }),
    operationLabel: boundedLabels(),
    refusals: new Counter({
      name: 'gateway_http_refusals_total',
      help: 'Requests the front door refused before GraphQL, by reason (unauthenticated, too-large, …)',
      labelNames: ['reason'],
      registers,
    }),
  };
}

/** Names become labels only while fewer than MAX_OPERATION_LABELS are known and they are short; then `other`. */
function boundedLabels(): (name: string | null) => string {
  const known = new Set<string>();
  return (name) => {
    if (name === null) return 'anonymous';
    if (known.has(name)) return name;
    if (known.size >= MAX_OPERATION_LABELS || name.length > MAX_OPERATION_NAME) return 'other';
    known.add(name);
    return name;
  };
}

/** Adds the breaker gauge, read at each scrape; registered once the client that owns the breaker exists. */
export function gaugeBreakerState(metrics: Metrics, breakerState: () => BreakerState): void {
  new Gauge({
    name: 'kspay_circuit_breaker_state',
    help: 'Circuit breaker towards KS Pay: 0 closed, 1 half-open, 2 open',
    registers: [metrics.registry],
    collect() {
      this.set(BREAKER_VALUE[breakerState()]);
    },
  });
}
