/**
 * Assembles the gateway from configuration: logger and metrics, the parts below yoga
 * (src/services.ts: KS Pay client, stores, catalog cache, payments, live updates, webhooks),
 * yoga, the front door and graphql-ws. Listening is left to the caller (main.ts, tests,
 * bench) through `listen`.
 */
import { createServer } from 'node:http';
import { TransactionCursors } from './reads/transaction-cursor.js';
import { withOverrides } from './config.js';
import { PAYMENT_RETURN_PATH } from './graphiql.js';
import { createRequestPolicy } from './http/request-policy.js';
import { corsPolicy } from './http/cors.js';
import { createFrontDoor, GRAPHQL_PATH } from './http/front-door.js';
import { createCachedGraphQL } from './http/cached-graphql.js';
import { createConnectionGuard } from './http/connections.js';
import { healthEndpoints } from './http/health.js';
import { ResponseCache } from './http/response-cache.js';
import { InstanceState } from './lifecycle/instance-state.js';
import { createLogger } from './observability/logger.js';
import { createMetrics, gaugeDraining } from './observability/metrics.js';
import { createOperationReports } from './observability/operation-report.js';
import { traceHttpRequests } from './observability/http-spans.js';
import { createWebSocketDoor } from './http/websocket.js';
import { createWebSocketAdmission } from './http/websocket-admission.js';
import { createGatewayYoga } from './yoga.js';
import { createServices, createUpstream } from './services.js';
import { listenOn } from './http/listening.js';
import { createReconciliationCsv, RECONCILIATION_CSV_PATH } from './http/reconciliation-csv.js';
/** The paths the gateway answers, as server spans' `http.route` (any other path has none). */
const HTTP_ROUTES = new Set([
    GRAPHQL_PATH,
    '/healthz',
    '/readyz',
    '/health/dependencies',
    '/metrics',
    PAYMENT_RETURN_PATH,
    RECONCILIATION_CSV_PATH,
    '/favicon.ico',
]);
export function createApp(loaded, upstream, overrides = {}) {
    const { exampleIds, plugins, without, tracing, logDestination, ...configOverrides } = overrides;
    const config = withOverrides(loaded, configOverrides);
    const logger = createLogger(config.observability.logLevel, logDestination);
    const metrics = createMetrics();
    const tracer = tracing?.tracer;
    const { client, stores, dependencies, settled } = createUpstream(config, upstream, { logger, metrics, tracer });
    const { cache, updates, webhooks, payments, reconciliation } = createServices(config, { client, stores, logger, metrics });
    // One request policy for the three doors: HTTP, yoga's plugins and graphql-ws; one report of every operation.
    const policy = createRequestPolicy(config, stores.apq);
    const reports = createOperationReports(logger, metrics);
    const yoga = createGatewayYoga({
        ...{ config, policy, reports, client, cache, settled, payments, updates, webhooks, reconciliation, logger, metrics, tracer, exampleIds, plugins },
        // Every instance of one merchant's gateway reads the others' cursors.
        cursors: TransactionCursors.forSecret(upstream.credentials.secretKey),
        compiledExecution: !without?.compiledExecution,
    });
    const instance = new InstanceState();
    gaugeDraining(metrics, () => instance.draining);
    const connections = createConnectionGuard({ ...config.server.connections, firstRequestMs: config.server.timeouts.firstByteMs }, metrics.registry);
    const reconciliationCsv = createReconciliationCsv({ authenticate: policy.authenticate, reconciliation, logger });
    const parts = { yoga, policy, reports, cache, metrics, logger, instance, dependencies, connections, stores, reconciliationCsv };
    const frontDoor = frontDoorFor(config, parts, without);
    // Without tracing the handler is the bare front door: the warm path pays nothing for spans.
    const handler = tracer ? traceHttpRequests(tracer, HTTP_ROUTES, frontDoor) : frontDoor;
    const websocket = webSocketDoorFor(config, { yoga, policy, connections, logger });
    webhooks.start();
    return {
        ...{ config, handler, websocket, connections, yoga, client, cache, logger, metrics, webhooks, updates, instance },
        async close() {
            websocket.close();
            updates.close();
            webhooks.close();
            await stores.close();
            await client.close();
        },
    };
}
/** graphql-ws on /graphql, under the same request policy as HTTP. */
function webSocketDoorFor(config, { yoga, policy, connections, logger }) {
    return createWebSocketDoor({
        yoga,
        policy,
        admission: createWebSocketAdmission({
            guard: connections,
            corsOrigins: config.server.cors.origins,
            maxPerAddress: config.live.websockets.maxPerAddress,
            idleMs: config.live.websockets.idleMs,
        }),
        clientAddress: connections.clientAddress,
        logger,
    });
}
/** The dependency report, with the Redis topology (kind, cluster state, primaries) when there is one. */
async function reportWithTopology(report, stores) {
    const redisTopology = await stores.describeRedis?.().catch(() => null);
    return redisTopology === undefined ? report : { ...(await report), redisTopology };
}
/** The node:http handler in front of yoga: its stages (src/http/front-door.ts), the response cache, health. */
function frontDoorFor(config, parts, without) {
    const { yoga, policy, reports, cache, metrics, logger, instance, dependencies, connections, stores, reconciliationCsv } = parts;
    const health = healthEndpoints({ instance, dependencies: () => reportWithTopology(dependencies.report(), stores), metrics });
    return createFrontDoor({
        yoga,
        cached: without?.responseCache
            ? null
            : createCachedGraphQL({
                yoga,
                cache: new ResponseCache(cache, { maxDocumentBytes: policy.limits.maxDocumentBytes }),
                policy,
                metrics,
                reports,
                logger,
            }),
        authenticate: policy.authenticate,
        maxBodyBytes: policy.limits.maxBodyBytes,
        cors: corsPolicy(config.server.cors.origins, config.server.cors.allowHeaders),
        clientAddress: connections.clientAddress,
        graphiql: config.server.graphiql,
        reconciliationCsv,
        health: config.server.metricsPort === null ? health : withoutMetrics(health),
        metrics,
        logger,
    });
}
/** With METRICS_PORT, /metrics is served there (src/http/metrics-server.ts) and is a 404 on the public port. */
function withoutMetrics(health) {
    return { ...health, answer: (path) => (path === '/metrics' ? null : health.answer(path)) };
}
/** Serves the gateway on node:http; resolves with the server and its URL once listening. */
export async function listen(app, port, host = '127.0.0.1') {
    const server = createServer({
        // Slow clients are cut off in seconds (src/config/tuning.ts).
        headersTimeout: app.config.server.timeouts.headersMs,
        requestTimeout: app.config.server.timeouts.requestMs,
        keepAliveTimeout: app.config.server.timeouts.keepAliveMs,
        // How often node checks the two timeouts above (its default, 30 s, would let a slow client stay 40 s).
        connectionsCheckingInterval: 1_000,
    }, app.handler);
    // WebSocket (graphql-ws) upgrades; without this listener node would hand them to the HTTP handler.
    server.on('upgrade', app.websocket.upgrade);
    server.on('connection', app.connections.onConnection);
    return { server, url: await listenOn(server, port, host) };
}
