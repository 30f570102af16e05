/** Signed webhooks, the settlement watcher and the reconciling sweep; off while WEBHOOK_URL is unset. */
import { z } from 'zod';
import { isValidStandardSecret } from '../webhooks/signing.js';
import { weakness } from './key-strength.js';
import { problem, shapeOf } from './problems.js';
import { count, list, milliseconds } from './rules.js';
import { parseWith, read, setting } from './settings.js';
import { DELIVERY_TUNING, SWEEP_PAGE_SIZE, WATCH_TUNING } from './tuning.js';
const DAY_MS = 24 * 3_600_000;
export const WEBHOOK_VARIABLES = {
    WEBHOOK_URL: setting('webhooks', 'WEBHOOK_URL', [], 'Comma-separated http(s) URLs every event is POSTed to.', 'unset (webhooks off)'),
    WEBHOOK_SECRET: setting('webhooks', 'WEBHOOK_SECRET', [], 'The signing secrets, comma-separated (several during a rotation, the first signs): `whsec_` and base64, or 16+ characters not trivially weak. Required with WEBHOOK_URL.', 'none'),
    WEBHOOK_RETRY_MS: setting('webhooks', 'WEBHOOK_RETRY_MS', 3 * DAY_MS, 'How long after an event its delivery is retried.'),
    WEBHOOK_TIMEOUT_MS: setting('webhooks', 'WEBHOOK_TIMEOUT_MS', 10_000, "One delivery attempt's time limit. Derived from it: a delivery lane's lock, twice this and a second (longer than one attempt can take)."),
    SETTLEMENT_WATCH_MS: setting('webhooks', 'SETTLEMENT_WATCH_MS', DAY_MS, 'How long a transaction is followed for its final status at most.'),
    ATTENTION_AFTER_MS: setting('webhooks', 'ATTENTION_AFTER_MS', 3_600_000, 'How long INITIATED or PROCESSING may last before transactionsNeedingAttention lists the transaction.'),
    WEBHOOK_SWEEP_INTERVAL_MS: setting('webhooks', 'WEBHOOK_SWEEP_INTERVAL_MS', 300_000, "How often the sweep re-derives events from KS Pay's transaction list (at least 1000)."),
    // KS Pay refuses a date range over 90 days.
    WEBHOOK_SWEEP_WINDOW_MS: setting('webhooks', 'WEBHOOK_SWEEP_WINDOW_MS', DAY_MS, 'How far back, by creation time, the sweep reads (at most 90 days).'),
    WEBHOOK_SWEEP_MAX_PAGES: setting('webhooks', 'WEBHOOK_SWEEP_MAX_PAGES', 20, 'List reads one sweep makes at most (1 to 1000).'),
};
const V = WEBHOOK_VARIABLES;
const webhookUrls = list.pipe(z.array(z.url({ protocol: /^https?$/, error: 'each entry must be an http(s) URL such as https://shop.example/webhooks' })).min(1, 'has no URLs'));
/** Comma-separated: `whsec_<base64>` (Standard Webhooks) or, as before, any string of 16+ characters. */
const webhookSecrets = list.pipe(z
    .array(z
    .string()
    .min(16, 'each secret must be at least 16 characters')
    .refine((secret) => !secret.startsWith('whsec_') || isValidStandardSecret(secret), "a 'whsec_' secret must be base64 of 24 to 64 bytes after the prefix"))
    .min(1, 'has no secrets'));
export function parseWebhooks(env, timings) {
    const urls = parseWith(env, V.WEBHOOK_URL, webhookUrls);
    const secrets = parseWith(env, V.WEBHOOK_SECRET, webhookSecrets);
    for (const secret of secrets) {
        const weak = weakness(secret);
        if (weak)
            problem(env, 'WEBHOOK_SECRET', `${weak} (${shapeOf('WEBHOOK_SECRET', secret)})`, null);
    }
    if (urls.length > 0 && read(env, V.WEBHOOK_SECRET.name) === undefined)
        problem(env, 'WEBHOOK_SECRET', 'is required when WEBHOOK_URL is set (it signs every event)', null);
    const timeoutMs = parseWith(env, V.WEBHOOK_TIMEOUT_MS, milliseconds);
    return Object.freeze({
        urls,
        secrets,
        delivery: Object.freeze({ ...DELIVERY_TUNING, retryMs: parseWith(env, V.WEBHOOK_RETRY_MS, milliseconds), timeoutMs, laneLockMs: 2 * timeoutMs + 1_000 }),
        watch: Object.freeze({ ...WATCH_TUNING, watchMs: parseWith(env, V.SETTLEMENT_WATCH_MS, milliseconds), lockMs: timings.pollLockMs }),
        attentionAfterMs: parseWith(env, V.ATTENTION_AFTER_MS, milliseconds),
        sweep: Object.freeze({
            intervalMs: parseWith(env, V.WEBHOOK_SWEEP_INTERVAL_MS, milliseconds.min(1_000, 'must be at least 1000')),
            windowMs: parseWith(env, V.WEBHOOK_SWEEP_WINDOW_MS, milliseconds.max(90 * DAY_MS, 'must be at most 90 days (7776000000)')),
            maxPages: parseWith(env, V.WEBHOOK_SWEEP_MAX_PAGES, count.max(1_000, 'must be at most 1000')),
            pageSize: SWEEP_PAGE_SIZE,
            lockMs: timings.pollLockMs,
        }),
    });
}
