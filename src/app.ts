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
  /** Where log lines go (default stdout); tests capture them. */
  logDestination?: DestinationStream;
}

export interface App {
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
    onCall: ({ endpoint, status, durationMs }) => {
      const scope = currentScope();
      if (scope) scope.upstreamCalls += 1;
      const labels = { endpoint, status: String(status) };
      metrics.upstreamCalls.inc(labels);
      metrics.upstreamSeconds.observe(labels, durationMs / 1000);
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
  const store: IdempotencyStore = redis ? new RedisIdempotencyStore(redis.commands) : new MemoryIdempotencyStore();
  const payments = new PaymentService({
    client,
    store,
    ttlMs: config.idempotencyTtlMs,
    claimLeaseMs: config.kspayTimeoutMs * 3,
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
    readiness: {
      // Reachable and a token obtainable: one authenticated read proves both.
      kspay: () => client.currencies(),
      ...(redis ? { redis: () => redis.ping() } : {}),
    },
    exampleIds: overrides.exampleIds,
    plugins: overrides.plugins,
  });

  return {
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

/** Serves the gateway on node:http; resolves with the server and its URL once listening. */
export async function listen(app: App, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const server = createServer(app.gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}` };
}
