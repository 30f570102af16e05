/**
 * Assembles the gateway from configuration: logger and metrics, the parts below yoga
 * (src/services.ts: KS Pay client, stores, catalog cache, payments, live updates, webhooks),
 * yoga, the front door and graphql-ws. Listening is left to the caller (main.ts, tests,
 * bench) through `listen`.
 */
import { createServer, type Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { CatalogCache } from './reads/catalog-cache.js';
import { TransactionCursors } from './reads/transaction-cursor.js';
import { withOverrides, type Config, type ConfigOverrides } from './config.js';
import { PAYMENT_RETURN_PATH, type ExampleIds } from './graphiql.js';
import { createRequestPolicy, type RequestPolicy } from './http/request-policy.js';
import { corsPolicy } from './http/cors.js';
import { createFrontDoor, GRAPHQL_PATH, type FrontDoor } from './http/front-door.js';
import { createCachedGraphQL } from './http/cached-graphql.js';
import { createPostedOperation } from './http/posted-operation.js';
import { createConnectionGuard, type ConnectionGuard } from './http/connections.js';
import { healthEndpoints, type HealthEndpoints } from './http/health.js';
import { ResponseCache } from './http/response-cache.js';
import type { KsPayClient } from './kspay/client.js';
import { InstanceState } from './lifecycle/instance-state.js';
import type { DependencyHealth, DependencyReport } from './observability/dependency-health.js';
import type { Stores } from './stores/index.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, gaugeDraining, type Metrics } from './observability/metrics.js';
import { createOperationReports, type OperationReports } from './observability/operation-report.js';
import { traceHttpRequests } from './observability/http-spans.js';
import type { Tracing } from './observability/tracing.js';
import type { TransactionUpdates } from './live/transaction-updates.js';
import { createWebSocketDoor, type WebSocketDoor } from './http/websocket.js';
import { createWebSocketAdmission } from './http/websocket-admission.js';
import { createGatewayYoga, type GatewayYoga, type GatewayYogaDeps } from './yoga.js';
import type { WebhookService } from './webhooks/service.js';
import { createServices, createUpstream, type Upstream } from './services.js';
import { listenOn } from './http/listening.js';
import { createReconciliationCsv, RECONCILIATION_CSV_PATH, type ReconciliationCsv } from './http/reconciliation-csv.js';

/**
 * What a caller may change: any part of the configuration (tests shorten timings:
 * `{ live: { poll: { minIntervalMs: 100 } } }`), and the hooks below, which no variable sets.
 */
export type AppOverrides = ConfigOverrides & AppHooks;

export interface AppHooks {
  /** Values for GraphiQL's example tabs (the built-in sandbox's ids). */
  exampleIds?: ExampleIds;
  plugins?: GatewayYogaDeps['plugins'];
  /** Turn off the response cache, compiled execution (graphql-jit) or the front door's execute stage, to measure what each is worth (bench/). */
  without?: { responseCache?: boolean; compiledExecution?: boolean; postedOperation?: boolean };
  /** OpenTelemetry, when on (main.ts starts it from the OTEL_* variables and shuts it down; tests use an in-memory exporter). */
  tracing?: Tracing | null;
  /** Where log lines go (default stdout); tests capture them. */
  logDestination?: DestinationStream;
}

export interface App {
  /** The configuration the app runs by: the loaded one with the overrides laid over it. */
  config: Readonly<Config>;
  /** The node:http handler: every request goes through it (src/http/front-door.ts). */
  handler: FrontDoor;
  /** graphql-ws on the same path, for the server's `upgrade` event (src/http/websocket.ts). */
  websocket: WebSocketDoor;
  /** Per-address connection limits, for the server's `connection` event (src/http/connections.ts). */
  connections: ConnectionGuard;
  yoga: GatewayYoga;
  client: KsPayClient;
  cache: CatalogCache;
  logger: Logger;
  metrics: Metrics;
  webhooks: WebhookService;
  /** Live updates: shutdown ends their streams (src/lifecycle/drain.ts). */
  updates: TransactionUpdates;
  /** What /readyz reports; shutdown marks it draining. */
  instance: InstanceState;
  close(): Promise<void>;
}

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

export function createApp(loaded: Readonly<Config>, upstream: Upstream, overrides: AppOverrides = {}): App {
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
function webSocketDoorFor(
  config: Readonly<Config>,
  { yoga, policy, connections, logger }: { yoga: GatewayYoga; policy: RequestPolicy; connections: ConnectionGuard; logger: Logger },
): WebSocketDoor {
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
async function reportWithTopology(report: Promise<DependencyReport>, stores: Stores) {
  const redisTopology = await stores.describeRedis?.().catch(() => null);
  return redisTopology === undefined ? report : { ...(await report), redisTopology };
}

/** The node:http handler in front of yoga: its stages (src/http/front-door.ts), the response cache, health. */
function frontDoorFor(
  config: Readonly<Config>,
  parts: {
    yoga: GatewayYoga;
    policy: RequestPolicy;
    reports: OperationReports;
    cache: CatalogCache;
    metrics: Metrics;
    logger: Logger;
    instance: InstanceState;
    dependencies: DependencyHealth;
    connections: ConnectionGuard;
    stores: Stores;
    reconciliationCsv: ReconciliationCsv;
  },
  without: AppHooks['without'],
): FrontDoor {
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
    postedOperation: without?.postedOperation
      ? null
      : createPostedOperation({ yoga, maxDocumentBytes: policy.limits.maxDocumentBytes, clientAddress: connections.clientAddress, logger }),
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
function withoutMetrics(health: HealthEndpoints): HealthEndpoints {
  return { ...health, answer: (path) => (path === '/metrics' ? null : health.answer(path)) };
}

/** Serves the gateway on node:http; resolves with the server and its URL once listening. */
export async function listen(app: App, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const server = createServer(
    {
      // Slow clients are cut off in seconds (src/config/tuning.ts).
      headersTimeout: app.config.server.timeouts.headersMs,
      requestTimeout: app.config.server.timeouts.requestMs,
      keepAliveTimeout: app.config.server.timeouts.keepAliveMs,
      // How often node checks the two timeouts above (its default, 30 s, would let a slow client stay 40 s).
      connectionsCheckingInterval: 1_000,
    },
    app.handler,
  );
  // WebSocket (graphql-ws) upgrades; without this listener node would hand them to the HTTP handler.
  server.on('upgrade', app.websocket.upgrade);
  server.on('connection', app.connections.onConnection);
  return { server, url: await listenOn(server, port, host) };
}
