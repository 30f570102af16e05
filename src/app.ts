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
import type { Config } from './config.js';
import type { ExampleIds } from './graphiql.js';
import { createAuthenticator } from './http/auth.js';
import { corsPolicy } from './http/cors.js';
import { createFrontDoor, type FrontDoor } from './http/front-door.js';
import { cachedReadiness, healthEndpoints } from './http/health.js';
import type { BreakerState } from './kspay/breaker.js';
import { KsPayClient, type KsPayClientOptions } from './kspay/client.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { currentScope } from './observability/request-scope.js';
import { upstreamTracing, type Tracing } from './observability/tracing.js';
import { PaymentService } from './payments/payment-service.js';
import { createStores } from './stores/index.js';
import { TransactionUpdates, type PollPolicy } from './live/transaction-updates.js';
import { createGateway, type Gateway, type GatewayDeps } from './yoga.js';

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
  plugins?: GatewayDeps['plugins'];
  /** How long a /readyz answer is reused (default READINESS_CACHE_MS); tests that flip the upstream use 0. */
  readinessCacheMs?: number;
  /** OpenTelemetry, when on (main.ts starts it from the OTEL_* variables and shuts it down; tests use an in-memory exporter). */
  tracing?: Tracing | null;
  /** Where log lines go (default stdout); tests capture them. */
  logDestination?: DestinationStream;
}

export interface App {
  /** The node:http handler: every request goes through it (src/http/front-door.ts). */
  handler: FrontDoor;
  gateway: Gateway;
  client: KsPayClient;
  cache: CatalogCache;
  logger: Logger;
  metrics: Metrics;
  close(): Promise<void>;
}

/** With Redis, the in-process catalog level is only this fresh. */
const LOCAL_CATALOG_TTL_MS = 5_000;

export function createApp(config: Readonly<Config>, upstream: Upstream, overrides: AppOverrides = {}): App {
  const logger = createLogger(config.logLevel, overrides.logDestination);
  // The breaker gauge reads the client, which is created just below.
  const metrics = createMetrics(() => client.breakerState());
  const tracer = overrides.tracing?.tracer;
  const upstreamSpans = tracer ? upstreamTracing(tracer, (): BreakerState => client.breakerState()) : null;
  const client = new KsPayClient({
    baseUrl: upstream.baseUrl,
    ...upstream.credentials,
    timeoutMs: config.kspayTimeoutMs,
    maxResponseBytes: config.kspayMaxResponseBytes,
    onCall: (event) => {
      const { endpoint, status, durationMs } = event;
      const scope = currentScope();
      if (scope) scope.upstreamCalls += 1;
      const labels = { endpoint, status: String(status) };
      metrics.upstreamCalls.inc(labels);
      metrics.upstreamSeconds.observe(labels, durationMs / 1000);
      upstreamSpans?.onCall(event);
    },
    requestHeaders: upstreamSpans?.requestHeaders,
    // KS Pay's own words about a failure go to the log only; clients get the gateway's (src/errors.ts).
    onUpstreamError: ({ endpoint, httpStatus, code, upstreamMessage }) => {
      const requestId = currentScope()?.requestId;
      logger.warn({ requestId, endpoint, httpStatus, upstreamCode: code, upstreamMessage }, 'KS Pay call failed');
    },
    ...overrides.client,
  });
  const stores = createStores(config);

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
    maxWatchesPerOwner: config.maxSubscriptionsPerKey,
  });
  const payments = new PaymentService({
    client,
    store: stores.idempotency,
    ttlMs: config.idempotencyTtlMs,
    upstreamTimeoutMs: config.kspayTimeoutMs,
    redirectHosts: config.redirectHosts,
    logger,
    onTransaction: (transaction) => updates.publish(transaction),
  });
  const gateway = createGateway({
    config,
    client,
    cache,
    payments,
    updates,
    logger,
    metrics,
    exampleIds: overrides.exampleIds,
    tracer,
    plugins: overrides.plugins,
  });
  const readiness = cachedReadiness({
    // Reachable and a token obtainable: one authenticated read proves both.
    kspay: () => client.currencies(),
    ...stores.readiness,
  }, overrides.readinessCacheMs);
  const handler = createFrontDoor({
    gateway,
    authenticate: createAuthenticator(config.apiKeys),
    maxBodyBytes: config.limits.maxBodyBytes,
    cors: corsPolicy(config.corsOrigins, config.corsAllowHeaders),
    graphiql: config.graphiql,
    health: healthEndpoints({ readiness, metrics }),
    metrics,
    logger,
  });

  return {
    handler,
    gateway,
    client,
    cache,
    logger,
    metrics,
    async close() {
      updates.close();
      await stores.close();
      await client.close();
    },
  };
}

/**
 * Slow clients are cut off in seconds: headers must arrive within 10 s and a whole
 * request within 15 s; an idle keep-alive connection is closed after 5 s. (Responses,
 * such as a subscription's event stream, may last as long as they need.)
 */
export const SERVER_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, keepAliveTimeoutMs: 5_000 };

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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}` };
}
