/**
 * The health of what this instance depends on and shares with every other instance (KS Pay,
 * Redis), for dashboards and alerts: GET /health/dependencies and the
 * `gateway_dependency_up` gauge. Not readiness: when a shared dependency fails every
 * instance fails alike, and each still serves the stale catalog and typed, retryable errors,
 * so taking them all out of a load balancer would only turn a degraded service into none.
 *
 * Checks run on demand, cached for a few seconds and single-flight, so probes and scrapes,
 * however many and from whomever, cost at most one upstream call per interval. A failure is
 * reported by its class only ('timeout', 'unreachable', 'rejected (HTTP 401)', …), never by
 * its message, which may quote a server, a URL or a credential.
 */
import { Gauge } from 'prom-client';
import { isKsPayError } from '../kspay/kspay-error.js';
import type { Metrics } from './metrics.js';

/** A named check: resolves when the dependency is usable. */
export type DependencyCheck = () => Promise<unknown>;

export interface DependencyStatus {
  status: 'up' | 'down';
  /** When this answer was checked (ISO-8601). */
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

export const DEPENDENCY_CHECK_CACHE_MS = 5_000;

/** The report (cached), with its gauge registered in `metrics`. */
export function dependencyHealth(checks: Record<string, DependencyCheck>, metrics: Metrics, cacheMs = DEPENDENCY_CHECK_CACHE_MS): () => Promise<DependencyReport> {
  const lastErrors = new Map<string, { error: string; at: string }>();
  let last: { at: number; result: Promise<DependencyReport> } | null = null;
  const report = () => {
    const now = Date.now();
    if (!last || now - last.at >= cacheMs) last = { at: now, result: runChecks(checks, lastErrors) };
    return last.result;
  };
  new Gauge({
    name: 'gateway_dependency_up',
    help: 'Whether a shared dependency answered its last check (1) or not (0), by dependency (kspay, redis)',
    labelNames: ['dependency'],
    registers: [metrics.registry],
    async collect() {
      const { dependencies } = await report();
      for (const [name, { status }] of Object.entries(dependencies)) this.set({ dependency: name }, status === 'up' ? 1 : 0);
    },
  });
  return report;
}

async function runChecks(checks: Record<string, DependencyCheck>, lastErrors: Map<string, { error: string; at: string }>): Promise<DependencyReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, DependencyStatus]> => {
      let up = true;
      try {
        await check();
      } catch (error) {
        up = false;
        lastErrors.set(name, { error: errorClass(error), at: new Date().toISOString() });
      }
      const seen = lastErrors.get(name);
      return [name, { status: up ? 'up' : 'down', checkedAt: new Date().toISOString(), lastError: seen?.error ?? null, lastErrorAt: seen?.at ?? null }];
    }),
  );
  const dependencies = Object.fromEntries(entries);
  return { status: entries.every(([, s]) => s.status === 'up') ? 'ok' : 'degraded', dependencies };
}

/** A failure's class, from fixed words only: never the error's own text. */
function errorClass(error: unknown): string {
  if (isKsPayError(error)) {
    if (error.reason === 'rejected' || error.reason === 'server') return `${error.reason} (HTTP ${error.httpStatus})`;
    return error.reason;
  }
  const message = error instanceof Error ? error.message : '';
  if (/timed? ?out/i.test(message)) return 'timeout';
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|writeable|Connection is closed|closed/i.test(message)) return 'unreachable';
  return 'error';
}
