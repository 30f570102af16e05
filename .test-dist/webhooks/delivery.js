import { displayEndpoint } from './events.js';
import { signedHeaders } from './signing.js';
/** Deliveries one claim of a lane sends in a row before giving the lane back. */
const DELIVERIES_PER_CLAIM = 10;
/** Not retried: a later status of its transaction goes out instead. */
function superseded(delivery) {
    return { ...delivery, state: 'SUPERSEDED', nextAttemptAt: null };
}
const OUTCOME_OF_STATE = { DELIVERED: 'delivered', PENDING: 'retrying', FAILED: 'given_up', SUPERSEDED: 'superseded' };
export class DeliveryWorker {
    #options;
    #busy = new Set();
    #closing = new AbortController();
    /** Shutdown has begun: no attempt starts, the ones under way finish. */
    #stopping = false;
    /** Attempts under way now. */
    #posting = 0;
    #timer = null;
    #ticking = null;
    constructor(options) {
        this.#options = options;
    }
    start() {
        if (this.#closing.signal.aborted || this.#timer)
            return;
        this.#timer = setInterval(() => this.kick(), this.#options.policy.tickMs);
        this.#timer.unref();
    }
    /** Looks for due deliveries now (after an event is appended), unless a look is under way. */
    kick() {
        if (this.#ticking || this.#stopping || this.#closing.signal.aborted)
            return;
        this.#ticking = this.tick()
            .catch((error) => this.#options.logger.warn({ err: error }, 'webhook delivery tick failed'))
            .finally(() => (this.#ticking = null));
    }
    /** Starts work on every due lane not already being worked on; resolves when that work is done. */
    async tick() {
        const lanes = await this.#options.outbox.dueLanes(Date.now(), this.#options.policy.lanesPerTick);
        await Promise.all(lanes.filter((lane) => !this.#busy.has(lane)).map((lane) => this.#work(lane)));
    }
    /**
     * Shutdown: starts no attempt, lets those under way finish and be recorded, and gives
     * their lanes back. At `deadline` they are aborted and recorded as nothing: the delivery
     * stays due in the outbox, its lane is released, and another instance (with Redis) sends
     * it at its next tick. Resolves with how many attempts were under way and how many of
     * them were handed back so.
     */
    async drain(deadline) {
        this.#stopping = true;
        if (this.#timer)
            clearInterval(this.#timer);
        const underWay = this.#posting;
        let handedBack = 0;
        const cut = () => {
            handedBack = this.#posting;
            this.#closing.abort();
        };
        deadline.addEventListener('abort', cut, { once: true });
        if (deadline.aborted)
            cut();
        await this.#ticking;
        deadline.removeEventListener('abort', cut);
        return { underWay, handedBack };
    }
    /** Stops the ticks and aborts attempts under way; they are recorded as nothing, as if this instance died. */
    close() {
        this.#closing.abort();
        if (this.#timer)
            clearInterval(this.#timer);
    }
    async #work(lane) {
        this.#busy.add(lane);
        const key = `webhook-lane:${this.#options.lockPrefix}:${lane}`;
        try {
            for (let sent = 0; sent < DELIVERIES_PER_CLAIM && !this.#stopping; sent++) {
                // Acquired (or renewed) before each attempt, for longer than one attempt can take.
                if (!(await this.#options.lock.acquire(key, this.#options.policy.laneLockMs)))
                    return;
                if (!(await this.#deliverHead(lane)))
                    break;
            }
            await this.#options.lock.release(key);
        }
        catch (error) {
            this.#options.logger.warn({ err: error, lane }, 'webhook delivery failed to record');
        }
        finally {
            this.#busy.delete(lane);
        }
    }
    /** One attempt at the lane's first delivery; true when the lane moved on (delivered or superseded) and the next may follow. */
    async #deliverHead(lane) {
        const { outbox, logger } = this.#options;
        const head = await outbox.head(lane);
        const now = Date.now();
        if (head?.delivery.state !== 'PENDING' || this.#stopping)
            return false;
        if (head.newerQueued && head.delivery.attempts > 0) {
            await outbox.record(superseded(head.delivery), true, now);
            this.#options.onOutcome?.('superseded');
            return true;
        }
        if ((head.delivery.nextAttemptAt ?? 0) > now) {
            // Due only because the lane grew (a redelivery by hand behind it): wait for the retry again.
            if (head.queued > 1)
                await outbox.record(head.delivery, false, now, head.queued);
            return false;
        }
        this.#posting += 1;
        const outcome = await this.#post(head.event, head.delivery).finally(() => (this.#posting -= 1));
        if (this.#closing.signal.aborted)
            return false;
        const attempted = this.#afterAttempt(head.event, head.delivery, outcome, Date.now());
        const next = attempted.state === 'PENDING' && head.newerQueued ? superseded(attempted) : attempted;
        await outbox.record(next, next.state !== 'PENDING', Date.now(), head.queued);
        this.#options.onOutcome?.(OUTCOME_OF_STATE[next.state]);
        if (!outcome.delivered) {
            const { eventId, attempts, state, lastStatusCode, lastError } = next;
            logger.warn({ eventId, endpoint: displayEndpoint(next.endpoint), attempts, state, lastStatusCode, lastError }, 'webhook attempt failed');
        }
        return next.state === 'DELIVERED' || next.state === 'SUPERSEDED';
    }
    #afterAttempt(event, delivery, outcome, now) {
        const attempts = delivery.attempts + 1;
        const attempted = { ...delivery, attempts, lastAttemptAt: now, lastStatusCode: outcome.status };
        if (outcome.delivered)
            return { ...attempted, state: 'DELIVERED', lastError: null, nextAttemptAt: null, deliveredAt: now };
        const retryAt = now + this.#retryDelay(attempts);
        const givenUp = retryAt > Date.parse(event.createdAt) + this.#options.policy.retryMs;
        return { ...attempted, lastError: outcome.error, state: givenUp ? 'FAILED' : 'PENDING', nextAttemptAt: givenUp ? null : retryAt };
    }
    /** Exponential, with a little jitter so many failed deliveries do not all come back at once. */
    #retryDelay(attempts) {
        const { firstRetryMs, maxRetryDelayMs } = this.#options.policy;
        const delay = Math.min(firstRetryMs * 2 ** Math.min(attempts - 1, 30), maxRetryDelayMs);
        return Math.round(delay * (0.8 + Math.random() * 0.2));
    }
    async #post(event, delivery) {
        const timestamp = Math.floor(Date.now() / 1000);
        // One controller and a plain timer: the attempt ends on time even if nothing else holds a reference to it.
        const attempt = new AbortController();
        const abort = () => attempt.abort();
        const timer = setTimeout(abort, this.#options.policy.timeoutMs);
        this.#closing.signal.addEventListener('abort', abort, { once: true });
        try {
            const response = await fetch(delivery.endpoint, {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    'user-agent': 'kspay-gateway-webhooks/1',
                    ...signedHeaders(this.#options.secrets, event.id, event.body, timestamp),
                },
                body: event.body,
                redirect: 'manual', // a redirect is not a delivery
                signal: attempt.signal,
            });
            await response.body?.cancel().catch(() => undefined);
            if (response.status >= 200 && response.status < 300)
                return { delivered: true, status: response.status };
            return { delivered: false, status: response.status, error: `HTTP ${response.status}` };
        }
        catch {
            return { delivered: false, status: null, error: attempt.signal.aborted ? 'timeout' : 'connection failed' };
        }
        finally {
            clearTimeout(timer);
            this.#closing.signal.removeEventListener('abort', abort);
        }
    }
}
