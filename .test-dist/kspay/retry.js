/**
 * Retries for reads: exponential backoff with full jitter inside a total time budget.
 * Full jitter (a random wait between 0 and the exponential cap) keeps a crowd of
 * clients that failed together from retrying together.
 */
import { setTimeout as sleep } from 'node:timers/promises';
/** Eight attempts: with one upstream read in five failing, one read in ~400,000 still fails. */
export const DEFAULT_RETRY = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 1_000 };
export function retryPolicy(overrides, timeoutMs) {
    return { ...DEFAULT_RETRY, budgetMs: timeoutMs, ...overrides };
}
/** The wait before attempt `attempt + 1`: uniformly random up to the exponential cap. */
export function backoffDelay(policy, attempt, random = Math.random) {
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(random() * cap);
}
/**
 * Runs `attempt(n, deadline)` until it succeeds, fails for good, runs out of attempts,
 * or the next wait would end past the budget; the last failure is thrown as it was.
 * Attempts get the budget's deadline so they can cap their own timeouts by it.
 */
export async function withRetry(policy, options, attempt) {
    const deadline = Date.now() + policy.budgetMs;
    for (let attemptNumber = 1;; attemptNumber++) {
        try {
            return await attempt(attemptNumber, deadline);
        }
        catch (error) {
            if (attemptNumber >= policy.maxAttempts || !options.isRetryable(error))
                throw error;
            const wait = options.requestedDelayMs(error) ?? backoffDelay(policy, attemptNumber);
            if (Date.now() + wait >= deadline)
                throw error;
            await sleep(wait);
        }
    }
}
/**
 * The longest wait a server may ask for. Beyond it a Retry-After says "much later", not
 * a plan; and every wait must fit the 32-bit `retryAfterMs` clients read.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;
/**
 * Retry-After is either delay-seconds or an HTTP date. Returns milliseconds from now,
 * at most MAX_RETRY_AFTER_MS, or null when the header is absent or unreadable.
 */
export function parseRetryAfter(header, now = Date.now()) {
    if (header === null || header.trim() === '')
        return null;
    const value = header.trim();
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(value) * 1000));
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - now));
}
