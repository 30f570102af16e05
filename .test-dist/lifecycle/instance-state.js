/**
 * What /readyz reports: whether THIS instance should be sent traffic. It answers only once
 * the instance is up (configuration loaded, stores created, listening), so the one thing
 * left to say is whether it is draining for shutdown (./drain.ts). Shared dependencies
 * (KS Pay, Redis) are deliberately not part of it: see src/observability/dependency-health.ts.
 */
export class InstanceState {
    #drainingSince = null;
    get draining() {
        return this.#drainingSince !== null;
    }
    /** From now on /readyz answers 503 and every response asks its client to close the connection. */
    beginDrain() {
        this.#drainingSince ??= Date.now();
    }
}
