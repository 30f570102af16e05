/**
 * The front door: a node:http handler in front of yoga. Every request meets it once,
 * whatever its path or method, and it decides cheaply what reaches GraphQL:
 *
 * - only the exact path /graphql goes on to yoga (health and metrics are answered
 *   here; any other spelling — /graphql/, //graphql, /GraphQL — is a 404);
 * - the body is framed the one way we read it: a POST must be JSON with a
 *   Content-Length within MAX_BODY_BYTES (so yoga's own body limiter is off), and a
 *   GET carries no body. JSON-only POSTs are also what makes CSRF impossible: a
 *   cross-site form cannot send one without a CORS preflight;
 * - the API key is checked on the raw headers, so a stranger is answered 401 before
 *   anything is read, parsed or validated, and learns nothing about the schema;
 * - with GraphiQL on, two browser pages need no key: the walkthrough's payment return
 *   page (it only shows its own query string back) and a favicon.
 *
 * A refusal costs a constant (./refusals.ts): no body past the limit is read, and its log
 * line and metric carry only fixed labels, never client input. An authenticated request
 * that may be a catalog answer goes by the response cache (./cached-graphql.ts) first.
 *
 * The order is one list, `STAGES` below: request id → route → framing → auth → cache → execute → yoga.
 * Each stage answers the request or hands it to the next (./exchange.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayYoga } from '../yoga.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { REFUSAL_MESSAGES, type Authenticator } from './auth.js';
import { answerPreflight, applyCors, type CorsPolicy } from './cors.js';
import type { CachedGraphQL } from './cached-graphql.js';
import { pipeline, type Exchange, type Stage } from './exchange.js';
import type { HealthEndpoints } from './health.js';
import { createRefusals, framingRefusal, type Refusals } from './refusals.js';
import { failed, pathOf } from './request-io.js';
import { requestIdOf, setRequestId } from './request-id.js';
import { FAVICON_SVG, PAGE_HEADERS, readPaymentReturn, renderPaymentReturn } from './payment-return.js';
import { PAYMENT_RETURN_PATH } from '../graphiql.js';
import { RECONCILIATION_CSV_PATH, type ReconciliationCsv } from './reconciliation-csv.js';

export const GRAPHQL_PATH = '/graphql';

export interface FrontDoorDeps {
  yoga: GatewayYoga;
  /** Catalog answers from the response cache; null turns it off. */
  cached: CachedGraphQL | null;
  /** Runs a POSTed operation the cache stage resolved, without yoga's WHATWG layer (./posted-operation.ts); null: yoga runs it. */
  postedOperation: Stage | null;
  authenticate: Authenticator;
  maxBodyBytes: number;
  cors: CorsPolicy | null;
  /** Whom a request comes from, for per-address limits (src/http/connections.ts). */
  clientAddress?: (req: IncomingMessage) => string;
  graphiql: boolean;
  /** GET /reports/reconciliation.csv (./reconciliation-csv.ts); absent: a 404 like any other path. */
  reconciliationCsv?: ReconciliationCsv;
  health: HealthEndpoints;
  metrics: Metrics;
  logger: Logger;
}

export type FrontDoor = (req: IncomingMessage, res: ServerResponse) => void;

export function createFrontDoor(deps: FrontDoorDeps): FrontDoor {
  const { logger } = deps;
  const refusals = createRefusals({ maxBodyBytes: deps.maxBodyBytes, graphqlPath: GRAPHQL_PATH, metrics: deps.metrics, logger });
  const { refuse, declaredLength } = refusals;

  /** The one place `x-request-id` is set: every answer, whoever writes it, carries it from here. */
  const requestId: Stage = (x, next) => {
    x.requestId = requestIdOf(x.req);
    setRequestId(x.res, x.requestId);
    next(x);
  };

  /** Only the exact path /graphql goes on; health, metrics and GraphiQL's companions are answered here. */
  const route: Stage = (x, next) => {
    const path = pathOf(x.req.url);
    if (path === GRAPHQL_PATH) return next(x);
    if (path === RECONCILIATION_CSV_PATH && deps.reconciliationCsv) {
      return deps.reconciliationCsv(x.req, x.res, x.requestId, (reason, message) => refuse(x.req, x.res, x.requestId, reason, message));
    }
    if (serveOtherPage(x, path, deps, refusals)) return;
    refuse(x.req, x.res, x.requestId, 'not-found');
  };

  /** CORS, the method, and the body framed the one way we read it. */
  const framing: Stage = (x, next) => {
    const { req, res } = x;
    const { headers, method } = req;
    if (method === 'OPTIONS') {
      if (headers['access-control-request-method']) return answerPreflight(deps.cors, headers, res);
      return void res.writeHead(204, { allow: 'GET, POST, OPTIONS', 'content-length': 0 }).end();
    }
    applyCors(deps.cors, headers, res);
    if (method !== 'GET' && method !== 'POST') return refuse(req, res, x.requestId, 'method');
    const bytes = declaredLength(req);
    const refusal = framingRefusal(req, bytes);
    if (refusal) return refuse(req, res, x.requestId, refusal);
    x.bodyBytes = bytes ?? 0;
    next(x);
  };

  /** The API key, on the raw headers. GraphiQL's page runs nothing: the key is entered in it and sent with each operation. */
  const auth: Stage = (x, next) => {
    const { headers, method } = x.req;
    if (method === 'GET' && deps.graphiql && headers.accept?.includes('text/html')) return next(x);
    const caller = deps.authenticate(headers, x.req.socket);
    if (typeof caller === 'string') return refuse(x.req, x.res, x.requestId, 'unauthenticated', REFUSAL_MESSAGES[caller]);
    x.caller = caller;
    next(x);
  };

  /** An event stream (a subscription) is never cached: it goes to yoga as it is, unread. */
  const cache: Stage = (x, next) => {
    const { cached } = deps;
    if (!cached || !x.caller || asksForEventStreamOnly(x.req.headers.accept)) return next(x);
    cached(x, next);
  };

  const yoga: Stage = ({ req, res, requestId, caller, body, document, parsedBody }) => {
    // yoga reads a body already read from here (whatwg-node takes a pre-read `req.body`), unless it takes
    // the parse itself (src/plugins/use-parsed-body.ts): a Buffer there costs whatwg-node a key per byte.
    if (body && !parsedBody) (req as IncomingMessage & { body?: Buffer }).body = body;
    const context = { requestId, caller, clientAddress: deps.clientAddress?.(req), document, parsedBody };
    Promise.resolve(deps.yoga(req, res, context)).catch((error: unknown) => failed(res, logger, requestId, error));
  };

  /** A POST the cache stage resolved runs here, without yoga's WHATWG Request and Response. */
  const execute: Stage = (x, next) => (deps.postedOperation ? deps.postedOperation(x, next) : next(x));

  const STAGES = [requestId, route, framing, auth, cache, execute, yoga];
  const handle = pipeline(STAGES);
  return (req, res) => handle({ req, res, startedAt: performance.now(), requestId: '', bodyBytes: 0, caller: null });
}

/**
 * Whether the client takes only an event stream (graphql-sse, GraphiQL, urql's subscriptions).
 * yoga answers a query in JSON whenever JSON is acceptable at all, so a request that also
 * accepts JSON (urql sends `application/graphql-response+json, …, text/event-stream` with
 * every query) may still be a cached catalog answer.
 */
function asksForEventStreamOnly(accept: string | undefined): boolean {
  return accept?.includes('text/event-stream') === true && !/application\/(graphql-response\+)?json|\*\/\*/.test(accept);
}

/** The health endpoints, and GraphiQL's companion pages when GraphiQL is on; false when `path` is none of them. */
function serveOtherPage({ req, res, requestId }: Exchange, path: string, deps: FrontDoorDeps, { declaredLength }: Refusals): boolean {
  if (req.method !== 'GET' || declaredLength(req) !== 0) return false;
  const page = deps.graphiql ? browserPage(req, path) : null;
  if (page) {
    res.writeHead(200, { ...page.headers, 'content-length': Buffer.byteLength(page.body) }).end(page.body);
    return true;
  }
  const answer = deps.health.answer(path);
  if (!answer) return false;
  answer.then(
    ({ status, contentType, body }) => res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body),
    (error: unknown) => failed(res, deps.logger, requestId, error, 'health endpoint failed'),
  );
  return true;
}

/** GraphiQL's companions, for a browser on GraphiQL's walkthrough; null when the path is another. */
function browserPage(req: IncomingMessage, path: string): { headers: Record<string, string>; body: string } | null {
  if (path === PAYMENT_RETURN_PATH) {
    const query = new URLSearchParams(req.url?.split('?')[1] ?? '');
    return { headers: PAGE_HEADERS, body: renderPaymentReturn(GRAPHQL_PATH, readPaymentReturn(query)) };
  }
  if (path === '/favicon.ico') return { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }, body: FAVICON_SVG };
  return null;
}
