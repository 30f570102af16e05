import { REQUEST_ID } from './request-id.js';
/** Request headers the common clients send, beside the gateway's own. */
export const DEFAULT_ALLOWED_HEADERS = [
    'content-type',
    'authorization',
    'x-api-key',
    REQUEST_ID,
    // W3C trace context, so traces continue from the browser.
    'traceparent',
    'tracestate',
    // Apollo Client (its HttpLink, the CSRF-prevention header and the persisted-queries link).
    'apollographql-client-name',
    'apollographql-client-version',
    'apollo-require-preflight',
    'x-apollo-operation-name',
    // graphql-sse's single-connection mode.
    'x-graphql-event-stream-token',
];
export function corsPolicy(origins, extraHeaders = []) {
    if (origins.length === 0)
        return null;
    const headers = new Set([...DEFAULT_ALLOWED_HEADERS, ...extraHeaders.map((h) => h.toLowerCase())]);
    return { origins: new Set(origins), allowHeaders: [...headers].join(', '), maxAgeSeconds: 600 };
}
/** Sets the CORS headers of an actual (non-preflight) response. */
export function applyCors(policy, headers, res) {
    if (!policy)
        return;
    res.setHeader('vary', 'Origin');
    const origin = headers.origin;
    if (origin && policy.origins.has(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-expose-headers', REQUEST_ID);
    }
}
/** Answers a preflight: 204 with the grants for a listed origin, 403 for any other. */
export function answerPreflight(policy, headers, res) {
    const origin = headers.origin;
    if (!policy || !origin || !policy.origins.has(origin)) {
        res.writeHead(403, { vary: 'Origin', 'content-length': 0 }).end();
        return;
    }
    res
        .writeHead(204, {
        vary: 'Origin',
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': policy.allowHeaders,
        'access-control-max-age': String(policy.maxAgeSeconds),
        'content-length': 0,
    })
        .end();
}
