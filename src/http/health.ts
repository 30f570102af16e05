/**
 * The operational endpoints beside /graphql, served by the front door without client
 * auth: /healthz (liveness: the process is up), /readyz (readiness: this instance takes
 * traffic; 503 once it drains for shutdown), /health/dependencies (KS Pay and Redis, for
 * dashboards and alerts; see src/observability/dependency-health.ts) and /metrics
 * (Prometheus).
 */
import type { InstanceState } from '../lifecycle/instance-state.js';
import type { DependencyReport } from '../observability/dependency-health.js';
import type { Metrics } from '../observability/metrics.js';

const DEPENDENCIES_PATH = '/health/dependencies';

export interface HealthEndpoints {
  /** Status and body for one of the endpoints, or null when `path` is not one of them. */
  answer(path: string): Promise<{ status: number; contentType: string; body: string }> | null;
}

export function healthEndpoints({
  instance,
  dependencies,
  metrics,
}: {
  instance: InstanceState;
  dependencies: () => Promise<DependencyReport>;
  metrics: Metrics;
}): HealthEndpoints {
  const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
  return {
    answer(path) {
      switch (path) {
        case '/healthz':
          return Promise.resolve(json(200, { status: 'ok' }));
        case '/readyz':
          return Promise.resolve(instance.draining ? json(503, { status: 'draining' }) : json(200, { status: 'ready' }));
        // Always 200: the body tells; a probe wired to it by mistake must not take every instance out at once.
        case DEPENDENCIES_PATH:
          return dependencies().then((report) => json(200, report));
        case '/metrics':
          return metrics.registry.metrics().then((body) => ({ status: 200, contentType: metrics.registry.contentType, body }));
        default:
          return null;
      }
    },
  };
}
