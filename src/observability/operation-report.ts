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

/** Response-cache hits are logged one in this many (each such line says so); metrics count every one. */
export const HIT_LOG_SAMPLE = 100;

/** The one builder of operation reports: made once per gateway, shared by yoga's plugin and the response cache. */
export interface OperationReports {
  /** An operation yoga ran (or refused at validation). */
  executed(report: OperationReport): void;
  /** A response-cache hit: an operation answered `ok` with no upstream call. */
  cached(operation: string | null, requestId: string, durationMs: number): void;
}

/**
 * Both kinds of answer are counted by the same labels, made once per operation label and
 * outcome (at most MAX_OPERATION_LABELS × the error codes), and logged as the same line; on the
 * warm path a hit is logged one in HIT_LOG_SAMPLE.
 */
export function createOperationReports(logger: Logger, metrics: Metrics): OperationReports {
  const labelsOf = new Map<string, { operation: string; outcome: string }>();
  const hit = { result: 'hit' } as const;
  let hits = 0;
  function count(operation: string | null, outcome: string, durationMs: number): void {
    const label = metrics.operationLabel(operation);
    const memo = `${outcome}\n${label}`;
    let labels = labelsOf.get(memo);
    if (!labels) {
      labels = { operation: label, outcome };
      labelsOf.set(memo, labels);
    }
    metrics.operations.inc(labels);
    metrics.operationSeconds.observe(labels, durationMs / 1000);
  }
  function log(report: OperationReport, outcome: string, extra?: { cached: true; sampled: number }): void {
    // Quieter than info (LOG_LEVEL=warn, silent): the line is never built.
    if (!logger.isLevelEnabled('info')) return;
    const line = { ...report, operation: shortName(report.operation), durationMs: tenths(report.durationMs), outcome };
    logger.info(extra ? { ...line, ...extra } : line, 'graphql operation');
  }
  return {
    executed(report) {
      const outcome = report.errorCodes[0] ?? 'ok';
      count(report.operation, outcome, report.durationMs);
      log(report, outcome);
    },
    cached(operation, requestId, durationMs) {
      metrics.responseCacheLookups.inc(hit);
      count(operation, 'ok', durationMs);
      if (++hits % HIT_LOG_SAMPLE !== 0) return;
      log({ requestId, operation, durationMs, upstreamCalls: 0, errorCodes: [] }, 'ok', { cached: true, sampled: HIT_LOG_SAMPLE });
    },
  };
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** An operation name as a log line carries it: at most MAX_OPERATION_NAME characters. */
export function shortName(name: string | null): string {
  if (name === null) return 'anonymous';
  return name.length > MAX_OPERATION_NAME ? `${name.slice(0, MAX_OPERATION_NAME)}…` : name;
}
