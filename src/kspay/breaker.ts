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

/** Ten in a row: a KS Pay that fails one call in five trips it about once in ten million calls. */
export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 10, coolDownMs: 5_000 };

export function breakerPolicy(overrides: Partial<BreakerPolicy> | undefined): BreakerPolicy {
  return { ...DEFAULT_BREAKER, ...overrides };
}

/**
 * One admitted call. It remembers which spell of the circuit let it in, so that a
 * straggler admitted before the circuit opened is told apart from the probe.
 */
export interface Admission {
  readonly probe: boolean;
  readonly epoch: number;
}

export class CircuitBreaker {
  readonly #policy: BreakerPolicy;
  readonly #now: () => number;
  #consecutiveFailures = 0;
  #openedAt: number | null = null;
  #probeInFlight = false;
  /** Bumped every time the circuit opens: admissions from an earlier spell are stragglers. */
  #epoch = 0;

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
   * Asks to make a call. Null means fail fast. Every call admitted must be followed
   * by exactly one `recordSuccess` or `recordFailure` with its admission.
   */
  tryAdmit(): Admission | null {
    if (this.#openedAt === null) return { probe: false, epoch: this.#epoch };
    if (this.#probeInFlight || !this.#coolDownOver()) return null;
    this.#probeInFlight = true;
    return { probe: true, epoch: this.#epoch };
  }

  recordSuccess(admission: Admission): void {
    if (this.#isStraggler(admission)) return;
    this.#consecutiveFailures = 0;
    this.#openedAt = null;
    this.#probeInFlight = false;
  }

  recordFailure(admission: Admission): void {
    if (this.#isStraggler(admission)) return;
    if (admission.probe) return this.#open();
    this.#consecutiveFailures += 1;
    if (this.#consecutiveFailures >= this.#policy.failureThreshold) this.#open();
  }

  /**
   * A call admitted before the circuit last opened: whether it succeeds or fails, it
   * tells of an upstream from before the verdict, so it changes nothing. Only the probe
   * decides when the circuit closes.
   */
  #isStraggler(admission: Admission): boolean {
    return admission.epoch !== this.#epoch;
  }

  #open(): void {
    this.#epoch += 1;
    this.#openedAt = this.#now();
    this.#probeInFlight = false;
  }

  #coolDownOver(): boolean {
    return this.#openedAt !== null && this.#now() - this.#openedAt >= this.#policy.coolDownMs;
  }
}
