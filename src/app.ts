/**
 * Assembles the gateway from configuration: KS Pay client, stores (in process, or Redis
 * when REDIS_URL is set: see src/stores/index.ts), catalog cache, payment service, live
 * updates, logger, metrics, yoga and the front door. Listening is left to the caller
 * (main.ts, tests, bench) through `listen`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { CatalogCache } from './reads/catalog-cache.js';
import { TransactionCursors } from './reads/transaction-cursor.js';
import type { Config } from './config.js';
import type { ExampleIds } from './graphiql.js';
import { createAuthenticator, type Authenticator } from './http/auth.js';
import { corsPolicy } from './http/cors.js';
import { createFrontDoor, type FrontDoor } from './http/front-door.js';
import { createCachedGraphQL } from './http/cached-graphql.js';
import { createConnectionGuard, type ConnectionGuard } from './http/connections.js';
import { healthEndpoints } from './http/health.js';
import { ResponseCache } from './http/response-cache.js';
import type { BreakerState } from './kspay/breaker.js';
import { KsPayClient, type KsPayClientOptions } from './kspay/client.js';
import { InstanceState } from './lifecycle/instance-state.js';
import { DependencyHealth } from './observability/dependency-health.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, gaugeBreakerState, type Metrics } from './observability/metrics.js';
import { createHitReporter } from './observability/operation-report.js';
import { currentStats } from './observability/operation-stats.js';
import { upstreamTracing, type Tracing } from './observability/tracing.js';
import { lookUpAfterDataLoss } from './payments/loss-window.js';
import { PaymentService } from './payments/payment-service.js';
import { createStores } from './stores/index.js';
import { TransactionUpdates, type PollPolicy } from './live/transaction-updates.js';
import { createDocumentResolver } from './plugins/use-persisted-documents.js';
import { createWebSocketDoor, type WebSocketDoor } from './http/websocket.js';
import { createWebSocketAdmission } from './http/websocket-admission.js';
import { createSchemaHintFilter } from './plugins/use-no-schema-hints.js';
import { schema } from './schema/index.js';
import { createGatewayYoga, persistedDocuments, type GatewayYoga, type GatewayYogaDeps } from './yoga.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './webhooks/delivery.js';
import { WebhookService } from './webhooks/service.js';
import { DEFAULT_SWEEP_POLICY, type SweepPolicy } from './webhooks/sweep.js';
import { DEFAULT_WATCH_POLICY, type WatchPolicy } from './webhooks/watcher.js';

export interface Upstream {
  baseUrl: string;
  credentials: { appId: string; accessKey: string; secretKey: string };
}

export interface AppOverrides {
  /** Client tuning (retry, breaker, token lifetime), mostly for tests. */
  client?: Partial<KsPayClientOptions>;
  /** Transaction polling for subscriptions (tests shorten it). */
  poll?: Partial<PollPolicy>;
  exampleIds?: ExampleIds;
  plugins?: GatewayYogaDeps['plugins'];
  /** How long a /health/dependencies answer is reused (default DEPENDENCY_CHECK_CACHE_MS); tests that flip the upstream use 0. */
  dependencyCheckCacheMs?: number;
  /** Turn off the response cache or compiled execution (graphql-jit), to measure what each is worth (bench/). */
  without?: { responseCache?: boolean; compiledExecution?: boolean };
  /** OpenTelemetry, when on (main.ts starts it from the OTEL_* variables and shuts it down; tests use an in-memory exporter). */
  tracing?: Tracing | null;
  /** Where log lines go (default stdout); tests capture them. */
  logDestination?: DestinationStream;
  /** Settlement watch and webhook delivery timing (tests shorten it). */
  webhooks?: { watch?: Partial<WatchPolicy>; delivery?: Partial<DeliveryPolicy>; sweep?: Partial<SweepPolicy> };
}

export interface App {
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

/** With Redis, the in-process catalog level is only this fresh. */
const LOCAL_CATALOG_TTL_MS = 5_000;

export function createApp(config: Readonly<Config>, upstream: Upstream, overrides: AppOverrides = {}): App {
  const logger = createLogger(config.logLevel, overrides.logDestination);
  const metrics = createMetrics();
  const tracer = overrides.tracing?.tracer;
  // Upstream spans record the breaker's state; the breaker is the client's, bound once the client exists.
  let breakerState = (): BreakerState => 'closed';
  const upstreamSpans = tracer ? upstreamTracing(tracer, () => breakerState()) : null;
  const observeKsPay = (failure: string | null) => dependencies.observe('kspay', failure);
  const client = createClient(config, upstream, { logger, metrics, upstreamSpans, observeKsPay }, overrides.client);
  breakerState = () => client.breakerState();
  gaugeBreakerState(metrics, breakerState);
  const stores = createStores(config, (message) => logger.error(message));
  const dependencies = new DependencyHealth({
    // Reachable and a token obtainable: one authenticated read proves both.
    checks: { kspay: () => client.currencies(), ...stores.dependencyChecks },
    checkedOnScrape: Object.keys(stores.dependencyChecks),
    metrics,
    cacheMs: overrides.dependencyCheckCacheMs,
  });

  const cache = new CatalogCache({
    ttlMs: config.catalogTtlMs,
    maxStaleMs: config.catalogMaxStaleMs,
    shared: stores.sharedCatalog,
    localTtlMs: stores.sharedCatalog ? LOCAL_CATALOG_TTL_MS : config.catalogTtlMs,
    onLookup: ({ kind, hit }) => metrics.cacheLookups.inc({ kind, result: hit ? 'hit' : 'miss' }),
  });
  const updates = new TransactionUpdates({
    client,
    eventTarget: stores.eventTarget,
    lock: stores.pollLock,
    poll: overrides.poll,
    limits: { perAddress: config.maxSubscriptionsPerAddress, total: config.maxSubscriptions, perKey: config.maxSubscriptionsPerKey },
  });
  const webhooks = createWebhooks(config, client, stores, { logger, metrics }, updates, overrides.webhooks);
  // What Redis forgot of the outbox is re-derived from KS Pay's list at once, not at the next scheduled sweep.
  stores.onDataLoss(() => void webhooks.sweep('redis data loss'));
  const payments = new PaymentService({
    client,
    store: stores.idempotency,
    ttlMs: config.idempotencyTtlMs,
    upstreamTimeoutMs: config.kspayTimeoutMs,
    redirectHosts: config.redirectHosts,
    logger,
    signatureOwners: stores.signatureOwners,
    onTransaction: (transaction) => {
      updates.publish(transaction);
      webhooks.observe(transaction);
    },
    lossLookup: lookUpAfterDataLoss({ stores, client, metrics, logger, ttlMs: config.idempotencyTtlMs, upstreamTimeoutMs: config.kspayTimeoutMs }),
  });
  const persisted = persistedDocuments(config, stores.apq);
  // With introspection off, no error message teaches the schema: over HTTP and over graphql-ws alike.
  const schemaHints = config.introspection ? undefined : createSchemaHintFilter(schema);
  const yoga = createGatewayYoga({
    config,
    client,
    cache,
    // Every instance of one merchant's gateway reads the others' cursors.
    cursors: TransactionCursors.forSecret(upstream.credentials.secretKey),
    payments,
    updates,
    webhooks,
    logger,
    metrics,
    persisted,
    exampleIds: overrides.exampleIds,
    tracer,
    schemaHints,
    compiledExecution: !overrides.without?.compiledExecution,
    plugins: overrides.plugins,
  });
  const authenticate = createAuthenticator(config.apiKeys);
  const instance = new InstanceState();
  const connections = createConnectionGuard({ ...config.connections, firstRequestMs: SERVER_TIMEOUTS.firstByteTimeoutMs }, metrics.registry);
  const handler = frontDoorFor(config, { yoga, authenticate, cache, metrics, logger, instance, dependencies, connections }, overrides);
  const websocket = createWebSocketDoor({
    yoga,
    authenticate,
    maxPayloadBytes: config.limits.maxBodyBytes,
    maxDocumentBytes: config.limits.maxDocumentBytes,
    resolveDocument: createDocumentResolver(persisted, 'websocket'),
    schemaHints,
    admission: createWebSocketAdmission({ guard: connections, corsOrigins: config.corsOrigins, maxPerAddress: config.maxWebSocketsPerAddress, idleMs: config.websocketIdleMs }),
    clientAddress: connections.clientAddress,
    logger,
  });

  webhooks.start();
  return {
    handler,
    websocket,
    connections,
    yoga,
    client,
    cache,
    logger,
    metrics,
    webhooks,
    updates,
    instance,
    async close() {
      websocket.close();
      updates.close();
      webhooks.close();
      await stores.close();
      await client.close();
    },
  };
}

/** The node:http handler in front of yoga: auth, body limits, CORS, GraphiQL, health. */
function frontDoorFor(
  config: Readonly<Config>,
  parts: { yoga: GatewayYoga; authenticate: Authenticator; cache: CatalogCache; metrics: Metrics; logger: Logger; instance: InstanceState; dependencies: DependencyHealth; connections: ConnectionGuard },
  { without }: AppOverrides,
): FrontDoor {
  const { yoga, authenticate, cache, metrics, logger, instance, dependencies, connections } = parts;
  return createFrontDoor({
    yoga,
    cached: without?.responseCache ? null : createCachedGraphQL({ yoga, cache: new ResponseCache(cache, { maxDocumentBytes: config.limits.maxDocumentBytes }), metrics, reportHit: createHitReporter(logger, metrics), logger }),
    authenticate,
    maxBodyBytes: config.limits.maxBodyBytes,
    cors: corsPolicy(config.corsOrigins, config.corsAllowHeaders),
    clientAddress: connections.clientAddress,
    graphiql: config.graphiql,
    health: healthEndpoints({ instance, dependencies: () => dependencies.report(), metrics }),
    metrics,
    logger,
  });
}

/** The KS Pay client, telling metrics and the running operation's stats of every upstream call. */
function createClient(
  config: Readonly<Config>,
  upstream: Upstream,
  { logger, metrics, upstreamSpans, observeKsPay }: { logger: Logger; metrics: Metrics; upstreamSpans: ReturnType<typeof upstreamTracing> | null; observeKsPay: (failure: string | null) => void },
  overrides: Partial<KsPayClientOptions> = {},
): KsPayClient {
  return new KsPayClient({
    baseUrl: upstream.baseUrl,
    ...upstream.credentials,
    timeoutMs: config.kspayTimeoutMs,
    maxResponseBytes: config.kspayMaxResponseBytes,
    onCall: (event) => {
      const { endpoint, status, durationMs } = event;
      const stats = currentStats();
      if (stats) stats.upstreamCalls += 1;
      const labels = { endpoint, status: String(status) };
      metrics.upstreamCalls.inc(labels);
      metrics.upstreamSeconds.observe(labels, durationMs / 1000);
      upstreamSpans?.onCall(event);
      // Every answer tells whether KS Pay is usable: no answer (0) or a 5xx says it is not.
      observeKsPay(status === 0 ? 'network' : status >= 500 ? `server (HTTP ${status})` : null);
    },
    requestHeaders: upstreamSpans?.requestHeaders,
    // KS Pay's own words about a failure go to the log only; clients get the gateway's (src/errors/).
    onUpstreamError: ({ endpoint, httpStatus, code, upstreamMessage }) => {
      const requestId = currentStats()?.requestId;
      logger.warn({ requestId, endpoint, httpStatus, upstreamCode: code, upstreamMessage }, 'KS Pay call failed');
    },
    ...overrides,
  });
}

function createWebhooks(
  config: Readonly<Config>,
  client: KsPayClient,
  stores: ReturnType<typeof createStores>,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
  updates: TransactionUpdates,
  tuning: AppOverrides['webhooks'] = {},
): WebhookService {
  const { webhooks } = config;
  return new WebhookService({
    client,
    stores: stores.webhooks(client.appId),
    lock: stores.pollLock,
    endpoints: webhooks.urls,
    secret: webhooks.secret,
    watch: { ...DEFAULT_WATCH_POLICY, watchMs: webhooks.settlementWatchMs, lockMs: config.kspayTimeoutMs * 2, ...tuning.watch },
    delivery: { ...DEFAULT_DELIVERY_POLICY, retryMs: webhooks.retryMs, timeoutMs: webhooks.timeoutMs, ...tuning.delivery },
    sweep: {
      ...DEFAULT_SWEEP_POLICY,
      intervalMs: webhooks.sweepIntervalMs,
      windowMs: webhooks.sweepWindowMs,
      maxPages: webhooks.sweepMaxPages,
      lockMs: config.kspayTimeoutMs * 2,
      ...tuning.sweep,
    },
    registry: metrics.registry,
    attentionAfterMs: webhooks.attentionAfterMs,
    logger,
    publish: (transaction) => updates.publish(transaction),
  });
}

/**
 * Slow clients are cut off in seconds: a new connection must send its first byte within
 * 5 s (src/http/connections.ts), headers must arrive within 10 s and a whole request within
 * 15 s; an idle keep-alive connection is closed after 5 s. (Responses, such as a
 * subscription's event stream, may last as long as they need.)
 */
export const SERVER_TIMEOUTS = { firstByteTimeoutMs: 5_000, headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 5_000 };

/** Serves the gateway on node:http; resolves with the server and its URL once listening. */
export async function listen(app: App, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const server = createServer(
    {
      headersTimeout: SERVER_TIMEOUTS.headersTimeoutMs,
      requestTimeout: SERVER_TIMEOUTS.requestTimeoutMs,
      keepAliveTimeout: SERVER_TIMEOUTS.keepAliveTimeoutMs,
      // How often node checks the two timeouts above (its default, 30 s, would let a slow client stay 40 s).
      connectionsCheckingInterval: 1_000,
    },
    app.handler,
  );
  // WebSocket (graphql-ws) upgrades; without this listener node would hand them to the HTTP handler.
  server.on('upgrade', app.websocket.upgrade);
  server.on('connection', app.connections.onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}` };
}
