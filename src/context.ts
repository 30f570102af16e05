/**
 * The per-request context: the caller's scopes, fresh DataLoaders over the shared
 * cache, the payment service, and what the request learned about catalog freshness.
 */
import type { YogaInitialContext } from 'graphql-yoga';
import type { Caller } from './http/auth.js';
import type { CatalogFreshness, ServerContext } from './server-context.js';
import { createLoaders, type LoaderDeps, type Loaders } from './reads/loaders.js';
import type { TransactionCursors } from './reads/transaction-cursor.js';
import type { OperationStats } from './observability/operation-stats.js';
import type { PaymentService } from './payments/payment-service.js';
import type { TransactionUpdates } from './live/transaction-updates.js';
import type { WebhookService } from './webhooks/service.js';
import type { Reconciliation } from './reconciliation/report.js';
import { clientError } from './errors/client-errors.js';

export interface Context {
  requestId: string;
  /** Filled while the operation runs; read by the observability plugin. */
  stats: OperationStats;
  caller: Caller;
  /** Whom per-address limits count this request against (src/http/connections.ts). */
  clientAddress: string;
  /** Aborted when the client goes away, e.g. closes a subscription stream. */
  signal: AbortSignal;
  loaders: Loaders;
  /** Makes and reads the `transactions` connection's cursors. */
  cursors: TransactionCursors;
  payments: PaymentService;
  updates: TransactionUpdates;
  webhooks: WebhookService;
  reconciliation: Reconciliation;
  freshness: CatalogFreshness;
}

export interface ContextDeps extends Omit<LoaderDeps, 'onCatalogServed' | 'onLiveServed'> {
  cursors: TransactionCursors;
  payments: PaymentService;
  updates: TransactionUpdates;
  webhooks: WebhookService;
  reconciliation: Reconciliation;
}

/** `initial` carries the front door's server context: the request id and the authenticated caller. */
export function createContext(deps: ContextDeps, initial: YogaInitialContext & Partial<ServerContext>): Context {
  const { requestId, caller, request } = initial;
  // Only the front door authenticates; a request that did not pass it runs nothing.
  if (!requestId || !caller) throw clientError('UNAUTHENTICATED', 'Not authenticated');
  // The front door may lend its own record, to learn how long an answer built from the catalog stays true.
  const freshness: CatalogFreshness = initial.catalogFreshness ?? { staleAgeMs: null, oldestFetchedAt: null };
  const { settledRecord } = initial;
  const loaders = createLoaders({
    client: deps.client,
    cache: deps.cache,
    settled: deps.settled,
    liveReads: deps.liveReads,
    onCatalogServed: (entry, stale) => {
      freshness.oldestFetchedAt = Math.min(freshness.oldestFetchedAt ?? Infinity, entry.fetchedAt);
      if (stale) freshness.staleAgeMs = Math.max(freshness.staleAgeMs ?? 0, Date.now() - entry.fetchedAt);
    },
    // Only a request the response cache may store lends a record; no other pays for the check.
    onLiveServed: settledRecord
      ? () => {
          settledRecord.live = true;
        }
      : undefined,
  });
  const stats: OperationStats = { requestId, upstreamCalls: 0, errorCodes: [] };
  const { cursors, payments, updates, webhooks, reconciliation } = deps;
  // Tests and tools that build a context without the front door share one address.
  const clientAddress = initial.clientAddress ?? 'unknown';
  return { requestId, stats, caller, clientAddress, signal: request.signal, loaders, cursors, payments, updates, webhooks, reconciliation, freshness };
}
