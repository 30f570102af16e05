/**
 * The gateway's parts below yoga, assembled from configuration: the KS Pay client observed by
 * metrics, traces and the dependency signal; the stores (in process, or Redis when REDIS_URL is
 * set: src/stores/index.ts); and the services over them: catalog cache, live updates, webhooks,
 * payments. src/app.ts puts yoga and the front door on top.
 */
import type { BreakerState } from './kspay/breaker.js';
import { KsPayClient, type KsPayClientOptions } from './kspay/client.js';
import type { Config } from './config.js';
import { DependencyHealth } from './observability/dependency-health.js';
import type { Logger } from './observability/logger.js';
import { gaugeBreakerState, upstreamLabels, type Metrics } from './observability/metrics.js';
import { currentStats } from './observability/operation-stats.js';
import { upstreamTracing, type Tracing } from './observability/tracing.js';
import { lookUpAfterDataLoss } from './payments/loss-window.js';
import { PaymentService } from './payments/payment-service.js';
import { CatalogCache, catalogKeys } from './reads/catalog-cache.js';
import { createReconciliation } from './reconciliation/report.js';
import { createSettledTransactions, type SettledTransactions } from './reads/settled-transactions.js';
import type { Transaction } from './kspay/models.js';
import { createStores } from './stores/index.js';
import { TransactionUpdates, type PollPolicy } from './live/transaction-updates.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './webhooks/delivery.js';
import { WebhookService } from './webhooks/service.js';
import { DEFAULT_SWEEP_POLICY, type SweepPolicy } from './webhooks/sweep.js';
import { DEFAULT_WATCH_POLICY, type WatchPolicy } from './webhooks/watcher.js';

export interface Upstream {
  baseUrl: string;
  credentials: { appId: string; accessKey: string; secretKey: string };
}

/** Timing the tests shorten (src/app.ts's AppOverrides holds these too). */
export interface ServiceTuning {
  /** Client tuning (retry, breaker, token lifetime), mostly for tests. */
  client?: Partial<KsPayClientOptions>;
  /** Transaction polling for subscriptions (tests shorten it). */
  poll?: Partial<PollPolicy>;
  /** How long a /health/dependencies answer is reused (default DEPENDENCY_CHECK_CACHE_MS); tests that flip the upstream use 0. */
  dependencyCheckCacheMs?: number;
  /** Settlement watch and webhook delivery timing (tests shorten it). */
  webhooks?: { watch?: Partial<WatchPolicy>; delivery?: Partial<DeliveryPolicy>; sweep?: Partial<SweepPolicy> };
}

type Observers = { logger: Logger; metrics: Metrics };
type Stores = ReturnType<typeof createStores>;

/** With Redis, the in-process catalog level is only this fresh. */
const LOCAL_CATALOG_TTL_MS = 5_000;

/** The KS Pay client and the stores, and the health of both. */
export function createUpstream(
  config: Readonly<Config>,
  upstream: Upstream,
  { logger, metrics, tracer }: Observers & { tracer: Tracing['tracer'] | undefined },
  tuning: ServiceTuning,
) {
  // Upstream spans record the breaker's state; the breaker is the client's, bound once the client exists.
  let breakerState = (): BreakerState => 'closed';
  const upstreamSpans = tracer ? upstreamTracing(tracer, upstream.baseUrl, () => breakerState()) : null;
  const observeKsPay = (failure: string | null) => dependencies.observe('kspay', failure);
  // Every read that brings a settled transaction keeps it; the cache needs the stores, made after the client.
  let settled: SettledTransactions | undefined;
  const onTransactionsRead = (transactions: readonly Transaction[]) => settled?.remember(transactions);
  const client = createClient(config, upstream, { logger, metrics, upstreamSpans, observeKsPay }, { onTransactionsRead, ...tuning.client });
  breakerState = () => client.breakerState();
  gaugeBreakerState(metrics, breakerState);
  const stores = createStores(config, (message) => logger.error(message), metrics.registry);
  settled = createSettledTransactions(config, stores.sharedSettled(upstream.credentials.appId), metrics.registry);
  const dependencies = new DependencyHealth({
    // Reachable and a token obtainable: one authenticated read proves both.
    checks: { kspay: () => client.currencies(), ...stores.dependencyChecks },
    checkedOnScrape: Object.keys(stores.dependencyChecks),
    metrics,
    cacheMs: tuning.dependencyCheckCacheMs,
  });
  return { client, stores, dependencies, settled };
}

/** The services the schema calls: catalog cache, live updates, webhooks, payments. */
export function createServices(
  config: Readonly<Config>,
  { client, stores, logger, metrics }: Observers & { client: KsPayClient; stores: Stores },
  tuning: ServiceTuning,
) {
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
    poll: tuning.poll,
    limits: { perAddress: config.maxSubscriptionsPerAddress, total: config.maxSubscriptions, perKey: config.maxSubscriptionsPerKey },
  });
  const webhooks = createWebhooks(config, client, stores, { logger, metrics }, updates, tuning.webhooks);
  // What Redis forgot of the outbox is re-derived from KS Pay's list at once, not at the next scheduled sweep.
  stores.onDataLoss(() => void webhooks.sweep('redis data loss'));
  const payments = new PaymentService({
    client,
    store: stores.idempotency,
    ttlMs: config.idempotencyTtlMs,
    timings: config.kspayTimings,
    redirectHosts: config.redirectHosts,
    logger,
    signatureOwners: stores.signatureOwners,
    ledger: stores.referenceLedger,
    onTransaction: (transaction) => {
      updates.publish(transaction);
      webhooks.observe(transaction);
    },
    lossLookup: lookUpAfterDataLoss({ stores, client, metrics, logger, ttlMs: config.idempotencyTtlMs, quietMs: config.kspayTimings.quietAfterDataLossMs }),
  });
  const reconciliation = createReconciliation({
    client,
    records: stores.idempotency,
    ledger: stores.referenceLedger,
    webhooks,
    currencies: async () => (await cache.get(catalogKeys.currencies(client.appId), () => client.currencies())).value,
    limits: { ...config.reconciliation, recordsKeptMs: config.idempotencyTtlMs, stuckAfterMs: config.webhooks.attentionAfterMs },
    logger,
  });
  return { cache, updates, webhooks, payments, reconciliation };
}

/** The KS Pay client, telling metrics and the running operation's stats of every upstream call. */
function createClient(
  config: Readonly<Config>,
  upstream: Upstream,
  {
    logger,
    metrics,
    upstreamSpans,
    observeKsPay,
  }: { logger: Logger; metrics: Metrics; upstreamSpans: ReturnType<typeof upstreamTracing> | null; observeKsPay: (failure: string | null) => void },
  overrides: Partial<KsPayClientOptions> = {},
): KsPayClient {
  return new KsPayClient({
    baseUrl: upstream.baseUrl,
    ...upstream.credentials,
    timeoutMs: config.kspayTimings.callTimeoutMs,
    retry: { budgetMs: config.kspayTimings.readRetryBudgetMs, ...overrides.retry },
    maxResponseBytes: config.kspayMaxResponseBytes,
    onCall: (event) => {
      const { endpoint, status, errorType, durationMs } = event;
      const stats = currentStats();
      if (stats) stats.upstreamCalls += 1;
      const labels = { endpoint, ...upstreamLabels(status, errorType) };
      metrics.upstreamRequests.inc(labels);
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
  stores: Stores,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
  updates: TransactionUpdates,
  tuning: ServiceTuning['webhooks'] = {},
): WebhookService {
  const { webhooks } = config;
  return new WebhookService({
    client,
    stores: stores.webhooks(client.appId),
    lock: stores.pollLock,
    endpoints: webhooks.urls,
    secrets: webhooks.secrets,
    watch: { ...DEFAULT_WATCH_POLICY, watchMs: webhooks.settlementWatchMs, lockMs: config.kspayTimings.pollLockMs, ...tuning.watch },
    delivery: { ...DEFAULT_DELIVERY_POLICY, retryMs: webhooks.retryMs, timeoutMs: webhooks.timeoutMs, ...tuning.delivery },
    sweep: {
      ...DEFAULT_SWEEP_POLICY,
      intervalMs: webhooks.sweepIntervalMs,
      windowMs: webhooks.sweepWindowMs,
      maxPages: webhooks.sweepMaxPages,
      lockMs: config.kspayTimings.pollLockMs,
      ...tuning.sweep,
    },
    registry: metrics.registry,
    attentionAfterMs: webhooks.attentionAfterMs,
    logger,
    publish: (transaction) => updates.publish(transaction),
  });
}
