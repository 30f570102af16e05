/** The catalog cache and payments: how long answers and idempotency records are kept, where payers may be sent back to. */
import { parseRedirectHost } from '../payments/redirect-url.js';
import { problem } from './problems.js';
import { count, milliseconds, wholeNumber } from './rules.js';
import { parseWith, read, setting } from './settings.js';
import { LOCAL_CATALOG_TTL_WITH_REDIS_MS } from './tuning.js';
export const PAYMENTS_VARIABLES = {
    CATALOG_TTL_MS: setting('cache', 'CATALOG_TTL_MS', 60_000, 'How long currencies and payment methods read from KS Pay are served from the cache.'),
    CATALOG_MAX_STALE_MS: setting('cache', 'CATALOG_MAX_STALE_MS', 10 * 60_000, 'How long past its TTL a catalog entry may still be served while KS Pay fails.'),
    IDEMPOTENCY_TTL_MS: setting('payments', 'IDEMPOTENCY_TTL_MS', 24 * 3_600_000, 'How long an idempotency key is remembered (at least 24 hours).'),
    IDEMPOTENCY_MAX_RECORDS: setting('payments', 'IDEMPOTENCY_MAX_RECORDS', 100_000, 'Live idempotency records the in-process store may hold (not used with Redis).'),
    SETTLED_CACHE_MAX_BYTES: setting('cache', 'SETTLED_CACHE_MAX_BYTES', 32 * 1024 * 1024, 'Bytes of settled (SUCCESS/FAILED) transactions kept in process, to answer lookups with no KS Pay call.'),
    RECONCILIATION_MAX_WINDOW_MS: setting('payments', 'RECONCILIATION_MAX_WINDOW_MS', 24 * 3_600_000, 'The longest window one reconciliation report may cover (at most 90 days); it may not reach back past IDEMPOTENCY_TTL_MS.'),
    RECONCILIATION_MAX_ROWS: setting('payments', 'RECONCILIATION_MAX_ROWS', 10_000, 'The most transactions one reconciliation report may hold (at most 100000); a fuller window is refused with REPORT_TOO_LARGE.'),
    REDIRECT_HOSTS: setting('payments', 'REDIRECT_HOSTS', null, "Comma-separated hosts a payment's redirectUrl may point to, such as shop.example,shop.example:8443.", 'unset (any https host; http only on localhost)'),
};
const V = PAYMENTS_VARIABLES;
export function parseCache(env) {
    return Object.freeze({
        catalogTtlMs: parseWith(env, V.CATALOG_TTL_MS, milliseconds),
        catalogMaxStaleMs: parseWith(env, V.CATALOG_MAX_STALE_MS, milliseconds),
        localCatalogTtlWithRedisMs: LOCAL_CATALOG_TTL_WITH_REDIS_MS,
        settledMaxBytes: parseWith(env, V.SETTLED_CACHE_MAX_BYTES, count),
    });
}
export function parsePayments(env) {
    return Object.freeze({
        idempotencyTtlMs: parseWith(env, V.IDEMPOTENCY_TTL_MS, wholeNumber('must be at least 24 hours (86400000) in whole milliseconds', 24 * 3_600_000)),
        idempotencyMaxRecords: parseWith(env, V.IDEMPOTENCY_MAX_RECORDS, count),
        redirectHosts: parseRedirectHosts(env),
        reconciliation: Object.freeze({
            maxWindowMs: parseWith(env, V.RECONCILIATION_MAX_WINDOW_MS, milliseconds.max(90 * 24 * 3_600_000, 'must be at most 90 days (7776000000)')),
            maxRows: parseWith(env, V.RECONCILIATION_MAX_ROWS, count.max(100_000, 'must be at most 100000')),
        }),
    });
}
function parseRedirectHosts(env) {
    const raw = read(env, V.REDIRECT_HOSTS.name);
    if (raw === undefined)
        return null;
    const hosts = new Set();
    for (const entry of raw
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)) {
        const host = parseRedirectHost(entry);
        if (!host)
            return problem(env, 'REDIRECT_HOSTS', `"${entry}" is not a host name with an optional port, such as shop.example or shop.example:8443`, null);
        hosts.add(host);
    }
    if (hosts.size === 0)
        return problem(env, 'REDIRECT_HOSTS', 'has no hosts', null);
    return hosts;
}
