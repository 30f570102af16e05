/**
 * Assembles the gateway from configuration: KS Pay client, shared cache, idempotency
 * store, payment service, live updates, logger, metrics and yoga — in-process by
 * default, shared through Redis when REDIS_URL is set. Listening is left to the caller
 * (main.ts, tests, bench).
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { CatalogCache } from './cache.js';
import type { Config } from './config.js';
import type { ExampleIds } from './graphiql.js';
import { createAuthenticator } from './http/auth.js';
import { corsPolicy } from './http/cors.js';
import { createFrontDoor, type FrontDoor } from './http/front-door.js';
import { cachedReadiness, healthEndpoints } from './http/health.js';
import { MemoryIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { KsPayClient, type KsPayClientOptions } from './kspay/client.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { currentScope } from './observability/request-scope.js';
import { PaymentService } from './payments.js';
import { RedisCatalogStore } from './redis/catalog-store.js';
import { connectRedis } from './redis/connection.js';
import { RedisIdempotencyStore } from './redis/idempotency-store.js';
import { RedisPollLock } from './redis/poll-lock.js';
import { TransactionUpdates, type PollPolicy } from './transaction-updates.js';
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
  const client = new KsPayClient({
    baseUrl: upstream.baseUrl,
    ...upstream.credentials,
    timeoutMs: config.kspayTimeoutMs,
    maxResponseBytes: config.kspayMaxResponseBytes,
    onCall: ({ endpoint, status, durationMs }) => {
      const scope = currentScope();
      if (scope) scope.upstreamCalls += 1;
      const labels = { endpoint, status: String(status) };
      metrics.upstreamCalls.inc(labels);
      metrics.upstreamSeconds.observe(labels, durationMs / 1000);
    },
    // KS Pay's own words about a failure go to the log only; clients get the gateway's (src/errors.ts).
    onUpstreamError: ({ endpoint, httpStatus, code, upstreamMessage }) => {
      const requestId = currentScope()?.requestId;
      logger.warn({ requestId, endpoint, httpStatus, upstreamCode: code, upstreamMessage }, 'KS Pay call failed');
    },
    ...overrides.client,
  });
  const redis = config.redisUrl ? connectRedis(config.redisUrl) : null;

  const cache = new CatalogCache({
    ttlMs: config.catalogTtlMs,
    maxStaleMs: config.catalogMaxStaleMs,
    shared: redis ? new RedisCatalogStore(redis.commands) : undefined,
    localTtlMs: redis ? LOCAL_CATALOG_TTL_MS : undefined,
    onLookup: ({ kind, hit }) => metrics.cacheLookups.inc({ kind, result: hit ? 'hit' : 'miss' }),
  });
  const updates = new TransactionUpdates({
    client,
    eventTarget: redis ? createRedisEventTarget(redis.eventTargetClients()) : undefined,
    lock: redis ? new RedisPollLock(redis.commands) : undefined,
    poll: overrides.poll,
    maxWatchesPerOwner: config.maxSubscriptionsPerKey,
  });
  // The in-process store refuses new references when full; Redis is bounded by its own maxmemory.
  const store: IdempotencyStore = redis
    ? new RedisIdempotencyStore(redis.commands)
    : new MemoryIdempotencyStore({ maxRecords: config.idempotencyMaxRecords });
  const payments = new PaymentService({
    client,
    store,
    ttlMs: config.idempotencyTtlMs,
    claimLeaseMs: config.kspayTimeoutMs * 3,
    redirectHosts: config.redirectHosts,
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
    plugins: overrides.plugins,
  });
  const readiness = cachedReadiness({
    // Reachable and a token obtainable: one authenticated read proves both.
    kspay: () => client.currencies(),
    ...(redis ? { redis: () => redis.ping() } : {}),
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
      if (store instanceof MemoryIdempotencyStore) store.close();
      await redis?.close();
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
