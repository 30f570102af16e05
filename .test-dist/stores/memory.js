/** The in-process stores: what one gateway keeps when REDIS_URL is not set. */
import { LRUCache } from 'lru-cache';
import { IdempotencyStoreFullError } from './types.js';
/**
 * Records live for the TTL and are never evicted early: dropping one could let a retry
 * create a second payment. So the map is bounded by refusing new references when full
 * (after sweeping out expired ones), never by forgetting live ones. Every method runs
 * synchronously inside the event loop, which is what makes compare-and-set atomic here.
 */
export class MemoryIdempotencyStore {
    #records = new Map();
    #sweeper;
    #maxRecords;
    #now;
    /** No record expires before this, so a full store sweeps only when a sweep can free something. */
    #nextExpiry = Infinity;
    constructor({ maxRecords = 100_000, sweepEveryMs = 60_000, now = Date.now } = {}) {
        this.#maxRecords = maxRecords;
        this.#now = now;
        this.#sweeper = setInterval(() => this.#sweep(), sweepEveryMs);
        this.#sweeper.unref();
    }
    async get(key) {
        return this.#read(key);
    }
    async create(key, record, ttlMs) {
        if (this.#read(key))
            return false;
        if (this.#records.size >= this.#maxRecords) {
            if (this.#now() >= this.#nextExpiry)
                this.#sweep();
            if (this.#records.size >= this.#maxRecords)
                throw new IdempotencyStoreFullError(this.#maxRecords);
        }
        this.#write(key, record, ttlMs);
        return true;
    }
    // Never refused for capacity: it records the progress of a reference already held.
    async replace(key, next, ttlMs) {
        if (this.#read(key)?.version !== next.version - 1)
            return false;
        this.#write(key, next, ttlMs);
        return true;
    }
    async remove(key, version) {
        if (this.#read(key)?.version !== version)
            return false;
        this.#records.delete(key);
        return true;
    }
    get size() {
        return this.#records.size;
    }
    close() {
        clearInterval(this.#sweeper);
    }
    #read(key) {
        const entry = this.#records.get(key);
        if (!entry)
            return null;
        if (entry.expiresAt <= this.#now()) {
            this.#records.delete(key);
            return null;
        }
        return entry.record;
    }
    #write(key, record, ttlMs) {
        const expiresAt = this.#now() + ttlMs;
        this.#records.set(key, { record, expiresAt });
        this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
    }
    #sweep() {
        const now = this.#now();
        let nextExpiry = Infinity;
        for (const [key, entry] of this.#records) {
            if (entry.expiresAt <= now)
                this.#records.delete(key);
            else
                nextExpiry = Math.min(nextExpiry, entry.expiresAt);
        }
        this.#nextExpiry = nextExpiry;
    }
}
/** One instance: it always polls what it watches. */
export class LocalPollLock {
    async acquire() {
        return true;
    }
    async release() { }
}
/** Registered queries, the least recently used forgotten first: a forgotten one is just sent again. */
export class MemoryApqStore {
    #queries;
    constructor({ maxEntries = 1_000, maxBytes = 16 * 1024 * 1024 } = {}) {
        this.#queries = new LRUCache({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (query) => query.length || 1 });
    }
    async get(hash) {
        return this.#queries.get(hash) ?? null;
    }
    async set(hash, query) {
        this.#queries.set(hash, query);
    }
    get size() {
        return this.#queries.size;
    }
}
