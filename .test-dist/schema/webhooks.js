/**
 * Webhooks in GraphQL: the outbox's events with their delivery attempts, a redelivery by
 * hand, and the transactions that may need a person (src/webhooks/).
 */
import { NotFoundError, ValidationError } from '../errors/gateway-errors.js';
import { displayEndpoint } from '../webhooks/events.js';
import { builder } from './builder.js';
import { TransactionStatus } from './transaction.js';
import { requireId } from './validation.js';
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const CURSOR_PREFIX = 'whseq:';
const DeliveryState = builder.enumType('WebhookDeliveryState', {
    values: {
        PENDING: { description: 'Not delivered yet: `nextRetryAt` says when the next attempt is due.' },
        DELIVERED: { description: 'The endpoint answered 2xx.' },
        FAILED: { description: 'Given up after WEBHOOK_RETRY_MS; redeliverWebhook queues it again.' },
        SUPERSEDED: { description: 'Not retried after a failed attempt: a later status of the transaction was queued behind it and is sent instead.' },
    },
});
const time = (ms) => (ms === null ? null : new Date(ms));
const WebhookDelivery = builder.objectRef('WebhookDelivery').implement({
    description: 'One event’s delivery to one WEBHOOK_URL.',
    fields: (t) => ({
        endpoint: t.string({ description: 'The endpoint’s origin and path (never its query or credentials).', resolve: (d) => displayEndpoint(d.endpoint) }),
        state: t.field({ type: DeliveryState, resolve: (d) => d.state }),
        attempts: t.exposeInt('attempts'),
        lastStatusCode: t.exposeInt('lastStatusCode', {
            nullable: true,
            description: 'The HTTP status of the last attempt; null when it got none (timeout, refused connection).',
        }),
        lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed: "HTTP 500", "timeout" or "connection failed".' }),
        lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => time(d.lastAttemptAt) }),
        nextRetryAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => (d.state === 'PENDING' ? time(d.nextAttemptAt) : null) }),
        deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => time(d.deliveredAt) }),
    }),
});
const WebhookEvent = builder.objectRef('WebhookEvent').implement({
    description: 'One status change of a transaction, as sent to every WEBHOOK_URL (signed; the same id on every attempt).',
    fields: (t) => ({
        id: t.id({ resolve: ({ event }) => event.id }),
        type: t.string({
            description: 'transaction.initiated, transaction.processing, transaction.succeeded or transaction.failed.',
            resolve: ({ event }) => event.type,
        }),
        createdAt: t.field({ type: 'DateTime', resolve: ({ event }) => event.createdAt }),
        transactionId: t.id({ resolve: ({ event }) => event.transactionId }),
        status: t.field({ type: TransactionStatus, resolve: ({ event }) => event.status }),
        payload: t.field({ type: 'JSON', description: 'The JSON body every attempt sends.', resolve: ({ event }) => JSON.parse(event.body) }),
        deliveries: t.field({ type: [WebhookDelivery], resolve: ({ deliveries }) => deliveries }),
    }),
});
const WebhookEventConnection = builder.connectionObject({ type: WebhookEvent, name: 'WebhookEventConnection' }, { name: 'WebhookEventEdge' });
const RedeliverWebhookSuccess = builder.simpleObject('RedeliverWebhookSuccess', {
    fields: (t) => ({ event: t.field({ type: WebhookEvent }) }),
});
const AttentionReason = builder.enumType('AttentionReason', {
    values: {
        UNSETTLED: { description: 'Still INITIATED or PROCESSING past ATTENTION_AFTER_MS.' },
        UNDELIVERED: { description: 'Final at KS Pay, but its event has not reached a webhook endpoint.' },
    },
});
const TransactionAttention = builder.objectRef('TransactionAttention').implement({
    fields: (t) => ({
        transactionId: t.exposeID('transactionId'),
        status: t.field({ type: TransactionStatus, resolve: (a) => a.status }),
        reason: t.field({ type: AttentionReason, resolve: (a) => a.reason }),
        since: t.field({
            type: 'DateTime',
            description: 'When watching began (UNSETTLED), or when the final event was created (UNDELIVERED).',
            resolve: (a) => a.since,
        }),
        eventId: t.exposeID('eventId', { nullable: true }),
    }),
});
function pageSize(first) {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
        throw new ValidationError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
    return size;
}
const encodeCursor = (seq) => Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');
function decodeCursor(cursor) {
    const text = Buffer.from(cursor, 'base64url').toString();
    const seq = Number(text.slice(CURSOR_PREFIX.length));
    if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(seq) || seq < 1) {
        throw new ValidationError('after', 'after must be a cursor returned by this connection');
    }
    return seq;
}
function requireEventId(raw) {
    const id = String(raw);
    if (!/^evt_[0-9a-f]{32}$/.test(id))
        throw new ValidationError('eventId', "eventId must be an event id such as 'evt_' and 32 hex digits");
    return id;
}
builder.queryFields((t) => ({
    webhookDeliveries: t.field({
        type: WebhookEventConnection,
        description: 'Webhook events, newest first, each with its deliveries: attempts, last status code, next retry.',
        authScopes: { scope: 'transactions:read' },
        args: {
            first: t.arg.int({ required: false, defaultValue: DEFAULT_PAGE_SIZE }),
            after: t.arg.string({ required: false }),
            transactionId: t.arg.id({ required: false }),
        },
        resolve: async (_root, args, { webhooks }) => {
            const first = pageSize(args.first);
            const beforeSeq = args.after ? decodeCursor(args.after) : undefined;
            const transactionId = args.transactionId == null ? undefined : requireId('transaction', 'transactionId', args.transactionId);
            const found = await webhooks.list({ limit: first + 1, beforeSeq, transactionId });
            const nodes = found.slice(0, first);
            return {
                edges: nodes.map((node) => ({ cursor: encodeCursor(node.seq), node })),
                pageInfo: {
                    hasNextPage: found.length > first,
                    hasPreviousPage: beforeSeq !== undefined,
                    startCursor: nodes.length ? encodeCursor(nodes[0].seq) : null,
                    endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].seq) : null,
                },
            };
        },
    }),
    transactionsNeedingAttention: t.field({
        type: [TransactionAttention],
        description: 'Transactions still unsettled past ATTENTION_AFTER_MS, and final ones whose webhook was not delivered.',
        authScopes: { scope: 'transactions:read' },
        args: { first: t.arg.int({ required: false, defaultValue: DEFAULT_PAGE_SIZE }) },
        resolve: (_root, args, { webhooks }) => webhooks.needingAttention(pageSize(args.first)),
    }),
}));
builder.mutationFields((t) => ({
    redeliverWebhook: t.field({
        type: RedeliverWebhookSuccess,
        description: 'Sends an event again to every endpoint (at the end of its transaction’s queue), whatever its deliveries’ state.',
        authScopes: { scope: 'transactions:write' },
        args: { eventId: t.arg.id({ required: true }) },
        errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'RedeliverWebhookResult' } },
        resolve: async (_root, { eventId }, { webhooks }) => {
            const id = requireEventId(eventId);
            const event = await webhooks.redeliver(id);
            if (!event)
                throw new NotFoundError('webhook event', id);
            return { event };
        },
    }),
}));
