/**
 * The shared catalog cache: currencies and payment methods, across requests, keyed by
 * KS Pay app id. lru-cache's `fetch` does the hard parts: it bounds memory, expires
 * entries, and coalesces concurrent misses for one key into a single load. With Redis
 * (REDIS_URL) the LRU is a short first level in front of a store every instance shares.
 * When a reload fails and the old entry is younger than the staleness bound, the old
 * entry is served (stale-if-error) and retried again shortly after.
 */
import { LRUCache } from 'lru-cache';
export class CatalogCache {
    #lru;
    #ttlMs;
    #maxStaleMs;
    #localTtlMs;
    #staleRetryMs;
    #shared;
    #onLookup;
    /** When `refresh` last reloaded each key (one entry per list ever refreshed). */
    #refreshedAt = new Map();
    #generation = 0;
    constructor(options) {
        this.#ttlMs = options.ttlMs;
        this.#maxStaleMs = options.maxStaleMs;
        this.#shared = options.shared;
        this.#localTtlMs = Math.min(options.localTtlMs ?? options.ttlMs, options.ttlMs);
        this.#staleRetryMs = options.staleRetryMs ?? Math.min(1000, options.ttlMs);
        this.#onLookup = options.onLookup;
        this.#lru = new LRUCache({
            max: options.maxEntries ?? 1000,
            ttl: this.#localTtlMs,
            fetchMethod: (key, stale, { context, options: entryOptions }) => this.#reload(key, context, stale, entryOptions),
        });
    }
    /** The cached entry for `key`, loading it with `load` on a miss or after expiry. */
    async get(key, load) {
        const status = {};
        const entry = await this.#lru.fetch(key, { context: { load }, status });
        this.#onLookup?.({ kind: kindOf(key), hit: status.fetch === 'hit' });
        return entry;
    }
    /**
     * Reloads `key` from the upstream now, unless it was loaded or reloaded within
     * `minIntervalMs` (then the current entry is the answer). For a lookup the cached entry
     * cannot answer, such as an id the cached list does not know: the list may be out of
     * date, but reloading it for every unknown id would let clients multiply upstream calls.
     * Concurrent refreshes of a key share one load (lru-cache's in-flight fetch).
     */
    async refresh(key, load, minIntervalMs) {
        const loadedAt = Math.max(this.#lru.peek(key)?.fetchedAt ?? 0, this.#refreshedAt.get(key) ?? 0);
        if (Date.now() - loadedAt < minIntervalMs)
            return this.get(key, load);
        this.#refreshedAt.set(key, Date.now());
        this.#onLookup?.({ kind: kindOf(key), hit: false });
        // Another instance's reload just now (in the shared level) is as good as ours.
        const entry = await this.#lru.fetch(key, { context: { load, maxSharedAgeMs: minIntervalMs }, forceRefresh: true });
        return entry;
    }
    /**
     * Bumped whenever an entry is replaced (a reload, another instance's newer entry) and on
     * `clear`: an answer built from the catalog is current only while this is unchanged.
     */
    get generation() {
        return this.#generation;
    }
    /** How long the catalog is fresh (CATALOG_TTL_MS). */
    get ttlMs() {
        return this.#ttlMs;
    }
    /** After a failed reload, how soon the upstream is tried again. */
    get staleRetryMs() {
        return this.#staleRetryMs;
    }
    /** True when the entry is older than the TTL, i.e. served because reloads failed. */
    isStale(entry, now = Date.now()) {
        return now - entry.fetchedAt > this.#ttlMs;
    }
    /** Forgets the in-process level (the shared level expires by itself). */
    clear() {
        this.#lru.clear();
        this.#refreshedAt.clear();
        this.#generation += 1;
    }
    async #reload(key, { load, maxSharedAgeMs = this.#ttlMs }, localStale, entryOptions) {
        const shared = await this.#shared?.get(key).catch(() => null);
        if (shared && Date.now() - shared.fetchedAt <= maxSharedAgeMs) {
            // Keep it locally no longer than it stays fresh.
            entryOptions.ttl = Math.max(1, Math.min(this.#localTtlMs, this.#ttlMs - (Date.now() - shared.fetchedAt)));
            if (localStale && shared.fetchedAt !== localStale.fetchedAt)
                this.#generation += 1;
            return shared;
        }
        try {
            const fresh = { value: await load(), fetchedAt: Date.now() };
            await this.#shared?.set(key, fresh, this.#ttlMs + this.#maxStaleMs).catch(() => undefined);
            // A first load adds to the catalog; only a replacement changes what earlier answers were built from.
            if (localStale)
                this.#generation += 1;
            return fresh;
        }
        catch (error) {
            const stale = [localStale, shared].filter((e) => e != null).sort((a, b) => b.fetchedAt - a.fetchedAt)[0];
            if (!stale || Date.now() - stale.fetchedAt > this.#ttlMs + this.#maxStaleMs)
                throw error;
            // Keep serving the old entry, but only for a moment before the next attempt.
            entryOptions.ttl = this.#staleRetryMs;
            return stale;
        }
    }
}
function kindOf(key) {
    return key.split('|')[1] ?? key;
}
export const catalogKeys = {
    currencies: (appId) => `${appId}|currencies`,
    paymentMethods: (appId, currencyId) => `${appId}|payment-methods|${currencyId}`,
};
