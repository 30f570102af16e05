/**
 * Operational endpoints beside /graphql, all without client auth:
 * /healthz (the process is up), /readyz (its dependencies answer), /metrics (Prometheus).
 */
import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../observability/metrics.js';

/** A named readiness check: resolves when the dependency is usable. */
export type ReadinessCheck = () => Promise<unknown>;

export function useHealthEndpoints({ checks, metrics }: { checks: Record<string, ReadinessCheck>; metrics: Metrics }): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET') return;
      const json = (status: number, body: unknown) =>
        new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

      switch (url.pathname) {
        case '/healthz':
          return endResponse(json(200, { status: 'ok' }));
        case '/readyz': {
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
          const ready = results.every(([, state]) => state === 'ok');
          return endResponse(json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) }));
        }
        case '/metrics':
          return endResponse(
            new fetchAPI.Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }),
          );
      }
    },
  };
}
