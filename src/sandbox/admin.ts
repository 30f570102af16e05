/**
 * The sandbox's own control API under /__sandbox/: the call counter, fault and shape
 * knobs and token expiry over HTTP, for the standalone server and benchmarks.
 * Never counted as KS Pay calls and never subject to faults.
 */
import type { CallCounts, FaultSettings, Faults } from './faults.js';
import type { ShapeSettings, ShapeState } from './views.js';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminTargets {
  calls: CallCounts;
  faults: Faults;
  shapes: ShapeState;
  expireAccessTokens(): void;
}

export interface AdminReply {
  status: number;
  body: unknown;
}

/** One admin request; `body` is the parsed JSON body, or undefined when there was none. */
export function handleAdmin(method: string, path: string, body: unknown, targets: AdminTargets): AdminReply {
  const { calls, faults, shapes } = targets;
  const route = `${method} ${path.slice(ADMIN_PREFIX.length - 1)}`;
  switch (route) {
    case 'GET /calls':
      return ok({ total: calls.count(), byEndpoint: calls.snapshot() });
    case 'POST /calls/reset':
      calls.reset();
      return ok({ total: 0, byEndpoint: calls.snapshot() });
    case 'GET /faults':
      return ok(faults.current());
    case 'POST /faults':
      if (!isObject(body)) return badRequest('Send a JSON object of fault settings');
      faults.set(body as FaultSettings);
      return ok(faults.current());
    case 'POST /faults/reset':
      faults.reset();
      return ok(faults.current());
    case 'GET /shapes':
      return ok(shapes.current());
    case 'POST /shapes':
      if (!isObject(body)) return badRequest('Send a JSON object of shape settings');
      shapes.set(body as ShapeSettings);
      return ok(shapes.current());
    case 'POST /shapes/reset':
      shapes.reset();
      return ok(shapes.current());
    case 'POST /tokens/expire':
      targets.expireAccessTokens();
      return ok({ expired: true });
    default:
      return { status: 404, body: { error: `No admin route ${route}` } };
  }
}

function ok(body: unknown): AdminReply {
  return { status: 200, body };
}

function badRequest(error: string): AdminReply {
  return { status: 400, body: { error } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
