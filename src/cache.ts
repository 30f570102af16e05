/**
 * The shared catalog cache: currencies and payment methods, across requests, keyed by
 * KS Pay app id. lru-cache's `fetch` does the hard parts: it bounds memory, expires
 * entries after `CATALOG_TTL_MS`, and coalesces concurrent misses for one key into a
 * single load. When a reload fails and the old entry is younger than the staleness
 * bound, the old entry is served (stale-if-error) and retried again shortly after.
 */
import { LRUCache } from 'lru-cache';

export interface CatalogEntry<T> {
  value: T;
  /** When the upstream last answered for this key (epoch ms). */
  fetchedAt: number;
}

export interface CatalogCacheOptions {
  ttlMs: number;
  /** How far past its TTL an entry may still be served while reloads fail. */
  maxStaleMs: number;
  /** Entries held at most (one per app for currencies, one per currency for methods). */
  maxEntries?: number;
  /** After a failed reload, how soon to try the upstream again. */
  staleRetryMs?: number;
  /** Observes hits and misses, for metrics. */
  onLookup?: (event: { kind: string; hit: boolean }) => void;
}

type Loader = () => Promise<unknown>;

export class CatalogCache {
  readonly #lru: LRUCache<string, CatalogEntry<unknown>, Loader>;
  readonly #options: Required<Omit<CatalogCacheOptions, 'onLookup'>> & Pick<CatalogCacheOptions, 'onLookup'>;

  constructor(options: CatalogCacheOptions) {
    this.#options = { maxEntries: 1000, staleRetryMs: Math.min(1000, options.ttlMs), ...options };
    this.#lru = new LRUCache<string, CatalogEntry<unknown>, Loader>({
      max: this.#options.maxEntries,
      ttl: this.#options.ttlMs,
      fetchMethod: (_key, stale, { context: load, options: entryOptions }) =>
        this.#reload(load, stale, entryOptions),
    });
  }

  /** The cached entry for `key`, loading it with `load` on a miss or after expiry. */
  async get<T>(key: string, load: () => Promise<T>): Promise<CatalogEntry<T>> {
    const status: LRUCache.Status<string, CatalogEntry<unknown>, Loader> = {};
    const entry = await this.#lru.fetch(key, { context: load, status });
    this.#options.onLookup?.({ kind: key.split('|')[1] ?? key, hit: status.fetch === 'hit' });
    return entry as CatalogEntry<T>;
  }

  /** True when the entry is older than the TTL, i.e. served because reloads failed. */
  isStale(entry: CatalogEntry<unknown>, now = Date.now()): boolean {
    return now - entry.fetchedAt > this.#options.ttlMs;
  }

  clear(): void {
    this.#lru.clear();
  }

  async #reload(
    load: Loader,
    stale: CatalogEntry<unknown> | undefined,
    entryOptions: { ttl?: number },
  ): Promise<CatalogEntry<unknown>> {
    try {
      return { value: await load(), fetchedAt: Date.now() };
    } catch (error) {
      const age = stale ? Date.now() - stale.fetchedAt : Infinity;
      if (!stale || age > this.#options.ttlMs + this.#options.maxStaleMs) throw error;
      // Keep serving the old entry, but only for a moment before the next attempt.
      entryOptions.ttl = this.#options.staleRetryMs;
      return stale;
    }
  }
}

export const catalogKeys = {
  currencies: (appId: string) => `${appId}|currencies`,
  paymentMethods: (appId: string, currencyId: string) => `${appId}|payment-methods|${currencyId}`,
};
