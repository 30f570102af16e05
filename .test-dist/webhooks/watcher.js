/**
 * The settlement watcher: every transaction the gateway initiates is followed until KS Pay
 * reports it final, or for at most SETTLEMENT_WATCH_MS. A customer who pays and closes the
 * tab never comes back through the redirect, so the gateway asks KS Pay itself: soon at
 * first (the customer is paying), then less and less often (doubling up to maxPollMs while
 * nothing changes). The watch list is durable in Redis and shared, and the poll lock makes
 * one instance poll each transaction; without Redis the list lives (and dies) with the
 * process.
 *
 * Upstream cost: each tick polls at most `pollsPerTick` transactions, so one instance makes
 * at most pollsPerTick × 60 000 / tickMs KS Pay calls a minute (1,200 with the defaults)
 * however many it watches; a transaction past its first minutes costs one call per maxPollMs.
 */
import { isUpstreamNotFound } from '../errors/from-kspay.js';
import { isFinalStatus } from '../kspay/models.js';
export class SettlementWatcher {
    #options;
    #busy = new Set();
    #timer = null;
    #ticking = false;
    #closed = false;
    #now;
    constructor(options) {
        this.#options = options;
        this.#now = options.now ?? Date.now;
    }
    start() {
        if (this.#closed || this.#timer)
            return;
        this.#timer = setInterval(() => void this.#tickOnce(), this.#options.policy.tickMs);
        this.#timer.unref();
    }
    close() {
        this.#closed = true;
        if (this.#timer)
            clearInterval(this.#timer);
    }
    /** Starts following a transaction (or stops, once it is final); a change makes the next poll soon. */
    async follow(tx, now = this.#now()) {
        const { watchList, policy } = this.#options;
        if (isFinalStatus(tx.status))
            return watchList.remove(tx.id);
        const first = { id: tx.id, status: tx.status, since: now, nextPollAt: now + policy.firstPollMs, intervalMs: policy.firstPollMs };
        if (await watchList.add(first))
            return;
        const entry = await watchList.get(tx.id);
        if (entry && entry.status !== tx.status)
            await watchList.update({ ...entry, status: tx.status, nextPollAt: first.nextPollAt, intervalMs: policy.firstPollMs });
    }
    /** One round: polls the transactions that are due (at most pollsPerTick). */
    async tick(now = this.#now()) {
        const due = await this.#options.watchList.due(now, this.#options.policy.pollsPerTick);
        await Promise.all(due.filter((entry) => !this.#busy.has(entry.id)).map((entry) => this.#check(entry.id)));
    }
    async #tickOnce() {
        if (this.#ticking || this.#closed)
            return;
        this.#ticking = true;
        try {
            await this.tick();
        }
        catch (error) {
            this.#options.logger.warn({ err: error }, 'settlement watch tick failed');
        }
        finally {
            this.#ticking = false;
        }
    }
    async #check(id) {
        const { lock, policy } = this.#options;
        const key = `settlement:${this.#options.client.appId}:${id}`;
        this.#busy.add(id);
        try {
            if (!(await lock.acquire(key, policy.lockMs)))
                return;
            try {
                // Read again under the lock: another instance may have polled it a moment ago.
                const entry = await this.#options.watchList.get(id);
                if (entry && entry.nextPollAt <= this.#now())
                    await this.#poll(entry);
            }
            finally {
                await lock.release(key);
            }
        }
        catch (error) {
            this.#options.logger.warn({ err: error, transactionId: id }, 'settlement watch failed');
        }
        finally {
            this.#busy.delete(id);
        }
    }
    async #poll(entry) {
        const { watchList, policy } = this.#options;
        const now = this.#now();
        if (now - entry.since > policy.watchMs)
            return watchList.remove(entry.id);
        let tx;
        try {
            tx = await this.#options.client.transaction({ id: entry.id });
        }
        catch (error) {
            if (isUpstreamNotFound(error))
                return watchList.remove(entry.id);
            return watchList.update(this.#later(entry, entry.status, now));
        }
        await this.#options.onPolled(tx);
        if (isFinalStatus(tx.status))
            return watchList.remove(entry.id);
        await watchList.update(this.#later(entry, tx.status, now));
    }
    /** The next poll: soon after a change, twice as late as last time otherwise. */
    #later(entry, status, now) {
        const { firstPollMs, maxPollMs } = this.#options.policy;
        const intervalMs = status !== entry.status ? firstPollMs : Math.min(entry.intervalMs * 2, maxPollMs);
        return { ...entry, status, intervalMs, nextPollAt: now + intervalMs };
    }
}
