import { REFUSAL_MESSAGES } from './auth.js';
import { answerPreflight, applyCors } from './cors.js';
import { pipeline } from './exchange.js';
import { createRefusals, framingRefusal } from './refusals.js';
import { failed, pathOf } from './request-io.js';
import { requestIdOf, setRequestId } from './request-id.js';
import { FAVICON_SVG, PAGE_HEADERS, readPaymentReturn, renderPaymentReturn } from './payment-return.js';
import { PAYMENT_RETURN_PATH } from '../graphiql.js';
import { RECONCILIATION_CSV_PATH } from './reconciliation-csv.js';
export const GRAPHQL_PATH = '/graphql';
export function createFrontDoor(deps) {
    const { logger } = deps;
    const refusals = createRefusals({ maxBodyBytes: deps.maxBodyBytes, graphqlPath: GRAPHQL_PATH, metrics: deps.metrics, logger });
    const { refuse, declaredLength } = refusals;
    /** The one place `x-request-id` is set: every answer, whoever writes it, carries it from here. */
    const requestId = (x, next) => {
        x.requestId = requestIdOf(x.req);
        setRequestId(x.res, x.requestId);
        next(x);
    };
    /** Only the exact path /graphql goes on; health, metrics and GraphiQL's companions are answered here. */
    const route = (x, next) => {
        const path = pathOf(x.req.url);
        if (path === GRAPHQL_PATH)
            return next(x);
        if (path === RECONCILIATION_CSV_PATH && deps.reconciliationCsv) {
            return deps.reconciliationCsv(x.req, x.res, x.requestId, (reason, message) => refuse(x.req, x.res, x.requestId, reason, message));
        }
        if (serveOtherPage(x, path, deps, refusals))
            return;
        refuse(x.req, x.res, x.requestId, 'not-found');
    };
    /** CORS, the method, and the body framed the one way we read it. */
    const framing = (x, next) => {
        const { req, res } = x;
        const { headers, method } = req;
        if (method === 'OPTIONS') {
            if (headers['access-control-request-method'])
                return answerPreflight(deps.cors, headers, res);
            return void res.writeHead(204, { allow: 'GET, POST, OPTIONS', 'content-length': 0 }).end();
        }
        applyCors(deps.cors, headers, res);
        if (method !== 'GET' && method !== 'POST')
            return refuse(req, res, x.requestId, 'method');
        const bytes = declaredLength(req);
        const refusal = framingRefusal(req, bytes);
        if (refusal)
            return refuse(req, res, x.requestId, refusal);
        x.bodyBytes = bytes ?? 0;
        next(x);
    };
    /** The API key, on the raw headers. GraphiQL's page runs nothing: the key is entered in it and sent with each operation. */
    const auth = (x, next) => {
        const { headers, method } = x.req;
        if (method === 'GET' && deps.graphiql && headers.accept?.includes('text/html'))
            return next(x);
        const caller = deps.authenticate(headers, x.req.socket);
        if (typeof caller === 'string')
            return refuse(x.req, x.res, x.requestId, 'unauthenticated', REFUSAL_MESSAGES[caller]);
        x.caller = caller;
        next(x);
    };
    /** An event stream (a subscription) is never cached: it goes to yoga as it is, unread. */
    const cache = (x, next) => {
        const { cached } = deps;
        if (!cached || !x.caller || asksForEventStreamOnly(x.req.headers.accept))
            return next(x);
        cached(x, next);
    };
    const yoga = ({ req, res, requestId, caller, body, document }) => {
        // yoga reads a body already read from here (whatwg-node takes a pre-read `req.body`).
        if (body)
            req.body = body;
        const context = { requestId, caller, clientAddress: deps.clientAddress?.(req), document };
        Promise.resolve(deps.yoga(req, res, context)).catch((error) => failed(res, logger, requestId, error));
    };
    const STAGES = [requestId, route, framing, auth, cache, yoga];
    const handle = pipeline(STAGES);
    return (req, res) => handle({ req, res, startedAt: performance.now(), requestId: '', bodyBytes: 0, caller: null });
}
/**
 * Whether the client takes only an event stream (graphql-sse, GraphiQL, urql's subscriptions).
 * yoga answers a query in JSON whenever JSON is acceptable at all, so a request that also
 * accepts JSON (urql sends `application/graphql-response+json, …, text/event-stream` with
 * every query) may still be a cached catalog answer.
 */
function asksForEventStreamOnly(accept) {
    return accept?.includes('text/event-stream') === true && !/application\/(graphql-response\+)?json|\*\/\*/.test(accept);
}
/** The health endpoints, and GraphiQL's companion pages when GraphiQL is on; false when `path` is none of them. */
function serveOtherPage({ req, res, requestId }, path, deps, { declaredLength }) {
    if (req.method !== 'GET' || declaredLength(req) !== 0)
        return false;
    const page = deps.graphiql ? browserPage(req, path) : null;
    if (page) {
        res.writeHead(200, { ...page.headers, 'content-length': Buffer.byteLength(page.body) }).end(page.body);
        return true;
    }
    const answer = deps.health.answer(path);
    if (!answer)
        return false;
    answer.then(({ status, contentType, body }) => res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body), (error) => failed(res, deps.logger, requestId, error, 'health endpoint failed'));
    return true;
}
/** GraphiQL's companions, for a browser on GraphiQL's walkthrough; null when the path is another. */
function browserPage(req, path) {
    if (path === PAYMENT_RETURN_PATH) {
        const query = new URLSearchParams(req.url?.split('?')[1] ?? '');
        return { headers: PAGE_HEADERS, body: renderPaymentReturn(GRAPHQL_PATH, readPaymentReturn(query)) };
    }
    if (path === '/favicon.ico')
        return { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }, body: FAVICON_SVG };
    return null;
}
