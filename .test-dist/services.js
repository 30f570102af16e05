import { KsPayClient } from './kspay/client.js';
import { DependencyHealth } from './observability/dependency-health.js';
import { gaugeBreakerState, upstreamLabels } from './observability/metrics.js';
import { currentStats } from './observability/operation-stats.js';
import { upstreamTracing } from './observability/tracing.js';
import { lookUpAfterDataLoss } from './payments/loss-window.js';
import { PaymentService } from './payments/payment-service.js';
import { CatalogCache, catalogKeys } from './reads/catalog-cache.js';
import { createReconciliation } from './reconciliation/report.js';
import { createSettledTransactions } from './reads/settled-transactions.js';
import { createStores } from './stores/index.js';
import { TransactionUpdates } from './live/transaction-updates.js';
import { WebhookService } from './webhooks/service.js';
/** The KS Pay client and the stores, and the health of both. */
export function createUpstream(config, upstream, { logger, metrics, tracer }) {
    // Upstream spans record the breaker's state; the breaker is the client's, bound once the client exists.
    let breakerState = () => 'closed';
    const upstreamSpans = tracer ? upstreamTracing(tracer, upstream.baseUrl, () => breakerState()) : null;
    const observeKsPay = (failure) => dependencies.observe('kspay', failure);
    // Every read that brings a settled transaction keeps it; the cache needs the stores, made after the client.
    let settled;
    const onTransactionsRead = (transactions) => settled?.remember(transactions);
    const client = createClient(config, upstream, { logger, metrics, upstreamSpans, observeKsPay }, { onTransactionsRead });
    breakerState = () => client.breakerState();
    gaugeBreakerState(metrics, breakerState);
    const stores = createStores({ redis: config.redis, idempotencyMaxRecords: config.payments.idempotencyMaxRecords }, (message) => logger.error(message), metrics.registry);
    settled = createSettledTransactions(config, stores.sharedSettled(upstream.credentials.appId), metrics.registry);
    const dependencies = new DependencyHealth({
        // Reachable and a token obtainable: one authenticated read proves both.
        checks: { kspay: () => client.currencies(), ...stores.dependencyChecks },
        checkedOnScrape: Object.keys(stores.dependencyChecks),
        metrics,
        cacheMs: config.observability.dependencyCheckCacheMs,
    });
    return { client, stores, dependencies, settled };
}
/** The services the schema calls: catalog cache, live updates, webhooks, payments. */
export function createServices(config, { client, stores, logger, metrics }) {
    const cache = new CatalogCache({
        ttlMs: config.cache.catalogTtlMs,
        maxStaleMs: config.cache.catalogMaxStaleMs,
        shared: stores.sharedCatalog,
        localTtlMs: stores.sharedCatalog ? config.cache.localCatalogTtlWithRedisMs : config.cache.catalogTtlMs,
        onLookup: ({ kind, hit }) => metrics.cacheLookups.inc({ kind, result: hit ? 'hit' : 'miss' }),
    });
    const updates = new TransactionUpdates({
        client,
        eventTarget: stores.eventTarget,
        lock: stores.pollLock,
        poll: config.live.poll,
        limits: config.live.subscriptions,
    });
    const webhooks = createWebhooks(config, client, stores, { logger, metrics }, updates);
    // What Redis forgot of the outbox is re-derived from KS Pay's list at once, not at the next scheduled sweep.
    stores.onDataLoss(() => void webhooks.sweep('redis data loss'));
    const payments = new PaymentService({
        client,
        store: stores.idempotency,
        ttlMs: config.payments.idempotencyTtlMs,
        timings: config.kspay.timings,
        redirectHosts: config.payments.redirectHosts,
        logger,
        signatureOwners: stores.signatureOwners,
        ledger: stores.referenceLedger,
        onTransaction: (transaction) => {
            updates.publish(transaction);
            webhooks.observe(transaction);
        },
        lossLookup: lookUpAfterDataLoss({
            stores,
            client,
            metrics,
            logger,
            ttlMs: config.payments.idempotencyTtlMs,
            quietMs: config.kspay.timings.quietAfterDataLossMs,
        }),
    });
    const reconciliation = createReconciliation({
        client,
        records: stores.idempotency,
        ledger: stores.referenceLedger,
        webhooks,
        currencies: async () => (await cache.get(catalogKeys.currencies(client.appId), () => client.currencies())).value,
        limits: { ...config.payments.reconciliation, recordsKeptMs: config.payments.idempotencyTtlMs, stuckAfterMs: config.webhooks.attentionAfterMs },
        logger,
    });
    return { cache, updates, webhooks, payments, reconciliation };
}
/** The KS Pay client, telling metrics and the running operation's stats of every upstream call. */
function createClient(config, upstream, { logger, metrics, upstreamSpans, observeKsPay, }, { onTransactionsRead }) {
    const { kspay } = config;
    return new KsPayClient({
        baseUrl: upstream.baseUrl,
        ...upstream.credentials,
        timeoutMs: kspay.timings.callTimeoutMs,
        retry: kspay.retry,
        breaker: kspay.breaker,
        refreshMarginMs: kspay.tokenRefreshMarginMs,
        accessTokenLifetimeMs: kspay.accessTokenLifetimeMs,
        maxResponseBytes: kspay.maxResponseBytes,
        onCall: (event) => {
            const { endpoint, status, errorType, durationMs } = event;
            const stats = currentStats();
            if (stats)
                stats.upstreamCalls += 1;
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
        onTransactionsRead,
    });
}
function createWebhooks(config, client, stores, { logger, metrics }, updates) {
    const { webhooks } = config;
    return new WebhookService({
        client,
        stores: stores.webhooks(client.appId),
        lock: stores.pollLock,
        endpoints: webhooks.urls,
        secrets: webhooks.secrets,
        watch: webhooks.watch,
        delivery: webhooks.delivery,
        sweep: webhooks.sweep,
        registry: metrics.registry,
        attentionAfterMs: webhooks.attentionAfterMs,
        logger,
        publish: (transaction) => updates.publish(transaction),
    });
}
