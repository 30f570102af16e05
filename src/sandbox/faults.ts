/**
 * Fault injection and call counting: how tests and benchmarks make the sandbox slow,
 * flaky, rate limited or unreachable, and count how often the gateway called it.
 */
import { KSPAY_CODES, KSPAY_ENDPOINTS, type KsPayEndpoint } from '../kspay/types.js';

type PerEndpoint<T> = Partial<Record<KsPayEndpoint, T>>;

export interface ForcedError {
  status: number;
  code: number;
  message?: string;
  /** How many requests get it; unlimited when omitted. */
  times?: number;
}

export interface RateLimitFault {
  retryAfterSeconds: number;
  times?: number;
}

/** A huge JSON answer, streamed: the sandbox never holds it in memory. */
export interface OversizedBody {
  /** The body's exact size. */
  bytes: number;
  /** Announce the size in Content-Length (default true); false: chunked, size unannounced. */
  contentLength?: boolean;
  /** Default 200. */
  status?: number;
  times?: number;
}

export interface FaultSettings {
  /** Added before every API response. */
  latencyMs?: number;
  /** 0..1 probability of answering 500 with code 26. */
  failureRate?: PerEndpoint<number>;
  /** Answer this error without side effects. */
  forceError?: PerEndpoint<ForcedError>;
  /** 429 with code 11005 and a Retry-After header. */
  rateLimit?: PerEndpoint<RateLimitFault>;
  /** Answer a huge JSON body instead, without side effects. */
  oversizedBody?: PerEndpoint<OversizedBody>;
  /** Perform the operation, then destroy the socket without answering; value = how many times. */
  dropAfterCommit?: PerEndpoint<number>;
  /** Never answer (until close); value = how many times. */
  hang?: PerEndpoint<number>;
  /** Destroy every API connection at once, without processing. */
  down?: boolean;
  /** The next initiates record this amount and/or currency (of the app) instead of the one asked: KS Pay holding another payment than the merchant asked for. */
  misrecord?: Misrecord;
}

export interface Misrecord {
  amount?: string;
  currencyId?: string;
  /** How many initiates it applies to; unlimited when omitted. */
  times?: number;
}

export interface CallCounter {
  /** Calls to one endpoint, or to all of them when omitted. */
  count(endpoint?: KsPayEndpoint): number;
  snapshot(): Record<KsPayEndpoint, number>;
  reset(): void;
}

export interface FaultController {
  /** Merges into the current settings (per-endpoint maps merge key by key). */
  set(settings: FaultSettings): void;
  reset(): void;
  current(): FaultSettings;
}

/** What to do with one API request, decided when it arrives. */
export type FaultDecision =
  | { kind: 'down' }
  | { kind: 'hang'; latencyMs: number }
  | { kind: 'error'; latencyMs: number; status: number; code: number; message: string; headers?: Record<string, string> }
  | { kind: 'oversized'; latencyMs: number; status: number; bytes: number; contentLength: boolean }
  | { kind: 'proceed'; latencyMs: number; dropAfterCommit: boolean; misrecord?: Misrecord };

export class CallCounts implements CallCounter {
  #counts = zeroCounts();

  record(endpoint: KsPayEndpoint): void {
    this.#counts[endpoint] += 1;
  }

  count(endpoint?: KsPayEndpoint): number {
    if (endpoint) return this.#counts[endpoint];
    return KSPAY_ENDPOINTS.reduce((sum, name) => sum + this.#counts[name], 0);
  }

  snapshot(): Record<KsPayEndpoint, number> {
    return { ...this.#counts };
  }

  reset(): void {
    this.#counts = zeroCounts();
  }
}

const MAP_KEYS = ['failureRate', 'forceError', 'rateLimit', 'oversizedBody', 'dropAfterCommit', 'hang'] as const;

export class Faults implements FaultController {
  #settings: FaultSettings = {};

  set(input: FaultSettings): void {
    // A copy: counts are used up in place and must not touch the caller's object.
    const settings = structuredClone(input);
    const next: FaultSettings = { ...this.#settings };
    if (settings.latencyMs !== undefined) next.latencyMs = settings.latencyMs;
    if (settings.down !== undefined) next.down = settings.down;
    if (settings.misrecord !== undefined) next.misrecord = settings.misrecord;
    for (const key of MAP_KEYS) {
      if (settings[key]) next[key] = { ...this.#settings[key], ...settings[key] } as never;
    }
    this.#settings = next;
  }

  reset(): void {
    this.#settings = {};
  }

  current(): FaultSettings {
    return structuredClone(this.#settings);
  }

  /**
   * The fault this request meets, first match wins: down, hang, rate limit, forced
   * error, oversized body, random failure. Counted faults (`times`, hang, drop) are used up here.
   * Requests to no known endpoint can only meet `down` and latency.
   */
  decide(endpoint: KsPayEndpoint | null): FaultDecision {
    const s = this.#settings;
    if (s.down) return { kind: 'down' };
    const latencyMs = Math.max(0, s.latencyMs ?? 0);
    if (!endpoint) return { kind: 'proceed', latencyMs, dropAfterCommit: false };

    if (this.#useCount('hang', endpoint)) return { kind: 'hang', latencyMs };

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
  #useMisrecord(): Misrecord | undefined {
    const misrecord = this.#settings.misrecord;
    if (!misrecord || misrecord.times === undefined) return misrecord;
    if (misrecord.times <= 1) delete this.#settings.misrecord;
    misrecord.times -= 1;
    return misrecord.times >= 0 ? misrecord : undefined;
  }

  /** For `{ times }` faults: true when it applies, decrementing a finite count. */
  #useTimes(key: 'rateLimit' | 'forceError' | 'oversizedBody', endpoint: KsPayEndpoint): boolean {
    const fault = this.#settings[key]?.[endpoint];
    if (!fault) return false;
    if (fault.times === undefined) return true;
    if (fault.times <= 0) return false;
    fault.times -= 1;
    if (fault.times === 0) delete this.#settings[key]![endpoint];
    return true;
  }

  /** For count-valued faults: true when the count is positive, decrementing it. */
  #useCount(key: 'hang' | 'dropAfterCommit', endpoint: KsPayEndpoint): boolean {
    const map = this.#settings[key];
    const left = map?.[endpoint] ?? 0;
    if (left <= 0) return false;
    if (left === 1) delete map![endpoint];
    else map![endpoint] = left - 1;
    return true;
  }
}

function zeroCounts(): Record<KsPayEndpoint, number> {
  return Object.fromEntries(KSPAY_ENDPOINTS.map((name) => [name, 0])) as Record<KsPayEndpoint, number>;
}
