/**
 * A circuit breaker for one upstream. After `failureThreshold` consecutive failures it
 * opens and calls fail fast, sparing both a struggling KS Pay and our own callers the
 * wait; after `coolDownMs` it lets one probe through, whose result closes or reopens it.
 *
 * Only signs of an unhealthy upstream count as failures (no answer, 5xx). A 4xx or 429
 * is a healthy server answering, so it counts as a success.
 */

export interface BreakerPolicy {
  failureThreshold: number;
  coolDownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export function breakerPolicy(overrides: Partial<BreakerPolicy> | undefined): BreakerPolicy {
  // Ten in a row: a KS Pay that fails one call in five trips it about once in ten million calls.
  return { failureThreshold: 10, coolDownMs: 5000, ...overrides };
}

export class CircuitBreaker {
  readonly #policy: BreakerPolicy;
  readonly #now: () => number;
  #consecutiveFailures = 0;
  #openedAt: number | null = null;
  #probeInFlight = false;

  constructor(policy: BreakerPolicy, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  /** 'half-open' once the cool-down is over: the next call is the probe, or the probe is running. */
  get state(): BreakerState {
    if (this.#openedAt === null) return 'closed';
    return this.#probeInFlight || this.#coolDownOver() ? 'half-open' : 'open';
  }

  /**
   * Asks to make a call. False means fail fast. Every call admitted must be followed
   * by exactly one `recordSuccess` or `recordFailure`.
   */
  tryAdmit(): boolean {
    if (this.#openedAt === null) return true;
    if (this.#probeInFlight || !this.#coolDownOver()) return false;
    this.#probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.#consecutiveFailures = 0;
    this.#openedAt = null;
    this.#probeInFlight = false;
  }

  recordFailure(): void {
    if (this.#probeInFlight) return this.#open();
    // A straggler admitted before the circuit opened says nothing new.
    if (this.#openedAt !== null) return;
    this.#consecutiveFailures += 1;
    if (this.#consecutiveFailures >= this.#policy.failureThreshold) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#probeInFlight = false;
  }

  #coolDownOver(): boolean {
    return this.#openedAt !== null && this.#now() - this.#openedAt >= this.#policy.coolDownMs;
  }
}
