import { MAX_OPERATION_NAME } from './metrics.js';
/** Response-cache hits are logged one in this many (each such line says so); metrics count every one. */
export const HIT_LOG_SAMPLE = 100;
/**
 * Both kinds of answer are counted by the same labels, made once per operation label and
 * outcome (at most MAX_OPERATION_LABELS × the error codes), and logged as the same line; on the
 * warm path a hit is logged one in HIT_LOG_SAMPLE.
 */
export function createOperationReports(logger, metrics) {
    const labelsOf = new Map();
    const hit = { result: 'hit' };
    let hits = 0;
    function count(operation, outcome, durationMs) {
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
    function log(report, outcome, extra) {
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
            if (++hits % HIT_LOG_SAMPLE !== 0)
                return;
            log({ requestId, operation, durationMs, upstreamCalls: 0, errorCodes: [] }, 'ok', { cached: true, sampled: HIT_LOG_SAMPLE });
        },
    };
}
const tenths = (ms) => Math.round(ms * 10) / 10;
/** An operation name as a log line carries it: at most MAX_OPERATION_NAME characters. */
export function shortName(name) {
    if (name === null)
        return 'anonymous';
    return name.length > MAX_OPERATION_NAME ? `${name.slice(0, MAX_OPERATION_NAME)}…` : name;
}
