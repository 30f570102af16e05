import { DeliveryWorker } from './delivery.js';
import { createEvent } from './events.js';
import { isFinalStatus } from '../kspay/models.js';
import { TransactionSweep } from './sweep.js';
import { outboxMetrics } from './outbox-metrics.js';
import { SettlementWatcher } from './watcher.js';
const outcomeCounter = (counter) => (outcome) => counter.inc({ outcome });
export class WebhookService {
    #options;
    watcher;
    #deliverer;
    #sweep;
    constructor(options) {
        this.#options = options;
        this.watcher = new SettlementWatcher({
            client: options.client,
            watchList: options.stores.watchList,
            lock: options.lock,
            policy: options.watch,
            logger: options.logger,
            onPolled: async (tx) => void (await this.#record(tx)),
        });
        this.#deliverer =
            options.endpoints.length && options.secrets.length
                ? new DeliveryWorker({
                    outbox: options.stores.outbox,
                    lock: options.lock,
                    lockPrefix: options.client.appId,
                    secrets: options.secrets,
                    policy: options.delivery,
                    logger: options.logger,
                    onOutcome: options.registry ? outcomeCounter(outboxMetrics(options.registry, options.stores.outbox)) : undefined,
                })
                : null;
        this.#sweep = this.#deliverer
            ? new TransactionSweep({
                client: options.client,
                lock: options.lock,
                policy: options.sweep,
                logger: options.logger,
                registry: options.registry,
                ensureEvent: (tx) => this.#recordFound(tx),
            })
            : null;
    }
    get enabled() {
        return this.#deliverer !== null;
    }
    start() {
        if (!this.#deliverer)
            return;
        this.watcher.start();
        this.#deliverer.start();
        this.#deliverer.kick(); // whatever a previous run left in the outbox
        this.#sweep?.start();
    }
    /** Shutdown: the watch stops and deliveries under way finish (or, at `deadline`, go back to the outbox). */
    async drain(deadline) {
        this.watcher.close();
        return (await this.#deliverer?.drain(deadline)) ?? { underWay: 0, handedBack: 0 };
    }
    close() {
        this.watcher.close();
        this.#sweep?.close();
        this.#deliverer?.close();
    }
    /**
     * Re-derives events from KS Pay's transaction list now (src/webhooks/sweep.ts): call it when
     * the outbox may have lost events (e.g. Redis lost its data). Single-flight, safe any time,
     * never throws; with webhooks off it does nothing.
     */
    sweep(reason) {
        if (!this.#sweep)
            return Promise.resolve({ reason, outcome: 'skipped', skipped: 'disabled', pages: 0, examined: 0, created: 0 });
        return this.#sweep.sweep(reason);
    }
    /** The payment service's hook: a transaction it created, adopted or read for a return. Never throws. */
    observe(tx) {
        if (!this.enabled)
            return;
        const work = async () => {
            await this.#record(tx);
            await this.watcher.follow(tx);
        };
        work().catch((error) => this.#options.logger.warn({ err: error, transactionId: tx.id }, 'recording a webhook event failed'));
    }
    /** A status seen: its event, once, and live updates for a poll's news; true when the event is new. */
    async #record(tx, origin) {
        const created = createEvent(this.#options.client.appId, tx, this.#options.endpoints, Date.now(), origin);
        if (!created)
            return false;
        if (!(await this.#options.stores.outbox.append(created.event, created.deliveries, created.rank)))
            return false;
        this.#options.publish(tx);
        this.#deliverer?.kick();
        return true;
    }
    /** The sweep's find: a status with no event gets one, and an unsettled transaction is watched again (its watch may be lost too). */
    async #recordFound(tx) {
        const created = await this.#record(tx, 'sweep');
        if (created && !isFinalStatus(tx.status))
            await this.watcher.follow(tx);
        return created;
    }
    /** How many transactions the watcher follows now. */
    watching() {
        return this.#options.stores.watchList.size();
    }
    list(options) {
        return this.#options.stores.outbox.list(options);
    }
    /** Queues the event again for every endpoint; null when the outbox does not know it. */
    async redeliver(eventId) {
        if (!(await this.#options.stores.outbox.redeliver(eventId, Date.now())))
            return null;
        this.#deliverer?.kick();
        return this.#options.stores.outbox.find(eventId);
    }
    /**
     * Transactions still unsettled past the threshold, then final ones whose event was never
     * delivered: it failed an attempt, or the sweep re-derived it (it is late already).
     */
    async needingAttention(limit) {
        const { stores, attentionAfterMs } = this.#options;
        const unsettled = await stores.watchList.olderThan(Date.now() - attentionAfterMs, limit);
        const found = unsettled.map((entry) => ({
            transactionId: entry.id,
            status: entry.status,
            reason: 'UNSETTLED',
            since: new Date(entry.since),
            eventId: null,
        }));
        const undelivered = await stores.outbox.undeliveredFinal(limit);
        const late = new Set(undelivered.filter((d) => d.state === 'FAILED' || d.attempts > 0).map((d) => d.eventId));
        for (const eventId of new Set(undelivered.map((d) => d.eventId))) {
            const event = (await stores.outbox.find(eventId))?.event;
            if (event && isFinalStatus(event.status) && (late.has(eventId) || event.origin === 'sweep')) {
                found.push({ transactionId: event.transactionId, status: event.status, reason: 'UNDELIVERED', since: new Date(event.createdAt), eventId });
            }
        }
        return found.slice(0, limit);
    }
}
