/**
 * Logs and traces, and the variables read outside loadConfig: OpenTelemetry's standard
 * variables (read by src/observability/tracing.ts and the SDK), and those of the sandbox
 * and test runner npm scripts. Defined here so the reference lists them too.
 */
import { z } from 'zod';
import { parseWith, setting } from './settings.js';
import { DEPENDENCY_CHECK_CACHE_MS } from './tuning.js';
export const OBSERVABILITY_VARIABLES = {
    LOG_LEVEL: setting('observability', 'LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent (JSON lines on stdout).'),
};
/** Read by other code than loadConfig: listed in the reference, checked where they are read. */
export const VARIABLES_READ_ELSEWHERE = [
    setting('observability', 'OTEL_EXPORTER_OTLP_ENDPOINT', null, 'Export traces over OTLP/HTTP to this collector (`/v1/traces` is appended). Setting it turns tracing on.', 'unset (no tracing)'),
    setting('observability', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', null, 'The same, as the full traces URL (wins over the one above).', 'unset'),
    setting('observability', 'OTEL_TRACES_EXPORTER', null, '`otlp`, `console` or `none` (comma-separated); `none` keeps tracing off.', 'otlp when an endpoint is set'),
    setting('observability', 'OTEL_SERVICE_NAME', 'kspay-gateway', "The traces' service.name (OTEL_RESOURCE_ATTRIBUTES works too)."),
    setting('observability', 'OTEL_SDK_DISABLED', false, '`true` keeps tracing off whatever the other OTEL_* variables say.'),
    setting('tools', 'SANDBOX_PORT', 4010, '`npm run sandbox`: the port the stand-alone sandbox listens on (on HOST).'),
    setting('tools', 'SANDBOX_PUBLIC_URL', null, "`npm run sandbox`: the sandbox's URL as payers' browsers reach it, used in the payment pages' links it returns (behind a proxy or in a container).", 'the URL it listens on'),
    setting('tools', 'CHROMIUM_PATH', '/usr/bin/chromium', '`npm test`: the Chromium binary the browser-client tests drive.'),
];
export function parseObservability(env) {
    return Object.freeze({
        logLevel: parseWith(env, OBSERVABILITY_VARIABLES.LOG_LEVEL, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
        dependencyCheckCacheMs: DEPENDENCY_CHECK_CACHE_MS,
    });
}
