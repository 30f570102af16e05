/**
 * KSPAY_TIMEOUT_MS is one setting with several jobs. Each job is a named value of its own,
 * derived here and only here as a multiple of the timeout, so a reader (and the reference,
 * docs/configuration.md) sees what a longer upstream timeout lengthens, and why.
 */
export const TIMEOUT_JOBS = {
    callTimeoutMs: { times: 1, meaning: "One KS Pay call's time limit." },
    readRetryBudgetMs: { times: 1, meaning: 'How long the client keeps retrying a failed read (src/kspay/retry.ts).' },
    quietAfterLostAnswerMs: {
        times: 1,
        meaning: 'After an initiate went unanswered: the wait before its reference is looked up (a late send lands within it).',
    },
    claimLeaseMs: { times: 3, meaning: 'How long a claim on a payment reference is trusted unrenewed: a send, the quiet period and a look-up.' },
    quietAfterDataLossMs: { times: 3, meaning: 'After the store lost records: the wait before the first look-up (src/payments/loss-window.ts).' },
    pollLockMs: { times: 2, meaning: "The settlement watcher's and the sweep's lock: a poll or list read, with room for one more." },
};
export function upstreamTimings(kspayTimeoutMs) {
    const entries = Object.entries(TIMEOUT_JOBS).map(([job, { times }]) => [job, times * kspayTimeoutMs]);
    return Object.freeze(Object.fromEntries(entries));
}
