/**
 * The health of what this instance depends on and shares with every other instance (KS Pay,
 * Redis), for dashboards and alerts: GET /health/dependencies and the
 * `kspay_gateway_dependency_up` gauge. Not readiness: when a shared dependency fails every
 * instance fails alike, and each still serves the stale catalog and typed, retryable errors,
 * so taking them all out of a load balancer would only turn a degraded service into none.
 *
 * Each dependency's state comes from its check (run on demand, cached for a few seconds and
 * single-flight, so probes, however many and from whomever, cost at most one call per
 * interval) and from what real traffic observes (every KS Pay call's outcome). A scrape of
 * /metrics runs only the checks that cost no upstream call (Redis PING) and otherwise reports
 * the last state known. A failure is reported by its class only ('timeout', 'unreachable',
 * 'rejected (HTTP 401)', …), never by its message, which may quote a server, a URL or a
 * credential.
 */
import { Gauge } from 'prom-client';
import { isKsPayError } from '../kspay/kspay-error.js';
import type { Metrics } from './metrics.js';

/** A named check: resolves when the dependency is usable. */
export type DependencyCheck = () => Promise<unknown>;

export interface DependencyStatus {
  status: 'up' | 'down';
  /** When this state was learnt (ISO-8601). */
  checkedAt: string;
  /** The class of the last failure seen, or null when none was. */
  lastError: string | null;
  /** When it was seen (ISO-8601), or null. */
  lastErrorAt: string | null;
}

export interface DependencyReport {
  /** 'degraded' when any dependency is down. */
  status: 'ok' | 'degraded';
  dependencies: Record<string, DependencyStatus>;
}

export interface DependencyHealthOptions {
  checks: Record<string, DependencyCheck>;
  /** The checks a /metrics scrape may run: none that calls KS Pay. */
  checkedOnScrape: readonly string[];
  metrics: Metrics;
  /** How long an answer is reused (config.observability.dependencyCheckCacheMs). */
  cacheMs: number;
}

export class DependencyHealth {
  readonly #checks: Record<string, DependencyCheck>;
  readonly #cacheMs: number;
  /** Times kept as numbers: every KS Pay call observes, and only a report needs the ISO text. */
  readonly #states = new Map<string, KnownState>();
  readonly #lastRun = new Map<string, { at: number; done: Promise<void> }>();

  constructor({ checks, checkedOnScrape, metrics, cacheMs }: DependencyHealthOptions) {
    this.#checks = checks;
    this.#cacheMs = cacheMs;
    const health = this;
    new Gauge({
      name: 'kspay_gateway_dependency_up',
      help: 'Whether a shared dependency was last seen usable (1) or not (0), by dependency (kspay, redis); absent until known',
      labelNames: ['dependency'],
      registers: [metrics.registry],
      async collect() {
        await Promise.all(checkedOnScrape.filter((name) => name in checks).map((name) => health.#check(name)));
        for (const [name, { status }] of health.#states) this.set({ dependency: name }, status === 'up' ? 1 : 0);
      },
    });
  }

  /** Every dependency, each checked unless it was within the cache interval. */
  async report(): Promise<DependencyReport> {
    await Promise.all(Object.keys(this.#checks).map((name) => this.#check(name)));
    const dependencies = Object.fromEntries([...this.#states].map(([name, state]) => [name, statusOf(state)]));
    const degraded = Object.values(dependencies).some((s) => s.status === 'down');
    return { status: degraded ? 'degraded' : 'ok', dependencies };
  }

  /** What real traffic saw: `failure` null for a dependency that answered, else the error or its class (a string). */
  observe(name: string, failure: unknown): void {
    const now = Date.now();
    const previous = this.#states.get(name);
    // The common case, a usable dependency still usable: one field written, nothing allocated.
    if (failure === null && previous?.status === 'up') {
      previous.checkedAt = now;
      return;
    }
    const lastError = failure === null ? (previous?.lastError ?? null) : errorClass(failure);
    const lastErrorAt = failure === null ? (previous?.lastErrorAt ?? null) : now;
    this.#states.set(name, { status: failure === null ? 'up' : 'down', checkedAt: now, lastError, lastErrorAt });
  }

  #check(name: string): Promise<void> {
    const last = this.#lastRun.get(name);
    if (last && Date.now() - last.at < this.#cacheMs) return last.done;
    const done = this.#checks[name]!().then(
      () => this.observe(name, null),
      (error: unknown) => this.observe(name, error ?? new Error('failed')),
    );
    this.#lastRun.set(name, { at: Date.now(), done });
    return done;
  }
}

/** A dependency's state as observed, its times in epoch milliseconds. */
interface KnownState {
  status: 'up' | 'down';
  checkedAt: number;
  lastError: string | null;
  lastErrorAt: number | null;
}

function statusOf({ status, checkedAt, lastError, lastErrorAt }: KnownState): DependencyStatus {
  const iso = (ms: number) => new Date(ms).toISOString();
  return { status, checkedAt: iso(checkedAt), lastError, lastErrorAt: lastErrorAt === null ? null : iso(lastErrorAt) };
}

/** A failure's class, from fixed words only: never the error's own text. */
function errorClass(error: unknown): string {
  if (isKsPayError(error)) {
    if (error.reason === 'rejected' || error.reason === 'server') return `${error.reason} (HTTP ${error.httpStatus})`;
    return error.reason;
  }
  if (typeof error === 'string') return error;
  const message = error instanceof Error ? error.message : '';
  if (/timed? ?out/i.test(message)) return 'timeout';
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|writeable|Connection is closed|closed/i.test(message)) return 'unreachable';
  // A Redis Cluster none of whose nodes answers (ioredis' Cluster client words).
  if (/Cluster isn't ready|None of startup nodes|Cluster is disconnect|Node is disconnected|CLUSTERDOWN/i.test(message)) return 'unreachable';
  return 'error';
}
