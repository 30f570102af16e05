/**
 * Webhook events: one per status of a transaction the gateway observes, with an id derived from the
 * transaction and the status, so every instance that sees the same change names the same
 * event (and receivers can dedupe on it).
 */
import { createHash } from 'node:crypto';
export const EVENT_TYPES = {
    INITIATED: 'transaction.initiated',
    PROCESSING: 'transaction.processing',
    SUCCESS: 'transaction.succeeded',
    FAILED: 'transaction.failed',
};
/** Statuses only move forward: an event is sent only for a rank above the last one sent. */
export const STATUS_RANK = { INITIATED: 1, PROCESSING: 2, SUCCESS: 3, FAILED: 3, UNKNOWN: 0 };
/** True when `status` comes after `than` (an event of it supersedes an undelivered one of `than`). */
export const isLaterStatus = (status, than) => (STATUS_RANK[status] ?? 0) > (STATUS_RANK[than] ?? 0);
export function eventId(namespace, transactionId, status) {
    return `evt_${createHash('sha256').update(`${namespace}:${transactionId}:${status}`).digest('hex').slice(0, 32)}`;
}
/** Endpoints are told apart by a short hash, so keys and ids never carry a URL. */
export function endpointKey(url) {
    return createHash('sha256').update(url).digest('hex').slice(0, 12);
}
/** What a receiver is told of a transaction: its public fields only (never its signature). */
export function publicTransaction(tx) {
    return {
        id: tx.id,
        referenceNumber: tx.referenceNumber,
        status: tx.status,
        amount: tx.amount.text,
        currencyCode: tx.currencyCode,
        currencyId: tx.currencyId,
        paymentMethodId: tx.paymentMethodId,
        providerOrderId: tx.providerOrderId,
        providerPaymentId: tx.providerPaymentId,
        createdAt: tx.createdAt,
        updatedAt: tx.updatedAt,
    };
}
/**
 * The event for the transaction's status and a pending delivery per endpoint; null for UNKNOWN.
 * Its id depends only on (namespace, transaction, status): re-derived later, it is the same event.
 */
export function createEvent(namespace, tx, endpoints, now, origin) {
    if (tx.status === 'UNKNOWN')
        return null;
    const id = eventId(namespace, tx.id, tx.status);
    const type = EVENT_TYPES[tx.status];
    const createdAt = new Date(now).toISOString();
    // Written once: every attempt sends (and signs) exactly these bytes.
    const body = JSON.stringify({ id, type, createdAt, data: { transaction: publicTransaction(tx) } });
    const deliveries = endpoints.map((endpoint) => {
        const key = endpointKey(endpoint);
        return {
            id: `${id}.${key}`,
            eventId: id,
            lane: `${tx.id}.${key}`,
            endpoint,
            state: 'PENDING',
            attempts: 0,
            lastStatusCode: null,
            lastError: null,
            lastAttemptAt: null,
            nextAttemptAt: now,
            deliveredAt: null,
        };
    });
    const event = {
        id,
        type,
        transactionId: tx.id,
        status: tx.status,
        createdAt,
        body,
        deliveryIds: deliveries.map((d) => d.id),
        ...(origin && { origin }),
    };
    return { event, deliveries, rank: STATUS_RANK[tx.status] };
}
/** An endpoint as shown in GraphQL and logs: origin and path, never a user, password or query (they may hold a token). */
export function displayEndpoint(url) {
    try {
        const parsed = new URL(url);
        return `${parsed.origin}${parsed.pathname}`;
    }
    catch {
        return '(invalid URL)';
    }
}
