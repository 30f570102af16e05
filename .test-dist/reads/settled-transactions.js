/**
 * Settled transactions: a transaction in a final status (SUCCESS, FAILED) never changes
 * again, so once the gateway has read one from KS Pay it answers `transaction(id)`,
 * `node(id)` and `nodes(ids)` for it with no upstream call. Whatever read it fills it: a
 * lookup, a page of the list, a live-update poll, the settlement watch, the webhook sweep,
 * a payment return (KsPayClient's `onTransactionsRead` hook).
 *
 * In process an LRU bounded by bytes (SETTLED_CACHE_MAX_BYTES); with Redis also a shared
 * level (src/stores/settled-redis.ts), so one instance's read serves every instance. A
 * status that is not final is never stored and never served, whatever a level holds.
 */
import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';
import { isFinalStatus } from '../kspay/models.js';
import { Decimal } from '../kspay/money.js';
/** The cache as the gateway runs it: bounded by SETTLED_CACHE_MAX_BYTES, its lookups counted on /metrics. */
export function createSettledTransactions(config, shared, registry) {
    const lookups = new Counter({
        name: 'kspay_gateway_settled_transaction_lookups_total',
        help: 'Transaction lookups by id answered from the settled-transaction cache (hit) or sent to KS Pay (miss)',
        labelNames: ['result'],
        registers: [registry],
    });
    return new SettledTransactions({ maxBytes: config.cache.settledMaxBytes, shared, onLookup: (hit) => lookups.inc({ result: hit ? 'hit' : 'miss' }) });
}
/** What one entry costs besides its JSON text: the object, its strings' headers, the LRU's slots. */
const ENTRY_OVERHEAD_BYTES = 400;
export class SettledTransactions {
    #local;
    #shared;
    #onLookup;
    constructor({ maxBytes, shared, onLookup }) {
        this.#local = new LRUCache({ maxSize: maxBytes, sizeCalculation: sizeOf });
        this.#shared = shared;
        this.#onLookup = onLookup;
    }
    /** The settled transactions among `ids` that a level holds; the others must be read from KS Pay. */
    async find(ids) {
        const found = new Map();
        const missing = [];
        for (const id of ids) {
            const local = this.#local.get(id);
            if (local)
                found.set(id, local);
            else
                missing.push(id);
        }
        if (missing.length > 0 && this.#shared) {
            // Redis down or slow only costs the upstream call it would have saved.
            const stored = await this.#shared.get(missing).catch(() => missing.map(() => null));
            missing.forEach((id, i) => {
                const transaction = revive(stored[i] ?? null, id);
                if (!transaction)
                    return;
                this.#local.set(id, transaction);
                found.set(id, transaction);
            });
        }
        if (this.#onLookup)
            for (const id of ids)
                this.#onLookup(found.has(id));
        return found;
    }
    /** Keeps those of `transactions` that are final; any other is ignored. Never throws. */
    remember(transactions) {
        const fresh = [];
        for (const transaction of transactions) {
            if (!isFinalStatus(transaction.status) || this.#local.has(transaction.id))
                continue;
            this.#local.set(transaction.id, transaction);
            if (this.#shared)
                fresh.push([transaction.id, JSON.stringify(transaction)]);
        }
        if (fresh.length > 0)
            void this.#shared?.set(fresh).catch(() => undefined);
    }
}
function sizeOf(transaction) {
    return JSON.stringify(transaction).length + ENTRY_OVERHEAD_BYTES;
}
/** A stored entry as a Transaction: only a final one, of this id, with an exact amount; anything else is a miss. */
function revive(json, id) {
    if (json === null)
        return null;
    try {
        const stored = JSON.parse(json);
        const amount = typeof stored.amount === 'string' ? Decimal.parse(stored.amount) : null;
        if (stored.id !== id || !isFinalStatus(stored.status) || !amount)
            return null;
        return { ...stored, amount };
    }
    catch {
        return null;
    }
}
