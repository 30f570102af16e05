import { createLoaders } from './reads/loaders.js';
import { clientError } from './errors/client-errors.js';
/** `initial` carries the front door's server context: the request id and the authenticated caller. */
export function createContext(deps, initial) {
    const { requestId, caller, request } = initial;
    // Only the front door authenticates; a request that did not pass it runs nothing.
    if (!requestId || !caller)
        throw clientError('UNAUTHENTICATED', 'Not authenticated');
    // The front door may lend its own record, to learn how long an answer built from the catalog stays true.
    const freshness = initial.catalogFreshness ?? { staleAgeMs: null, oldestFetchedAt: null };
    const { settledRecord } = initial;
    const loaders = createLoaders({
        client: deps.client,
        cache: deps.cache,
        settled: deps.settled,
        liveReads: deps.liveReads,
        onCatalogServed: (entry, stale) => {
            freshness.oldestFetchedAt = Math.min(freshness.oldestFetchedAt ?? Infinity, entry.fetchedAt);
            if (stale)
                freshness.staleAgeMs = Math.max(freshness.staleAgeMs ?? 0, Date.now() - entry.fetchedAt);
        },
        // Only a request the response cache may store lends a record; no other pays for the check.
        onLiveServed: settledRecord
            ? () => {
                settledRecord.live = true;
            }
            : undefined,
    });
    const stats = { requestId, upstreamCalls: 0, errorCodes: [] };
    const { cursors, payments, updates, webhooks, reconciliation } = deps;
    // Tests and tools that build a context without the front door share one address.
    const clientAddress = initial.clientAddress ?? 'unknown';
    return { requestId, stats, caller, clientAddress, signal: request.signal, loaders, cursors, payments, updates, webhooks, reconciliation, freshness };
}
