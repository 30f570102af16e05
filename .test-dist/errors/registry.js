/**
 * Every code a client can meet, in one table: the HTTP status it comes with, what it means,
 * whether the same request can succeed later, and what to do. Every emitter takes its code
 * (and status) from here: the gateway errors (./gateway-errors.ts), the GraphQL errors of the
 * plugins and the schema (./client-errors.ts), the front door's refusals. docs/errors.md's table
 * is printed from it (`npm run errors:table`; CI fails when it drifts: `npm run errors:check`).
 * Plain data, no GraphQL: the schema's `ErrorCode` enum lists the codes marked `inSchema`.
 */
export const ERROR_REGISTRY = {
    VALIDATION: {
        http: 200,
        also: [400],
        retryable: false,
        inSchema: true,
        meaning: "the input is wrong (`field` names it); refused before any upstream call, or KS Pay's own check (`upstreamCode`, e.g. -19 for too many decimal places)",
        action: 'fix the input',
    },
    NOT_FOUND: {
        http: 200,
        also: [404],
        retryable: false,
        inSchema: true,
        meaning: 'no such currency / transaction; or a path the gateway does not serve (HTTP 404)',
        action: '—',
    },
    UNAUTHENTICATED: { http: 401, retryable: false, inSchema: true, meaning: 'no or unknown API key', action: 'send a valid key' },
    FORBIDDEN: {
        http: 200,
        also: [403],
        retryable: false,
        inSchema: true,
        meaning: 'the key lacks the scope for that field',
        action: 'use a key with the scope',
    },
    RATE_LIMITED: {
        http: 200,
        retryable: true,
        inSchema: true,
        meaning: 'too many open subscriptions: from this client address (`MAX_SUBSCRIPTIONS_PER_ADDRESS`), on this instance (`MAX_SUBSCRIPTIONS`) or for this key (`MAX_SUBSCRIPTIONS_PER_KEY`, when set); `limit` says how many; refused before any upstream call',
        action: 'close a stream, then subscribe again',
    },
    UPSTREAM_REJECTED: {
        http: 200,
        also: [502],
        retryable: false,
        inSchema: true,
        meaning: 'KS Pay refused the request (`upstreamCode`, `field` when known)',
        action: 'do not retry unchanged',
    },
    UPSTREAM_UNAVAILABLE: {
        http: 200,
        also: [503],
        retryable: 'field',
        inSchema: true,
        meaning: 'KS Pay failed, timed out, rate limited, sent an answer too large to read, or the circuit is open; or the in-process idempotency store is full (`IDEMPOTENCY_MAX_RECORDS`). `retryable` says whether the same request can succeed later (`retryAfterMs` when known, at most one hour)',
        action: 'retry the same request when `retryable`, after `retryAfterMs`',
    },
    IDEMPOTENCY_CONFLICT: {
        http: 200,
        retryable: false,
        inSchema: true,
        meaning: 'the `referenceNumber` was already used with different input, or by another API key',
        action: 'use a new reference',
    },
    SIGNATURE_INVALID: {
        http: 200,
        retryable: false,
        inSchema: true,
        meaning: '`reason`: `EXPIRED` or `MALFORMED` signature, `LOST` (see [Initiating is idempotent](operations.md#initiating-is-idempotent)), or `OTHER_CLIENT`: the gateway issued it to another API key (refused before any upstream call)',
        action: 'initiate again (with your own key)',
    },
    REPORT_TOO_LARGE: {
        http: 200,
        also: [422],
        retryable: false,
        inSchema: true,
        meaning: 'a reconciliation report past a cap: a window longer than `RECONCILIATION_MAX_WINDOW_MS`, reaching back past `IDEMPOTENCY_TTL_MS`, or holding more than `RECONCILIATION_MAX_ROWS` transactions; `setting` names the cap, `limit` its value (HTTP 422 on the CSV route)',
        action: 'ask for a shorter or later window',
    },
    BAD_USER_INPUT: {
        http: 400,
        retryable: false,
        inSchema: false,
        meaning: 'the request itself is wrong before any field runs: a required variable missing, a variable of the wrong type, an operation the document does not have (logged and counted with this outcome)',
        action: 'fix the request',
    },
    BAD_REQUEST: {
        http: 400,
        also: [405, 406, 411, 413, 415],
        retryable: false,
        inSchema: false,
        meaning: 'a malformed `documentId` or `extensions.persistedQuery`, a document id sent with a query text that is not that document (over HTTP), a subscription sent without a streaming transport (406), or a refused HTTP request (see the [security model](security.md#what-a-stranger-costs))',
        action: 'send `sha256:` and 64 lowercase hex digits, and a query only if it is that document',
    },
    DOCUMENT_TOO_LARGE: {
        http: 413,
        retryable: false,
        inSchema: false,
        meaning: 'the document text is over `MAX_DOCUMENT_BYTES`; refused before parsing',
        action: 'send a smaller document (comments count)',
    },
    PERSISTED_QUERY_NOT_FOUND: {
        http: 200,
        retryable: true,
        inSchema: false,
        meaning: 'the gateway does not know this document id yet (see [automatic persisted queries](clients.md#automatic-persisted-queries))',
        action: 'send it again with the query text',
    },
    PERSISTED_QUERY_NOT_SUPPORTED: {
        http: 200,
        retryable: false,
        inSchema: false,
        meaning: 'automatic persisted queries are off, or only trusted documents run and none can be registered',
        action: 'send the query text, or a trusted document id',
    },
    PERSISTED_QUERY_ONLY: {
        http: 200,
        retryable: false,
        inSchema: false,
        meaning: 'only trusted documents run here (`PERSISTED_DOCUMENTS=only`)',
        action: 'send a trusted document id',
    },
    GRAPHQL_PARSE_FAILED: {
        http: 400,
        retryable: false,
        inSchema: false,
        meaning: "the document is not valid GraphQL syntax (yoga's own code)",
        action: 'fix the document',
    },
    GRAPHQL_VALIDATION_FAILED: {
        http: 400,
        retryable: false,
        inSchema: false,
        meaning: "the document does not fit the schema, or exceeds a limit (depth, aliases, cost…) (yoga's own code)",
        action: 'fix the document',
    },
    INTERNAL_SERVER_ERROR: {
        http: 200,
        also: [500],
        retryable: false,
        inSchema: false,
        meaning: 'a bug: masked as `Unexpected error.` and logged with the request id',
        action: 'report it with the `x-request-id`',
    },
};
/** The codes of the schema's `ErrorCode` enum, in the registry's order. */
export const SCHEMA_ERROR_CODES = Object.keys(ERROR_REGISTRY).filter((code) => ERROR_REGISTRY[code].inSchema);
/** `status`, checked against the code's entry: a code never leaves with a status it does not list. */
export function statusOf(code, status) {
    const entry = ERROR_REGISTRY[code];
    if (status === undefined || status === entry.http)
        return entry.http;
    if (!entry.also?.includes(status))
        throw new Error(`error registry: ${code} is not sent with HTTP ${status}`);
    return status;
}
/** The body of an answer the gateway writes itself, outside yoga: `{ errors: [{ message, extensions: { code } }] }`. */
export function errorBody(code, message) {
    return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
