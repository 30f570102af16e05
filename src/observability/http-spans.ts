/**
 * A server span for every HTTP request the front door meets, by OpenTelemetry's HTTP
 * semantic conventions: refusals (401, 404, 413, …) and response-cache hits included, and
 * the GraphQL operation's span (./tracing-plugin.ts) as its child. A child of the client's
 * W3C `traceparent` when it sends one.
 *
 * Only wrapped around the front door when tracing is on: without OTEL_* variables the
 * handler is the bare front door, and the warm path pays nothing.
 *
 * Attributes are the conventions' own and carry no client secret: the path (never the
 * query string, which may hold a persisted query's variables), the route only when it is
 * one of the gateway's, the method, status, protocol version and addresses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { clientTraceContext } from './tracing.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
/** A path longer than this is cut in `url.path` (it is client input). */
const MAX_PATH = 256;

export function traceHttpRequests(tracer: Tracer, routes: ReadonlySet<string>, handler: Handler): Handler {
  return (req, res) => {
    const known = KNOWN_METHODS.has(req.method ?? '');
    const method = known ? req.method! : '_OTHER';
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes.has(path) ? path : null;
    const attributes: Attributes = {
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
      if (res.headersSent) span.setAttribute('http.response.status_code', status);
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
function headersOf(req: IncomingMessage): Headers | undefined {
  const { traceparent, tracestate } = req.headers;
  if (typeof traceparent !== 'string') return undefined;
  const headers = new Headers({ traceparent });
  if (typeof tracestate === 'string') headers.set('tracestate', tracestate);
  return headers;
}
