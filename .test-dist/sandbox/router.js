import { KSPAY_CODES } from '../kspay/types.js';
import { ADMIN_PREFIX } from './admin.js';
import { ApiError } from './api.js';
import { generateToken, refreshToken } from './auth.js';
import { currencies, paymentMethods } from './catalog.js';
import { decodeSegment, parseBody } from './http-io.js';
import { initiate, processTransaction, transaction, transactions } from './transactions.js';
import { errorBody, successBody } from './views.js';
/** `:name` in the template matches one path segment, handed to the handler percent-decoded. */
function route(method, template, endpoint, handler) {
    const paramNames = [];
    const source = template.replace(/:(\w+)/g, (_match, name) => {
        paramNames.push(name);
        return '([^/]+)';
    });
    return { method, pattern: new RegExp(`^${source}$`), paramNames, endpoint, handler };
}
/** First match wins: the catch-all currency segment comes last. */
const ROUTES = [
    route('POST', '/auth/generate-token/:appId', 'generateToken', generateToken),
    route('POST', '/auth/refresh-token', 'refreshToken', refreshToken),
    route('GET', '/currencies', 'currencies', currencies),
    route('POST', '/transaction/initiate', 'initiate', initiate),
    route('POST', '/transaction/process', 'process', processTransaction),
    route('GET', '/transaction/txnId/:txnId', 'transaction', transaction),
    route('GET', '/transaction', 'transactions', transactions),
    route('GET', '/:currencyId/payment-methods', 'paymentMethods', paymentMethods),
];
/** Where a request goes; trailing slashes do not count. */
export function destinationOf(method, target) {
    const url = new URL(target ?? '/', 'http://sandbox.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path.startsWith(ADMIN_PREFIX))
        return { kind: 'admin', path };
    const checkout = /^\/checkout\/([^/]+)$/.exec(path);
    if (checkout)
        return { kind: 'checkout', txnId: decodeSegment(checkout[1]) };
    return { kind: 'api', url, match: matchRoute(method, path) };
}
function matchRoute(method, path) {
    for (const candidate of ROUTES) {
        const match = candidate.method === method ? candidate.pattern.exec(path) : null;
        if (!match)
            continue;
        const params = Object.fromEntries(candidate.paramNames.map((name, i) => [name, decodeSegment(match[i + 1])]));
        return { endpoint: candidate.endpoint, handler: candidate.handler, params };
    }
    return null;
}
/** Runs the endpoint's handler and renders its result or error in the current shapes. */
export function dispatch(match, received, context) {
    const { shapes } = context;
    try {
        const body = parseBody(received.rawBody, received.headers['content-type'] ?? '');
        const { url, headers, rawBody } = received;
        const { status, result } = match.handler({ params: match.params, query: url.searchParams, headers, body, rawBody }, context);
        return { status, body: successBody(status, result, shapes) };
    }
    catch (error) {
        // Anything but a documented error is a sandbox bug: answer 26 and never echo internals.
        const known = error instanceof ApiError ? error : new ApiError(500, KSPAY_CODES.SOMETHING_WENT_WRONG, 'Something went wrong');
        return errorReply(known, shapes);
    }
}
/** A documented or injected error in the envelope of the current shapes. */
export function errorReply(error, shapes) {
    return { status: error.status, body: errorBody(error.status, error.code, error.message, shapes), headers: error.headers };
}
export function routeNotFound(shapes) {
    return errorReply({ status: 404, code: KSPAY_CODES.INVALID_REQUEST, message: 'Route not found' }, shapes);
}
/** When serving itself failed: the plain envelope, whatever the shapes. */
export const INTERNAL_ERROR = {
    status: 500,
    body: { status: 500, message: 'Something went wrong', code: KSPAY_CODES.SOMETHING_WENT_WRONG },
};
