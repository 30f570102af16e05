/**
 * The reconciling sweep: webhooks re-derived from KS Pay, not only remembered. It reads
 * KS Pay's transaction list over the last WEBHOOK_SWEEP_WINDOW_MS (newest first) and makes
 * sure each transaction's current status has an event, under the id it always has
 * (events.ts), so a receiver that already has it dedupes. This recovers what the gateway
 * forgot (Redis lost the outbox, a restart without Redis) or never saw (the watcher gave
 * up, a short-lived status between two polls is not recoverable: only the current one is).
 *
 * When: at start, every WEBHOOK_SWEEP_INTERVAL_MS, and on `sweep(reason)` (after a detected
 * data loss). Across instances one sweeps at a time (the poll lock), and a scheduled sweep
 * is skipped when another instance ran one within the interval.
 *
 * Cost: at most WEBHOOK_SWEEP_MAX_PAGES list reads of 100 per sweep, so per interval across
 * all instances; a window holding more transactions is cut (its oldest are not looked at;
 * counted as `truncated`). Each transaction read is one outbox write that is a no-op when
 * its event exists.
 */
import { Counter } from 'prom-client';
import { listPages } from '../kspay/transaction-pages.js';
/** How often a sweep asked for while another instance sweeps looks again whether it has finished. */
const LOCKED_RETRY_MS = 1_000;
/** A scheduled sweep that failed (Redis not connected yet at start, KS Pay down) is tried again after this, doubling up to the interval. */
const FIRST_FAILED_RETRY_MS = 1_000;
export class TransactionSweep {
    #options;
    #metrics;
    #lockKey;
    #scheduleKey;
    #timer = null;
    #retry = null;
    #failuresInARow = 0;
    #closed = false;
    #running = null;
    #queued = null;
    constructor(options) {
        this.#options = options;
        this.#metrics = options.registry ? sweepMetrics(options.registry) : null;
        this.#lockKey = `webhook-sweep:${options.client.appId}`;
        this.#scheduleKey = `webhook-sweep-schedule:${options.client.appId}`;
    }
    /** Sweeps now (unless another instance just did) and then every interval. */
    start() {
        if (this.#closed || this.#timer)
            return;
        this.#timer = setInterval(() => void this.#scheduled('schedule'), this.#options.policy.intervalMs);
        this.#timer.unref();
        void this.#scheduled('start');
    }
    close() {
        this.#closed = true;
        if (this.#timer)
            clearInterval(this.#timer);
        if (this.#retry)
            clearTimeout(this.#retry);
    }
    /**
     * Sweeps now, whenever the last sweep was; never throws. Single-flight: asked while a sweep
     * runs, it waits for that one and then sweeps once more (the running one may have read
     * KS Pay before what the caller learned, e.g. a data loss), one follow-up for all callers.
     * If another instance is sweeping, it waits for that sweep to end first.
     */
    sweep(reason) {
        if (this.#queued !== null)
            return this.#queued;
        if (!this.#running)
            return this.#asked(reason);
        const after = this.#running.then(() => {
            this.#queued = null;
            return this.#asked(reason);
        });
        this.#queued = after;
        return after;
    }
    async #asked(reason) {
        return this.#retryIfFailed(await this.#run(reason, true));
    }
    async #scheduled(reason) {
        if (this.#running || this.#closed)
            return;
        let result;
        try {
            // One sweep per interval across instances: the first to take the schedule key runs it.
            const mine = await this.#options.lock.acquire(this.#scheduleKey, this.#options.policy.intervalMs);
            if (!mine)
                return void this.#count(skipped(reason, 'recent'));
            if (this.#running)
                return;
            result = await this.#run(reason, false);
        }
        catch (error) {
            this.#options.logger.warn({ err: error, reason }, 'webhook sweep could not start');
            result = this.#count({ reason, outcome: 'failed', pages: 0, examined: 0, created: 0 });
        }
        this.#retryIfFailed(result);
    }
    /** A failed sweep is tried again soon (as a scheduled one), not only at the next interval. */
    #retryIfFailed(result) {
        this.#failuresInARow = result.outcome === 'failed' ? this.#failuresInARow + 1 : 0;
        if (result.outcome !== 'failed' || this.#retry || this.#closed)
            return result;
        const delay = Math.min(FIRST_FAILED_RETRY_MS * 2 ** Math.min(this.#failuresInARow - 1, 20), this.#options.policy.intervalMs);
        this.#retry = setTimeout(() => {
            this.#retry = null;
            void this.#scheduled(`${result.reason} (retry)`);
        }, delay);
        this.#retry.unref();
        return result;
    }
    #run(reason, asked) {
        const running = this.#sweepOnce(reason, asked)
            .catch((error) => {
            this.#options.logger.warn({ err: error, reason }, 'webhook sweep failed');
            return { reason, outcome: 'failed', pages: 0, examined: 0, created: 0 };
        })
            .then((result) => this.#count(result))
            .finally(() => {
            if (this.#running === running)
                this.#running = null;
        });
        this.#running = running;
        return running;
    }
    async #sweepOnce(reason, asked) {
        const { lock, policy } = this.#options;
        if (!(await this.#acquire(asked)))
            return skipped(reason, this.#closed ? 'closed' : 'locked');
        if (asked)
            await lock.acquire(this.#scheduleKey, policy.intervalMs).catch(() => false);
        const result = { reason, outcome: 'complete', pages: 0, examined: 0, created: 0 };
        try {
            await this.#walk(result);
        }
        catch (error) {
            this.#options.logger.warn({ err: error, reason, pages: result.pages }, 'webhook sweep stopped');
            result.outcome = 'failed';
        }
        finally {
            await lock.release(this.#lockKey).catch(() => undefined);
        }
        const level = result.created > 0 || result.outcome !== 'complete' ? 'warn' : 'debug';
        this.#options.logger[level](result, 'webhook sweep');
        return result;
    }
    /** Reads the window newest first, page by page, renewing the lock before each read. */
    async #walk(result) {
        const { client, lock, policy, ensureEvent } = this.#options;
        // The upstream refuses dates in the future, and clocks drift: end the window now.
        const now = Date.now();
        const fromDate = new Date(now - policy.windowMs).toISOString();
        const toDate = new Date(now).toISOString();
        if (this.#closed)
            return;
        for await (const { items, last } of listPages(client, { fromDate, toDate, pageSize: policy.pageSize, maxPages: policy.maxPages })) {
            result.pages += 1;
            for (const transaction of items) {
                result.examined += 1;
                if (await ensureEvent(transaction))
                    result.created += 1;
            }
            if (last || this.#closed)
                return;
            // Renewed before the next page is read.
            if (!(await lock.acquire(this.#lockKey, policy.lockMs)))
                throw new Error('lost the sweep lock to another instance');
        }
        result.outcome = 'truncated';
    }
    /** The sweep lock; asked for by hand, it waits (bounded) for another instance's sweep to end. */
    async #acquire(asked) {
        const { lock, policy } = this.#options;
        const deadline = Date.now() + (asked ? policy.maxPages * policy.lockMs : 0);
        for (;;) {
            if (this.#closed)
                return false;
            if (await lock.acquire(this.#lockKey, policy.lockMs))
                return true;
            if (Date.now() >= deadline)
                return false;
            await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS).unref());
        }
    }
    #count(result) {
        const metrics = this.#metrics;
        if (metrics) {
            metrics.sweeps.inc({ outcome: result.outcome });
            metrics.upstreamCalls.inc(result.pages);
            metrics.examined.inc(result.examined);
            metrics.created.inc(result.created);
        }
        return result;
    }
}
function skipped(reason, why) {
    return { reason, outcome: 'skipped', skipped: why, pages: 0, examined: 0, created: 0 };
}
function sweepMetrics(registry) {
    const registers = [registry];
    return {
        sweeps: new Counter({
            name: 'kspay_gateway_webhook_sweeps_total',
            help: 'Webhook sweeps by outcome (complete, truncated, skipped, failed)',
            labelNames: ['outcome'],
            registers,
        }),
        upstreamCalls: new Counter({
            name: 'kspay_gateway_webhook_sweep_upstream_requests_total',
            help: 'KS Pay transaction-list reads made by webhook sweeps',
            registers,
        }),
        examined: new Counter({ name: 'kspay_gateway_webhook_sweep_transactions_examined_total', help: 'Transactions webhook sweeps examined', registers }),
        created: new Counter({
            name: 'kspay_gateway_webhook_sweep_events_created_total',
            help: 'Events webhook sweeps created: statuses the outbox had no event for',
            registers,
        }),
    };
}
