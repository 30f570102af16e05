/**
 * The references whose initiate KS Pay answered, by when the merchant asked: what a
 * reconciliation report walks to find a transaction a record stands for but KS Pay does not
 * list (src/reconciliation/). The records themselves stay where they are (the idempotency
 * store); this is only their time index, kept as long as they are (IDEMPOTENCY_TTL_MS).
 */
import type { Redis } from 'ioredis';

export interface ReferenceLedger {
  /** Notes an idempotency key, asked for at `askedAt`; forgotten `ttlMs` later, as its record is. */
  note(key: string, askedAt: number, ttlMs: number): Promise<void>;
  /** Keys asked for within `from`…`to` (epoch ms, inclusive), oldest first, at most `limit`. */
  between(from: number, to: number, limit: number): Promise<string[]>;
}

/** In process: a map in insertion (so asking) order, at most `maxEntries` (IDEMPOTENCY_MAX_RECORDS) live ones. */
export function memoryReferenceLedger(maxEntries: number, now: () => number = Date.now): ReferenceLedger {
  const entries = new Map<string, { askedAt: number; expiresAt: number }>();
  const dropExpired = () => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  };
  return {
    async note(key, askedAt, ttlMs) {
      entries.delete(key);
      entries.set(key, { askedAt, expiresAt: now() + ttlMs });
      // Walked only when full: a walk from the front steps over every entry deleted before it.
      if (entries.size <= maxEntries) return;
      dropExpired();
      // Still full: the oldest goes (the idempotency store refuses new references before this happens).
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    async between(from, to, limit) {
      const at = now();
      const found: { key: string; askedAt: number }[] = [];
      for (const [key, entry] of entries) if (entry.expiresAt > at && entry.askedAt >= from && entry.askedAt <= to) found.push({ key, askedAt: entry.askedAt });
      return found
        .sort((a, b) => a.askedAt - b.askedAt)
        .slice(0, limit)
        .map((entry) => entry.key);
    },
  };
}

/** In Redis: one sorted set scored by `askedAt`, trimmed past the TTL at each note. */
export function redisReferenceLedger(redis: Redis, setKey: string): ReferenceLedger {
  return {
    async note(key, askedAt, ttlMs) {
      await redis
        .multi()
        .zadd(setKey, askedAt, key)
        .zremrangebyscore(setKey, '-inf', `(${Date.now() - ttlMs}`)
        .pexpire(setKey, ttlMs)
        .exec();
    },
    async between(from, to, limit) {
      return redis.zrangebyscore(setKey, from, to, 'LIMIT', 0, limit);
    },
  };
}
