/**
 * The per-request context: the caller's scopes, fresh DataLoaders over the shared
 * cache, the payment service, and what the request learned about catalog freshness.
 */
import type { YogaInitialContext } from 'graphql-yoga';
import type { Caller } from './auth.js';
import { createLoaders, type LoaderDeps, type Loaders } from './loaders.js';
import type { RequestScope } from './observability/request-scope.js';
import type { PaymentService } from './payments.js';
import type { TransactionUpdates } from './transaction-updates.js';
import { requestIdOf } from './plugins/observability.js';

export interface Context {
  requestId: string;
  /** Filled while the operation runs; read by the observability plugin. */
  scope: RequestScope;
  caller: Caller;
  /** Aborted when the client goes away, e.g. closes a subscription stream. */
  signal: AbortSignal;
  loaders: Loaders;
  payments: PaymentService;
  updates: TransactionUpdates;
  freshness: CatalogFreshness;
}

/** What one request learned about the catalog it was served. */
export interface CatalogFreshness {
  /** Age of the oldest catalog entry served past its TTL (the upstream was failing), or null. */
  staleAgeMs: number | null;
}

export interface ContextDeps extends Omit<LoaderDeps, 'onStaleCatalog'> {
  authenticate: (request: Request) => Caller;
  payments: PaymentService;
  updates: TransactionUpdates;
}

export function createContext(deps: ContextDeps, { request }: YogaInitialContext): Context {
  const requestId = requestIdOf(request);
  const caller = deps.authenticate(request);
  const freshness: CatalogFreshness = { staleAgeMs: null };
  const loaders = createLoaders({
    client: deps.client,
    cache: deps.cache,
    onStaleCatalog: (ageMs) => {
      freshness.staleAgeMs = Math.max(freshness.staleAgeMs ?? 0, ageMs);
    },
  });
  const scope: RequestScope = { requestId, upstreamCalls: 0, errorCodes: [] };
  return { requestId, scope, caller, signal: request.signal, loaders, payments: deps.payments, updates: deps.updates, freshness };
}
