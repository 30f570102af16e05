/**
 * Live transaction updates for `Subscription.transactionUpdated`. Updates come from the
 * gateway's own writes and verifications (`publish`) and from polling KS Pay while at
 * least one client watches a transaction: one poll loop per transaction however many
 * watchers, backing off from 1 s to 15 s, stopping at a final status. With Redis the
 * events fan out across instances and a lock makes only one instance poll. How many
 * watches may be open, and for whom, is `allowance`'s (./subscription-allowance.ts).
 */
import { createPubSub, Repeater } from 'graphql-yoga';
import { SubscriptionAllowance } from './subscription-allowance.js';
import { isUpstreamNotFound } from '../errors/from-kspay.js';
import { isFinalStatus } from '../kspay/models.js';
import { isLaterStatus } from '../webhooks/events.js';
export class TransactionUpdates {
    #client;
    #pubsub;
    #lock;
    #policy;
    #watches = new Map();
    /** How to end each stream that has started, so shutdown can complete them. */
    #streams = new Set();
    /** Set by endStreams: a stream opened later (on a connection still open) ends after its first event. */
    #ending = false;
    allowance;
    constructor(options) {
        this.#client = options.client;
        this.allowance = new SubscriptionAllowance(options.limits);
        this.#pubsub = createPubSub(options.eventTarget ? { eventTarget: options.eventTarget } : undefined);
        this.#lock = options.lock;
        this.#policy = options.poll;
    }
    /** Tells every watcher of this transaction, on every instance, its current state. */
    publish(transaction) {
        this.#pubsub.publish('transactionUpdated', this.#topic(transaction.id), transaction);
    }
    /**
     * The transaction now, then every change, ending after a final status. Polling runs
     * while anyone watches; returning the iterator stops watching. `slot` is released when
     * the stream ends however it ends (completed, failed, closed by the client, even before
     * it started), and at once for a transaction that is already final.
     */
    watch(id, current, slot) {
        const stream = new Repeater(async (push, stop) => {
            const end = () => stop();
            this.#streams.add(end);
            stop.then(() => this.#streams.delete(end));
            await push(current);
            if (isFinalStatus(current.status) || this.#ending)
                return stop();
            const updates = this.#pubsub.subscribe('transactionUpdated', this.#topic(id));
            this.#startWatching(id, current);
            stop.then(() => updates.return?.());
            let newest = current.status;
            try {
                for await (const update of updates) {
                    // Deliveries from several instances (or a poll answered before a write) may arrive out of order: never step back.
                    if (isOvertaken(update.status, newest))
                        continue;
                    if (update.status !== 'UNKNOWN')
                        newest = update.status;
                    await push(update);
                    if (isFinalStatus(update.status))
                        break;
                }
            }
            finally {
                this.#stopWatching(id);
                stop();
            }
        });
        if (!slot)
            return stream;
        if (isFinalStatus(current.status))
            slot.release();
        return releasingWhenEnded(stream, slot);
    }
    /**
     * Completes every open stream (shutdown): an SSE client gets its `complete` and a clean end,
     * and reconnects to another instance. Returns how many there were.
     */
    endStreams() {
        this.#ending = true;
        const open = [...this.#streams];
        for (const end of open)
            end();
        return open.length;
    }
    /** Stops every poll loop (on shutdown). */
    close() {
        for (const [id, watch] of this.#watches) {
            if (watch.timer)
                clearTimeout(watch.timer);
            void this.#lock.release(this.#topic(id)).catch(() => undefined);
        }
        this.#watches.clear();
    }
    #topic(id) {
        return `${this.#client.appId}:${id}`;
    }
    #startWatching(id, current) {
        const existing = this.#watches.get(id);
        if (existing) {
            existing.watchers += 1;
            return;
        }
        const watch = { watchers: 1, timer: null, last: fingerprint(current), intervalMs: this.#policy.minIntervalMs };
        this.#watches.set(id, watch);
        this.#schedule(id, watch);
    }
    #stopWatching(id) {
        const watch = this.#watches.get(id);
        if (!watch || --watch.watchers > 0)
            return;
        if (watch.timer)
            clearTimeout(watch.timer);
        this.#watches.delete(id);
        void this.#lock.release(this.#topic(id)).catch(() => undefined);
    }
    #schedule(id, watch) {
        watch.timer = setTimeout(() => void this.#poll(id, watch), watch.intervalMs);
        watch.timer.unref();
    }
    async #poll(id, watch) {
        if (this.#watches.get(id) !== watch)
            return;
        const next = Math.min(watch.intervalMs * 2, this.#policy.maxIntervalMs);
        // The lock outlives the next interval, so a live holder never loses it between polls.
        const mine = await this.#lock.acquire(this.#topic(id), next + this.#policy.maxIntervalMs).catch(() => false);
        if (mine) {
            try {
                const transaction = await this.#client.transaction({ id });
                const seen = fingerprint(transaction);
                if (seen !== watch.last) {
                    watch.last = seen;
                    this.publish(transaction);
                    watch.intervalMs = this.#policy.minIntervalMs;
                }
                else {
                    watch.intervalMs = next;
                }
                if (isFinalStatus(transaction.status))
                    return; // watchers end with that update
            }
            catch (error) {
                // A failing upstream only slows the poll down; a transaction that vanished ends it.
                if (isUpstreamNotFound(error))
                    return;
                watch.intervalMs = next;
            }
        }
        else {
            watch.intervalMs = next;
        }
        if (this.#watches.get(id) === watch)
            this.#schedule(id, watch);
    }
}
/**
 * `source`, releasing `slot` when it ends. A Repeater that is returned before its first
 * `next()` never runs its executor (so no `finally` there), hence this wrapper.
 */
function releasingWhenEnded(source, slot) {
    return {
        async next() {
            try {
                const result = await source.next();
                if (result.done)
                    slot.release();
                return result;
            }
            catch (error) {
                slot.release();
                throw error;
            }
        },
        async return(value) {
            slot.release();
            return source.return ? source.return(value) : { done: true, value: undefined };
        },
        async throw(error) {
            slot.release();
            if (source.throw)
                return source.throw(error);
            throw error;
        },
        [Symbol.asyncIterator]() {
            return this;
        },
    };
}
/**
 * True when a status the stream already sent comes later in the state machine
 * (INITIATED → PROCESSING → SUCCESS | FAILED). UNKNOWN, a status this gateway does not know,
 * cannot be ordered: it is always sent, and orders nothing after it.
 */
function isOvertaken(status, newest) {
    return status !== 'UNKNOWN' && isLaterStatus(newest, status);
}
function fingerprint(transaction) {
    return `${transaction.status}|${transaction.updatedAt ?? ''}|${transaction.providerPaymentId ?? ''}`;
}
