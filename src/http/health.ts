/**
 * The operational endpoints beside /graphql, served by the front door without client
 * auth: /healthz (the process is up), /readyz (its dependencies answer) and /metrics
 * (Prometheus). Readiness is cached for a few seconds and checked single-flight, so
 * probes, however many and from whomever, cost at most one upstream call per interval.
 */
import type { Metrics } from '../observability/metrics.js';

/** A named readiness check: resolves when the dependency is usable. */
export type ReadinessCheck = () => Promise<unknown>;

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | 'failing'>;
}

export const READINESS_CACHE_MS = 5_000;

export function cachedReadiness(checks: Record<string, ReadinessCheck>, cacheMs = READINESS_CACHE_MS): () => Promise<Readiness> {
  let last: { at: number; result: Promise<Readiness> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= cacheMs) last = { at: now, result: runChecks(checks) };
    return last.result;
  };
}

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await check();
        return [name, 'ok'] as const;
      } catch {
        return [name, 'failing'] as const;
      }
    }),
  );
  return { ready: results.every(([, state]) => state === 'ok'), checks: Object.fromEntries(results) };
}

export interface HealthEndpoints {
  /** Status and body for one of the endpoints, or null when `path` is not one of them. */
  answer(path: string): Promise<{ status: number; contentType: string; body: string }> | null;
}

export function healthEndpoints({ readiness, metrics }: { readiness: () => Promise<Readiness>; metrics: Metrics }): HealthEndpoints {
  const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
  return {
    answer(path) {
      switch (path) {
        case '/healthz':
          return Promise.resolve(json(200, { status: 'ok' }));
        case '/readyz':
          return readiness().then(({ ready, checks }) => json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks }));
        case '/metrics':
          return metrics.registry.metrics().then((body) => ({ status: 200, contentType: metrics.registry.contentType, body }));
        default:
          return null;
      }
    },
  };
}
