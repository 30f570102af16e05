/**
 * Structured JSON logs (pino). Secrets are redacted by configuration as a safety net:
 * the gateway never logs them on purpose, and these paths make sure it cannot by accident.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, {} from 'pino';
export const REDACTED_PATHS = [
    'secretKey',
    'accessKey',
    'accessToken',
    'refreshToken',
    'signature',
    'authorization',
    '*.secretKey',
    '*.accessKey',
    '*.accessToken',
    '*.refreshToken',
    '*.signature',
    '*.authorization',
    'headers["x-api-key"]',
    'headers["x-signature"]',
    'variables.input.signature',
];
export function createLogger(level, destination) {
    return pino({
        level,
        base: { service: 'kspay-gateway' },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        timestamp: pino.stdTimeFunctions.isoTime,
        mixin: traceFields,
    }, destination);
}
/**
 * `trace_id` and `span_id` (OpenTelemetry's log field names) of the span active when the
 * line is written, so a log line leads to its trace; nothing when tracing is off or no span is.
 */
function traceFields() {
    // A new object each time: pino assigns the line's own fields onto what the mixin returns.
    const span = trace.getActiveSpan();
    if (!span)
        return {};
    const spanContext = span.spanContext();
    if (!isSpanContextValid(spanContext))
        return {};
    return { trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2) };
}
