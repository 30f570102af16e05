import { newestFirst } from './transaction-log.js';
/** How many of the most recently issued tokens `tokens.issued()` lists. */
export const ISSUED_TOKENS_KEPT = 10_000;
/** How many of the most recent `traceparent` headers `traceparents()` lists. */
export const TRACEPARENTS_KEPT = 1_000;
export function transactionsView(store) {
    const list = (appId) => appId !== undefined
        ? store.transactions(appId)
        : store
            .apps()
            .flatMap((app) => store.transactions(app.id))
            .sort(newestFirst);
    return {
        list,
        byId: (txnId) => store.transactionById(txnId),
        byReference: (appId, referenceNumber) => list(appId).filter((t) => t.referenceNumber === referenceNumber),
    };
}
