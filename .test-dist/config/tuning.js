/**
 * The values no variable sets: named here, beside the ones that are set, so every number
 * the gateway runs by is found in src/config/. Tests shorten them through createApp's
 * overrides (a partial of the configuration, src/config/overrides.ts).
 */
import { DEFAULT_BREAKER } from '../kspay/breaker.js';
import { DEFAULT_TOKEN_TIMING } from '../kspay/client.js';
import { DEFAULT_RETRY } from '../kspay/retry.js';
/**
 * Slow clients are cut off in seconds: a new connection must send its first byte within
 * 5 s (src/http/connections.ts), headers must arrive within 10 s and a whole request within
 * 15 s; an idle keep-alive connection is closed after 5 s. (Responses, such as a
 * subscription's event stream, may last as long as they need.)
 */
export const SERVER_TIMEOUTS = { firstByteMs: 5_000, headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000 };
/** KS Pay client: the client's own defaults (src/kspay/), named here with the rest. */
export const KSPAY_CLIENT_TUNING = {
    retry: DEFAULT_RETRY,
    breaker: DEFAULT_BREAKER,
    tokenRefreshMarginMs: DEFAULT_TOKEN_TIMING.refreshMarginMs,
    accessTokenLifetimeMs: DEFAULT_TOKEN_TIMING.accessTokenLifetimeMs,
};
/** With Redis, the in-process catalog level is only this fresh. */
export const LOCAL_CATALOG_TTL_WITH_REDIS_MS = 5_000;
/** A subscribed transaction is polled after 1 s, the wait doubling while nothing changes, up to 15 s. */
export const POLL_POLICY = { minIntervalMs: 1_000, maxIntervalMs: 15_000 };
/** The settlement watcher: a tick a second, at most 20 polls a tick, 2 s to 5 min between polls of one transaction. */
export const WATCH_TUNING = { tickMs: 1_000, firstPollMs: 2_000, maxPollMs: 300_000, pollsPerTick: 20 };
/** Webhook delivery: a tick a second, 20 lanes a tick, retries from 10 s doubling up to an hour. */
export const DELIVERY_TUNING = { tickMs: 1_000, firstRetryMs: 10_000, maxRetryDelayMs: 3_600_000, lanesPerTick: 20 };
/** Transactions per list read of the sweep (KS Pay's maximum). */
export const SWEEP_PAGE_SIZE = 100;
/** How long a /health/dependencies answer is reused, so probes cannot turn into KS Pay traffic. */
export const DEPENDENCY_CHECK_CACHE_MS = 5_000;
