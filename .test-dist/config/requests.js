/** What clients may send: documents, request limits, subscriptions and WebSockets. */
import { z } from 'zod';
import { count, list, milliseconds, wholeNumber, flag } from './rules.js';
import { parseWith, setting } from './settings.js';
import { POLL_POLICY } from './tuning.js';
/** The example app's manifest (relative to the working directory), so `npm start` runs its documents. */
const EXAMPLE_MANIFEST = 'examples/gql/persisted-documents.json';
export const REQUEST_VARIABLES = {
    PERSISTED_OPERATIONS: setting('documents', 'PERSISTED_OPERATIONS', 'off', '`off`; `allow`: trusted documents by id and automatic persisted queries, besides any query; `only`: trusted documents only.'),
    TRUSTED_DOCUMENTS: setting('documents', 'TRUSTED_DOCUMENTS', [EXAMPLE_MANIFEST], "Comma-separated manifest files of trusted documents (codegen's persisted-documents.json), read at start-up unless PERSISTED_OPERATIONS=off."),
    INTROSPECTION: setting('documents', 'INTROSPECTION', false, 'Answer introspection queries and suggest field names in errors.', 'on with the built-in sandbox, off otherwise'),
    MAX_DEPTH: setting('limits', 'MAX_DEPTH', 10, 'The deepest selection a document may nest.'),
    MAX_ALIASES: setting('limits', 'MAX_ALIASES', 30, 'Aliases one document may use.'),
    MAX_DIRECTIVES: setting('limits', 'MAX_DIRECTIVES', 20, 'Directives one document may use.'),
    MAX_TOKENS: setting('limits', 'MAX_TOKENS', 1000, 'Tokens one document may have.'),
    MAX_COST: setting('limits', 'MAX_COST', 5000, "A document's largest estimated cost."),
    MAX_BODY_BYTES: setting('limits', 'MAX_BODY_BYTES', 64 * 1024, 'The largest request body (and WebSocket message).'),
    MAX_DOCUMENT_BYTES: setting('limits', 'MAX_DOCUMENT_BYTES', 16 * 1024, 'The largest GraphQL document text accepted, checked before parsing.'),
    BATCH_LIMIT: setting('limits', 'BATCH_LIMIT', 0, 'Operations per batched (JSON array) request, 0 to 100; 0 turns batching off.'),
    MAX_SUBSCRIPTIONS_PER_ADDRESS: setting('live', 'MAX_SUBSCRIPTIONS_PER_ADDRESS', 100, 'Open subscriptions one client address may hold.'),
    MAX_SUBSCRIPTIONS: setting('live', 'MAX_SUBSCRIPTIONS', 10_000, 'Open subscriptions on this instance, all clients together.'),
    MAX_SUBSCRIPTIONS_PER_KEY: setting('live', 'MAX_SUBSCRIPTIONS_PER_KEY', null, 'Open subscriptions one API key may hold (for keys that belong to one server).', 'unset (no cap per key)'),
    MAX_WEBSOCKETS_PER_ADDRESS: setting('live', 'MAX_WEBSOCKETS_PER_ADDRESS', 100, 'Open WebSockets one client address may hold (its forwarded address behind a trusted proxy).'),
    WEBSOCKET_IDLE_MS: setting('live', 'WEBSOCKET_IDLE_MS', 60_000, 'A WebSocket with no operation running and no message (or ping) from its client for this long is closed.'),
};
const V = REQUEST_VARIABLES;
export function parseDocuments(env, usesBuiltInSandbox) {
    return Object.freeze({
        persistedOperations: parseWith(env, V.PERSISTED_OPERATIONS, z.enum(['off', 'allow', 'only'])),
        trustedDocuments: parseWith(env, V.TRUSTED_DOCUMENTS, list),
        introspection: parseWith(env, V.INTROSPECTION, flag, usesBuiltInSandbox),
    });
}
export function parseLimits(env) {
    return Object.freeze({
        maxDepth: parseWith(env, V.MAX_DEPTH, count),
        maxAliases: parseWith(env, V.MAX_ALIASES, count),
        maxDirectives: parseWith(env, V.MAX_DIRECTIVES, count),
        maxTokens: parseWith(env, V.MAX_TOKENS, count),
        maxCost: parseWith(env, V.MAX_COST, count),
        maxBodyBytes: parseWith(env, V.MAX_BODY_BYTES, count),
        maxDocumentBytes: parseWith(env, V.MAX_DOCUMENT_BYTES, count),
        batchLimit: parseWith(env, V.BATCH_LIMIT, wholeNumber('must be a whole number from 0 to 100', 0, 100)),
    });
}
export function parseLive(env) {
    return Object.freeze({
        subscriptions: Object.freeze({
            perKey: parseWith(env, V.MAX_SUBSCRIPTIONS_PER_KEY, count),
            perAddress: parseWith(env, V.MAX_SUBSCRIPTIONS_PER_ADDRESS, count),
            total: parseWith(env, V.MAX_SUBSCRIPTIONS, count),
        }),
        websockets: Object.freeze({
            maxPerAddress: parseWith(env, V.MAX_WEBSOCKETS_PER_ADDRESS, count),
            idleMs: parseWith(env, V.WEBSOCKET_IDLE_MS, milliseconds),
        }),
        poll: POLL_POLICY,
    });
}
