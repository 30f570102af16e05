/**
 * A circuit breaker for one upstream. After `failureThreshold` consecutive failures it
 * opens and calls fail fast, sparing both a struggling KS Pay and our own callers the
 * wait; after `coolDownMs` it lets one probe through, whose result closes or reopens it.
 *
 * Only signs of an unhealthy upstream count as failures (no answer, 5xx). A 4xx or 429
 * is a healthy server answering, so it counts as a success.
 */
/** Ten in a row: a KS Pay that fails one call in five trips it about once in ten million calls. */
export const DEFAULT_BREAKER = { failureThreshold: 10, coolDownMs: 5_000 };
export function breakerPolicy(overrides) {
    return { ...DEFAULT_BREAKER, ...overrides };
}
export class CircuitBreaker {
    #policy;
    #now;
    #consecutiveFailures = 0;
    #openedAt = null;
    #probeInFlight = false;
    /** Bumped every time the circuit opens: admissions from an earlier spell are stragglers. */
    #epoch = 0;
    constructor(policy, now = Date.now) {
        this.#policy = policy;
        this.#now = now;
    }
    /** 'half-open' once the cool-down is over: the next call is the probe, or the probe is running. */
    get state() {
        if (this.#openedAt === null)
            return 'closed';
        return this.#probeInFlight || this.#coolDownOver() ? 'half-open' : 'open';
    }
    /**
     * Asks to make a call. Null means fail fast. Every call admitted must be followed
     * by exactly one `recordSuccess` or `recordFailure` with its admission.
     */
    tryAdmit() {
        if (this.#openedAt === null)
            return { probe: false, epoch: this.#epoch };
        if (this.#probeInFlight || !this.#coolDownOver())
            return null;
        this.#probeInFlight = true;
        return { probe: true, epoch: this.#epoch };
    }
    recordSuccess(admission) {
        if (this.#isStraggler(admission))
            return;
        this.#consecutiveFailures = 0;
        this.#openedAt = null;
        this.#probeInFlight = false;
    }
    recordFailure(admission) {
        if (this.#isStraggler(admission))
            return;
        if (admission.probe)
            return this.#open();
        this.#consecutiveFailures += 1;
        if (this.#consecutiveFailures >= this.#policy.failureThreshold)
            this.#open();
    }
    /**
     * A call admitted before the circuit last opened: whether it succeeds or fails, it
     * tells of an upstream from before the verdict, so it changes nothing. Only the probe
     * decides when the circuit closes.
     */
    #isStraggler(admission) {
        return admission.epoch !== this.#epoch;
    }
    #open() {
        this.#epoch += 1;
        this.#openedAt = this.#now();
        this.#probeInFlight = false;
    }
    #coolDownOver() {
        return this.#openedAt !== null && this.#now() - this.#openedAt >= this.#policy.coolDownMs;
    }
}
