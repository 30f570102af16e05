/**
 * One log line and one set of metrics per GraphQL operation, however it was answered:
 * executed by yoga (src/plugins/use-observability.ts) or served from the response cache
 * (src/http/cached-graphql.ts). Client input reaches neither unbounded.
 */
import type { Logger } from './logger.js';
import { MAX_OPERATION_NAME, type Metrics } from './metrics.js';

export interface OperationReport {
  requestId: string;
  operation: string | null;
  durationMs: number;
  upstreamCalls: number;
  errorCodes: string[];
}

export type OperationReporter = (report: OperationReport) => void;

export function createOperationReporter(logger: Logger, metrics: Metrics): OperationReporter {
  return ({ operation, ...entry }) => {
    const outcome = entry.errorCodes[0] ?? 'ok';
    const label = metrics.operationLabel(operation);
    metrics.operations.inc({ operation: label, outcome });
    metrics.operationSeconds.observe({ operation: label, outcome }, entry.durationMs / 1000);
    logger.info({ ...entry, operation: shortName(operation), durationMs: tenths(entry.durationMs), outcome }, 'graphql operation');
  };
}

/** Response-cache hits are logged one in this many (each such line says so); metrics count every one. */
export const HIT_LOG_SAMPLE = 100;

/** A response-cache hit: an operation answered `ok` with no upstream call. */
export type HitReporter = (operation: string | null, requestId: string, durationMs: number) => void;

/**
 * The hits' report, on the warm path: counted exactly like any operation, with the label
 * objects made once per operation label (at most MAX_OPERATION_LABELS of them), and a log
 * line for one hit in HIT_LOG_SAMPLE.
 */
export function createHitReporter(logger: Logger, metrics: Metrics): HitReporter {
  const labelsOf = new Map<string, { operation: string; outcome: 'ok' }>();
  const hit = { result: 'hit' } as const;
  let hits = 0;
  return (operation, requestId, durationMs) => {
    const label = metrics.operationLabel(operation);
    let labels = labelsOf.get(label);
    if (!labels) {
      labels = { operation: label, outcome: 'ok' };
      labelsOf.set(label, labels);
    }
    metrics.responseCacheLookups.inc(hit);
    metrics.operations.inc(labels);
    metrics.operationSeconds.observe(labels, durationMs / 1000);
    if (++hits % HIT_LOG_SAMPLE !== 0) return;
    const line = { requestId, operation: shortName(operation), durationMs: tenths(durationMs), upstreamCalls: 0, errorCodes: [], outcome: 'ok' };
    logger.info({ ...line, cached: true, sampled: HIT_LOG_SAMPLE }, 'graphql operation');
  };
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** An operation name as a log line carries it: at most MAX_OPERATION_NAME characters. */
export function shortName(name: string | null): string {
  if (name === null) return 'anonymous';
  return name.length > MAX_OPERATION_NAME ? `${name.slice(0, MAX_OPERATION_NAME)}…` : name;
}
