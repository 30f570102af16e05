/**
 * KSPAY_TIMEOUT_MS is one setting with several jobs. Each is named here and derived in this
 * one place, so a reader sees what a longer upstream timeout lengthens (and why).
 */
export interface UpstreamTimings {
  /** One KS Pay call's time limit. */
  callTimeoutMs: number;
  /** How long the client keeps retrying a failed read (src/kspay/retry.ts). */
  readRetryBudgetMs: number;
  /** After an initiate went unanswered: the wait before its reference is looked up (a late send lands within it). */
  quietAfterLostAnswerMs: number;
  /** How long a claim on a reference is trusted unrenewed: a send, the quiet period and a look-up. */
  claimLeaseMs: number;
  /** After the store lost records: the wait before the first look-up (./payments/loss-window.ts). */
  quietAfterDataLossMs: number;
  /** The settlement watcher's and the sweep's lock: a poll or list read, with room for one more. */
  pollLockMs: number;
}

export function upstreamTimings(kspayTimeoutMs: number): UpstreamTimings {
  return Object.freeze({
    callTimeoutMs: kspayTimeoutMs,
    readRetryBudgetMs: kspayTimeoutMs,
    quietAfterLostAnswerMs: kspayTimeoutMs,
    claimLeaseMs: 3 * kspayTimeoutMs,
    quietAfterDataLossMs: 3 * kspayTimeoutMs,
    pollLockMs: 2 * kspayTimeoutMs,
  });
}
