/** Where the gateway listens, which browsers may call it, and how many connections it holds. */
import { addressRanges, count, flag, headerNames, milliseconds, origins, port } from './rules.js';
import { parseWith, read, setting } from './settings.js';
import { SERVER_TIMEOUTS } from './tuning.js';
export const SERVER_VARIABLES = {
    NODE_ENV: setting('server', 'NODE_ENV', undefined, '`production` never starts the built-in sandbox.', 'unset'),
    HOST: setting('server', 'HOST', '127.0.0.1', 'The address the gateway (and METRICS_PORT) listens on. The container image sets 0.0.0.0.'),
    PORT: setting('server', 'PORT', 4000, 'The port of /graphql, the health endpoints and (without METRICS_PORT) /metrics.'),
    METRICS_PORT: setting('server', 'METRICS_PORT', null, 'Serve /metrics on this port instead of PORT (which then answers it 404): let only Prometheus reach it.', 'unset (/metrics on PORT)'),
    GRAPHIQL: setting('server', 'GRAPHIQL', false, 'Serve GraphiQL on GET /graphql.', 'on with the built-in sandbox, off otherwise'),
    CORS_ORIGINS: setting('server', 'CORS_ORIGINS', [], 'Comma-separated origins (such as https://shop.example) allowed to call from a browser.', 'none (no cross-origin access)'),
    CORS_ALLOW_HEADERS: setting('server', 'CORS_ALLOW_HEADERS', [], 'Comma-separated request headers browsers may send beside the ones the common GraphQL clients use.', 'none'),
    // Above the WebSocket cap, so a direct client's extra socket gets its close code rather than a reset.
    MAX_CONNECTIONS_PER_ADDRESS: setting('server', 'MAX_CONNECTIONS_PER_ADDRESS', 128, 'Open connections (HTTP and WebSocket) one client address may hold.'),
    MAX_CONNECTIONS: setting('server', 'MAX_CONNECTIONS', 10_000, 'Open connections on this instance, all clients together.'),
    TRUSTED_PROXIES: setting('server', 'TRUSTED_PROXIES', [], 'Comma-separated IP addresses or CIDR ranges of your load balancers: only their X-Forwarded-For is believed.', 'none'),
    // Below Kubernetes' default 30 s grace period, with room left to close the stores.
    SHUTDOWN_DRAIN_MS: setting('server', 'SHUTDOWN_DRAIN_MS', 20_000, 'On SIGTERM, how long requests, streams and webhook attempts in flight may take to finish.'),
};
const V = SERVER_VARIABLES;
export function readHost(env) {
    return read(env, V.HOST.name) ?? V.HOST.fallback;
}
export function readNodeEnv(env) {
    return read(env, V.NODE_ENV.name);
}
export function parseServer(env, usesBuiltInSandbox) {
    return Object.freeze({
        host: readHost(env),
        port: parseWith(env, V.PORT, port),
        metricsPort: parseWith(env, V.METRICS_PORT, port),
        graphiql: parseWith(env, V.GRAPHIQL, flag, usesBuiltInSandbox),
        cors: Object.freeze({ origins: parseWith(env, V.CORS_ORIGINS, origins), allowHeaders: parseWith(env, V.CORS_ALLOW_HEADERS, headerNames) }),
        connections: Object.freeze({
            maxPerAddress: parseWith(env, V.MAX_CONNECTIONS_PER_ADDRESS, count),
            maxTotal: parseWith(env, V.MAX_CONNECTIONS, count),
            trustedProxies: parseWith(env, V.TRUSTED_PROXIES, addressRanges),
        }),
        timeouts: SERVER_TIMEOUTS,
        shutdownDrainMs: parseWith(env, V.SHUTDOWN_DRAIN_MS, milliseconds),
    });
}
