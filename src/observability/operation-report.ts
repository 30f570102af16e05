/**
 * One log line and one set of metrics per GraphQL operation, however it was answered:
 * executed by yoga (src/plugins/observability.ts) or served from the response cache
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

export interface ReportOptions {
  /** Set when the log line stands for this many operations (cache hits are logged 1 in N). */
  sampled?: number;
  cached?: boolean;
}

export type OperationReporter = (report: OperationReport, options?: ReportOptions & { log?: boolean }) => void;

export function createOperationReporter(logger: Logger, metrics: Metrics): OperationReporter {
  return ({ operation, ...entry }, { log = true, ...options } = {}) => {
    const outcome = entry.errorCodes[0] ?? 'ok';
    const label = metrics.operationLabel(operation);
    metrics.operations.inc({ operation: label, outcome });
    metrics.operationSeconds.observe({ operation: label, outcome }, entry.durationMs / 1000);
    if (!log) return;
    const durationMs = Math.round(entry.durationMs * 10) / 10;
    logger.info({ ...entry, ...options, operation: shortName(operation), durationMs, outcome }, 'graphql operation');
  };
}

/** An operation name as a log line carries it: at most MAX_OPERATION_NAME characters. */
export function shortName(name: string | null): string {
  if (name === null) return 'anonymous';
  return name.length > MAX_OPERATION_NAME ? `${name.slice(0, MAX_OPERATION_NAME)}…` : name;
}
