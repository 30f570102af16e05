import { errorBody, statusOf } from '../errors/registry.js';
const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);
export function createRefusals({ maxBodyBytes, graphqlPath, metrics, logger, }) {
    const answers = {
        'not-found': { status: 404, code: 'NOT_FOUND', message: `Nothing here; GraphQL is served at ${graphqlPath}` },
        method: { status: 405, code: 'BAD_REQUEST', message: 'Use GET or POST', headers: { allow: 'GET, POST, OPTIONS' } },
        'length-required': { status: 411, code: 'BAD_REQUEST', message: 'POST requests must send a Content-Length (no chunked bodies)' },
        'too-large': { status: 413, code: 'BAD_REQUEST', message: `The request body exceeds ${maxBodyBytes} bytes` },
        'content-type': { status: 415, code: 'BAD_REQUEST', message: 'POST requests must have Content-Type: application/json' },
        'empty-body': { status: 400, code: 'BAD_REQUEST', message: 'A POST request must carry a JSON body with the operation' },
        'body-on-get': { status: 400, code: 'BAD_REQUEST', message: 'A GET request carries no body' },
        unauthenticated: { status: 401, code: 'UNAUTHENTICATED', message: '', headers: { 'www-authenticate': 'Bearer' } },
    };
    function declaredLength(req) {
        const { 'content-length': length, 'transfer-encoding': chunked } = req.headers;
        if (chunked)
            return null;
        if (length === undefined)
            return 0;
        const bytes = /^\d{1,15}$/.test(length) ? Number(length) : Infinity;
        return bytes <= maxBodyBytes ? bytes : null;
    }
    function refuse(req, res, requestId, reason, message) {
        const { code, headers } = answers[reason];
        const status = statusOf(code, answers[reason].status);
        metrics.refusals.inc({ reason });
        logger.info({ requestId, status, reason }, 'request refused');
        const body = errorBody(code, message ?? answers[reason].message);
        // A body within the limit is drained by node (bounded, and the client reads its answer
        // cleanly); a longer or unframed one is not read at all: the connection is closed instead.
        if (declaredLength(req) === null)
            res.shouldKeepAlive = false;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
    }
    return { refuse, declaredLength };
}
/**
 * What is wrong with the framing of a GraphQL request, or null: a GET carries no body; a
 * POST is JSON with a Content-Length within the limit (`bytes` is null past it), and not
 * empty (there is no operation in nothing, and yoga gets only a body already read). JSON-only
 * POSTs are also what makes CSRF impossible: a cross-site form cannot send one unpreflighted.
 */
export function framingRefusal(req, bytes) {
    const { headers, method } = req;
    if (method === 'GET')
        return bytes === 0 ? null : 'body-on-get';
    if (headers['transfer-encoding'] || headers['content-length'] === undefined)
        return 'length-required';
    if (bytes === null)
        return 'too-large';
    const type = headers['content-type']?.split(';', 1)[0].trim().toLowerCase();
    if (!type || !JSON_TYPES.has(type))
        return 'content-type';
    return bytes === 0 ? 'empty-body' : null;
}
