/**
 * Fault injection and call counting: how tests and benchmarks make the sandbox slow,
 * flaky, rate limited or unreachable, and count how often the gateway called it.
 */
import { KSPAY_CODES, KSPAY_ENDPOINTS } from '../kspay/types.js';
export class CallCounts {
    #counts = zeroCounts();
    record(endpoint) {
        this.#counts[endpoint] += 1;
    }
    count(endpoint) {
        if (endpoint)
            return this.#counts[endpoint];
        return KSPAY_ENDPOINTS.reduce((sum, name) => sum + this.#counts[name], 0);
    }
    snapshot() {
        return { ...this.#counts };
    }
    reset() {
        this.#counts = zeroCounts();
    }
}
const MAP_KEYS = ['failureRate', 'forceError', 'rateLimit', 'oversizedBody', 'dropAfterCommit', 'hang'];
export class Faults {
    #settings = {};
    set(input) {
        // A copy: counts are used up in place and must not touch the caller's object.
        const settings = structuredClone(input);
        const next = { ...this.#settings };
        if (settings.latencyMs !== undefined)
            next.latencyMs = settings.latencyMs;
        if (settings.down !== undefined)
            next.down = settings.down;
        if (settings.misrecord !== undefined)
            next.misrecord = settings.misrecord;
        for (const key of MAP_KEYS) {
            if (settings[key])
                next[key] = { ...this.#settings[key], ...settings[key] };
        }
        this.#settings = next;
    }
    reset() {
        this.#settings = {};
    }
    current() {
        return structuredClone(this.#settings);
    }
    /**
     * The fault this request meets, first match wins: down, hang, rate limit, forced
     * error, oversized body, random failure. Counted faults (`times`, hang, drop) are used up here.
     * Requests to no known endpoint can only meet `down` and latency.
     */
    decide(endpoint) {
        const s = this.#settings;
        if (s.down)
            return { kind: 'down' };
        const latencyMs = Math.max(0, s.latencyMs ?? 0);
        if (!endpoint)
            return { kind: 'proceed', latencyMs, dropAfterCommit: false };
        if (this.#useCount('hang', endpoint))
            return { kind: 'hang', latencyMs };
        const limit = s.rateLimit?.[endpoint];
        if (limit && this.#useTimes('rateLimit', endpoint)) {
            const headers = { 'retry-after': String(limit.retryAfterSeconds) };
            return { kind: 'error', latencyMs, status: 429, code: KSPAY_CODES.RATE_LIMITED, message: 'Too many requests', headers };
        }
        const forced = s.forceError?.[endpoint];
        if (forced && this.#useTimes('forceError', endpoint)) {
            const message = forced.message ?? 'Injected error';
            return { kind: 'error', latencyMs, status: forced.status, code: forced.code, message };
        }
        const oversized = s.oversizedBody?.[endpoint];
        if (oversized && this.#useTimes('oversizedBody', endpoint)) {
            const { bytes, contentLength = true, status = 200 } = oversized;
            return { kind: 'oversized', latencyMs, status, bytes, contentLength };
        }
        const rate = s.failureRate?.[endpoint] ?? 0;
        if (rate > 0 && Math.random() < rate) {
            return { kind: 'error', latencyMs, status: 500, code: KSPAY_CODES.SOMETHING_WENT_WRONG, message: 'Something went wrong' };
        }
        const misrecord = endpoint === 'initiate' ? this.#useMisrecord() : undefined;
        return { kind: 'proceed', latencyMs, dropAfterCommit: this.#useCount('dropAfterCommit', endpoint), ...(misrecord && { misrecord }) };
    }
    /** The misrecord fault for one initiate, using up a finite count. */
    #useMisrecord() {
        const misrecord = this.#settings.misrecord;
        if (!misrecord || misrecord.times === undefined)
            return misrecord;
        if (misrecord.times <= 1)
            delete this.#settings.misrecord;
        misrecord.times -= 1;
        return misrecord.times >= 0 ? misrecord : undefined;
    }
    /** For `{ times }` faults: true when it applies, decrementing a finite count. */
    #useTimes(key, endpoint) {
        const fault = this.#settings[key]?.[endpoint];
        if (!fault)
            return false;
        if (fault.times === undefined)
            return true;
        if (fault.times <= 0)
            return false;
        fault.times -= 1;
        if (fault.times === 0)
            delete this.#settings[key][endpoint];
        return true;
    }
    /** For count-valued faults: true when the count is positive, decrementing it. */
    #useCount(key, endpoint) {
        const map = this.#settings[key];
        const left = map?.[endpoint] ?? 0;
        if (left <= 0)
            return false;
        if (left === 1)
            delete map[endpoint];
        else
            map[endpoint] = left - 1;
        return true;
    }
}
function zeroCounts() {
    return Object.fromEntries(KSPAY_ENDPOINTS.map((name) => [name, 0]));
}
