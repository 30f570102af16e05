import { createLossMetrics } from '../observability/loss-metrics.js';
import { ReferenceIndex } from './reference-index.js';
/**
 * The look-up window of one gateway, opened by every data loss its stores report: what
 * the payment service consults before claiming a new reference.
 */
export function lookUpAfterDataLoss(parts) {
    const { stores, client, metrics, logger, ttlMs, quietMs } = parts;
    const window = new LossWindow(ttlMs);
    const lossMetrics = createLossMetrics(metrics, () => window.isOpen(Date.now()));
    const index = new ReferenceIndex({ client, onPage: () => lossMetrics.listPages.inc() });
    const lookup = new LossLookup({ window, index, quietMs, metrics: lossMetrics });
    stores.onDataLoss(({ detectedAt, cause }) => {
        lookup.lost(detectedAt, cause);
        logger.error({ cause, lookUpUntil: new Date(detectedAt + ttlMs).toISOString() }, 'idempotency store lost data: every new referenceNumber is looked up in KS Pay before it is sent, for one idempotency TTL');
    });
    return lookup;
}
export class LossWindow {
    #ttlMs;
    /** Look-ups reach back to here: a TTL before the first loss of the open window. */
    #from = 0;
    #closesAt = 0;
    constructor(ttlMs) {
        this.#ttlMs = ttlMs;
    }
    open(detectedAt) {
        if (!this.isOpen(detectedAt))
            this.#from = detectedAt - this.#ttlMs;
        this.#closesAt = Math.max(this.#closesAt, detectedAt + this.#ttlMs);
    }
    isOpen(now) {
        return now < this.#closesAt;
    }
    /** Where a look-up of a reference with no record starts; null when no loss is that recent. */
    lookUpFrom(now) {
        return this.isOpen(now) ? this.#from : null;
    }
}
/**
 * How far KS Pay's clock (its `createdAt`) may run ahead of ours: the index reaches this
 * far past the last loss's quiet period.
 */
const CLOCK_MARGIN_MS = 60_000;
/**
 * The window and its index together: what the payment service asks.
 *
 * A transaction a forgotten record stood for was sent before the loss, so it lands by
 * the loss's quiet period; anything sent later was sent under a record the store still
 * holds. So the index need reach only that far (plus the clocks' margin): once it does,
 * look-ups cost no KS Pay call at all until another loss.
 */
export class LossLookup {
    #window;
    #index;
    #quietMs;
    #metrics;
    #lastLossAt = 0;
    constructor({ window, index, quietMs, metrics = null }) {
        this.#window = window;
        this.#index = index;
        this.#quietMs = quietMs;
        this.#metrics = metrics;
    }
    /** A loss was detected: open (or extend) the window. */
    lost(detectedAt, cause = 'unknown') {
        if (!this.#window.isOpen(detectedAt))
            this.#index.clear();
        this.#window.open(detectedAt);
        this.#lastLossAt = Math.max(this.#lastLossAt, detectedAt);
        this.#metrics?.detected.inc({ cause });
    }
    /** Before this, a send made before the last loss may still land upstream: a look-up could miss it. */
    quietUntil() {
        return this.#lastLossAt + this.#quietMs;
    }
    lookUpFrom(now) {
        return this.#window.lookUpFrom(now);
    }
    /** The reference's transaction since `from`, read no earlier than `claimedAt`; throws when KS Pay cannot tell. */
    async find(referenceNumber, from, claimedAt) {
        try {
            const found = await this.#index.find(referenceNumber, from, Math.min(claimedAt, this.quietUntil() + CLOCK_MARGIN_MS));
            this.#metrics?.lookups.inc({ result: found ? 'found' : 'not-found' });
            return found;
        }
        catch (error) {
            this.#metrics?.lookups.inc({ result: 'failed' });
            throw error;
        }
    }
}
