import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { clientTraceContext } from './tracing.js';
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** A path longer than this is cut in `url.path` (it is client input). */
const MAX_PATH = 256;
export function traceHttpRequests(tracer, routes, handler) {
    return (req, res) => {
        const known = KNOWN_METHODS.has(req.method ?? '');
        const method = known ? req.method : '_OTHER';
        const path = (req.url ?? '/').split('?')[0];
        const route = routes.has(path) ? path : null;
        const attributes = {
            'http.request.method': method,
            ...(!known && { 'http.request.method_original': String(req.method).slice(0, 32) }),
            'url.scheme': 'http',
            'url.path': path.length > MAX_PATH ? path.slice(0, MAX_PATH) : path,
            ...(route && { 'http.route': route }),
            'network.protocol.version': req.httpVersion,
            'server.port': req.socket.localPort,
            'client.address': req.socket.remoteAddress,
        };
        const spanName = `${method === '_OTHER' ? 'HTTP' : method}${route ? ` ${route}` : ''}`;
        const parent = clientTraceContext(headersOf(req));
        const span = tracer.startSpan(spanName, { kind: SpanKind.SERVER, attributes }, parent);
        const end = () => {
            const status = res.statusCode;
            const finished = res.writableFinished;
            if (res.headersSent)
                span.setAttribute('http.response.status_code', status);
            // A server span is an error for a 5xx (the server's fault) or an answer never completed, not for a 4xx.
            const errorType = !finished ? 'aborted' : status >= 500 ? String(status) : null;
            if (errorType) {
                span.setAttribute('error.type', errorType);
                span.setStatus({ code: SpanStatusCode.ERROR });
            }
            span.end();
        };
        res.once('close', end);
        const active = trace.setSpan(parent, span);
        // The body arrives in the request's own events, which do not carry the context by themselves.
        context.bind(active, req);
        context.bind(active, res);
        context.with(active, () => handler(req, res));
    };
}
/** The request's headers as `clientTraceContext` reads them (only `traceparent` and `tracestate` matter). */
function headersOf(req) {
    const { traceparent, tracestate } = req.headers;
    if (typeof traceparent !== 'string')
        return undefined;
    const headers = new Headers({ traceparent });
    if (typeof tracestate === 'string')
        headers.set('tracestate', tracestate);
    return headers;
}
