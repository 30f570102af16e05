/** In process: a map in insertion (so asking) order, at most `maxEntries` (IDEMPOTENCY_MAX_RECORDS) live ones. */
export function memoryReferenceLedger(maxEntries, now = Date.now) {
    const entries = new Map();
    const dropExpired = () => {
        const at = now();
        for (const [key, entry] of entries)
            if (entry.expiresAt <= at)
                entries.delete(key);
    };
    return {
        async note(key, askedAt, ttlMs) {
            entries.delete(key);
            entries.set(key, { askedAt, expiresAt: now() + ttlMs });
            if (entries.size > maxEntries)
                dropExpired();
            // Still full: the oldest goes (the idempotency store refuses new references before this happens).
            for (const oldest of entries.keys()) {
                if (entries.size <= maxEntries)
                    break;
                entries.delete(oldest);
            }
        },
        async between(from, to, limit) {
            const at = now();
            const found = [];
            for (const [key, entry] of entries)
                if (entry.expiresAt > at && entry.askedAt >= from && entry.askedAt <= to)
                    found.push({ key, askedAt: entry.askedAt });
            return found
                .sort((a, b) => a.askedAt - b.askedAt)
                .slice(0, limit)
                .map((entry) => entry.key);
        },
    };
}
/** In Redis: one sorted set scored by `askedAt`, trimmed past the TTL at each note. */
export function redisReferenceLedger(redis, setKey) {
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
