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
 * A refusal costs a constant: no body is read (the connection is closed instead), and
 * its log line and metric carry only fixed labels, never client input.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogFreshness } from '../context.js';
import type { Gateway } from '../yoga.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { REFUSAL_MESSAGES, type Authenticator, type Caller } from './auth.js';
import { answerPreflight, applyCors, type CorsPolicy } from './cors.js';
import { paramsOfQueryString, type CachedGraphQL } from './cached-graphql.js';
import type { HealthEndpoints } from './health.js';
import { FAVICON_SVG, PAGE_HEADERS, readPaymentReturn, renderPaymentReturn } from './payment-return.js';
import { PAYMENT_RETURN_PATH } from '../graphiql.js';

export const GRAPHQL_PATH = '/graphql';

/** What the front door hands yoga as server context (see src/context.ts). */
export interface ServerContext {
  requestId: string;
  /** Null only for GraphiQL's page, which runs no operation. */
  caller: Caller | null;
  /** Filled by the operation: what catalog it was served (the response cache reads it). */
  catalogFreshness?: CatalogFreshness;
}

export interface FrontDoorDeps {
  gateway: Gateway;
  /** Catalog answers from the response cache; null turns it off. */
  cached: CachedGraphQL | null;
  authenticate: Authenticator;
  maxBodyBytes: number;
  cors: CorsPolicy | null;
  graphiql: boolean;
  health: HealthEndpoints;
  metrics: Metrics;
  logger: Logger;
}

export type FrontDoor = (req: IncomingMessage, res: ServerResponse) => void;

/** Why a request was refused: the only values the refusal metric and log line carry. */
export type RefusalReason =
  | 'not-found'
  | 'method'
  | 'length-required'
  | 'too-large'
  | 'content-type'
  | 'body-on-get'
  | 'unauthenticated';

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);

export function createFrontDoor(deps: FrontDoorDeps): FrontDoor {
  const { metrics, logger } = deps;
  const REFUSALS: Record<RefusalReason, { status: number; code: string; message: string; headers?: Record<string, string> }> = {
    'not-found': { status: 404, code: 'NOT_FOUND', message: `Nothing here; GraphQL is served at ${GRAPHQL_PATH}` },
    method: { status: 405, code: 'BAD_REQUEST', message: 'Use GET or POST', headers: { allow: 'GET, POST, OPTIONS' } },
    'length-required': { status: 411, code: 'BAD_REQUEST', message: 'POST requests must send a Content-Length (no chunked bodies)' },
    'too-large': { status: 413, code: 'BAD_REQUEST', message: `The request body exceeds ${deps.maxBodyBytes} bytes` },
    'content-type': { status: 415, code: 'BAD_REQUEST', message: 'POST requests must have Content-Type: application/json' },
    'body-on-get': { status: 400, code: 'BAD_REQUEST', message: 'A GET request carries no body' },
    unauthenticated: { status: 401, code: 'UNAUTHENTICATED', message: '', headers: { 'www-authenticate': 'Bearer' } },
  };

  function refuse(req: IncomingMessage, res: ServerResponse, requestId: string, reason: RefusalReason, message?: string): void {
    const { status, code, headers } = REFUSALS[reason];
    metrics.refusals.inc({ reason });
    logger.info({ requestId, status, reason }, 'request refused');
    const body = JSON.stringify({ errors: [{ message: message ?? REFUSALS[reason].message, extensions: { code } }] });
    // A body within the limit is drained by node (bounded, and the client reads its answer
    // cleanly); a longer or unframed one is not read at all: the connection is closed instead.
    if (declaredLength(req) === null) res.shouldKeepAlive = false;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
  }

  /** The body's declared size when it is framed by a Content-Length within the limit; else null. */
  function declaredLength(req: IncomingMessage): number | null {
    const { 'content-length': length, 'transfer-encoding': chunked } = req.headers;
    if (chunked) return null;
    if (length === undefined) return 0;
    const bytes = /^\d{1,15}$/.test(length) ? Number(length) : Infinity;
    return bytes <= deps.maxBodyBytes ? bytes : null;
  }

  function serveGraphQL(req: IncomingMessage, res: ServerResponse, requestId: string, startedAt: number): void {
    const { headers, method } = req;
    if (method === 'OPTIONS') {
      if (headers['access-control-request-method']) return answerPreflight(deps.cors, headers, res);
      return void res.writeHead(204, { allow: 'GET, POST, OPTIONS', 'content-length': 0 }).end();
    }
    applyCors(deps.cors, headers, res);
    if (method !== 'GET' && method !== 'POST') {
      return refuse(req, res, requestId, 'method');
    }

    const bytes = declaredLength(req);
    if (method === 'GET') {
      if (bytes !== 0) return refuse(req, res, requestId, 'body-on-get');
      if (deps.graphiql && headers.accept?.includes('text/html')) {
        // GraphiQL's page runs nothing; the key is entered in it and sent with each operation.
        return forward(req, res, { requestId, caller: null });
      }
    } else {
      if (headers['transfer-encoding'] || headers['content-length'] === undefined) {
        return refuse(req, res, requestId, 'length-required');
      }
      if (bytes === null) {
        return refuse(req, res, requestId, 'too-large');
      }
      const type = headers['content-type']?.split(';', 1)[0].trim().toLowerCase();
      if (!type || !JSON_TYPES.has(type)) {
        return refuse(req, res, requestId, 'content-type');
      }
    }

    const caller = deps.authenticate(headers);
    if (typeof caller === 'string') {
      return refuse(req, res, requestId, 'unauthenticated', REFUSAL_MESSAGES[caller]);
    }
    // An event stream (a subscription) is never cached: it goes to yoga as it is, unread.
    if (!deps.cached || headers.accept?.includes('text/event-stream')) return forward(req, res, { requestId, caller });
    const incoming = { req, res, requestId, caller, startedAt };
    if (method === 'GET') return serveCached(incoming, paramsOfQueryString(req.url ?? ''), null);
    readBody(req, bytes ?? 0).then(
      (body) => serveCached(incoming, parseJson(body), body),
      () => res.destroy(),
    );
  }

  function serveCached(incoming: Parameters<CachedGraphQL>[0], params: unknown, body: Buffer | null): void {
    const { req, res, requestId, caller } = incoming;
    deps.cached!(incoming, params, body).then(
      (served) => {
        if (served) return;
        // yoga reads the body we already read from here (whatwg-node takes a pre-read `req.body`).
        if (body !== null) (req as IncomingMessage & { body?: Buffer }).body = body;
        forward(req, res, { requestId, caller });
      },
      (error: unknown) => {
        logger.error({ requestId, err: error }, 'request failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      },
    );
  }

  function forward(req: IncomingMessage, res: ServerResponse, context: ServerContext): void {
    Promise.resolve(deps.gateway(req, res, context)).catch((error: unknown) => {
      logger.error({ requestId: context.requestId, err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  }

  async function serveHealth(res: ServerResponse, answer: NonNullable<ReturnType<HealthEndpoints['answer']>>): Promise<void> {
    const { status, contentType, body } = await answer;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
  }

  /** GraphiQL's companions, for a browser on GraphiQL's walkthrough; null when GraphiQL is off or the path is another. */
  function browserPage(req: IncomingMessage, path: string): { headers: Record<string, string>; body: string } | null {
    if (!deps.graphiql || req.method !== 'GET' || declaredLength(req) !== 0) return null;
    if (path === PAYMENT_RETURN_PATH) {
      const query = new URLSearchParams(req.url?.split('?')[1] ?? '');
      return { headers: PAGE_HEADERS, body: renderPaymentReturn(GRAPHQL_PATH, readPaymentReturn(query)) };
    }
    if (path === '/favicon.ico') {
      return { headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }, body: FAVICON_SVG };
    }
    return null;
  }

  return (req, res) => {
    const startedAt = performance.now();
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const path = pathOf(req.url);
    if (path === GRAPHQL_PATH) return serveGraphQL(req, res, requestId, startedAt);
    const page = browserPage(req, path);
    if (page) return void res.writeHead(200, { ...page.headers, 'content-length': Buffer.byteLength(page.body) }).end(page.body);
    const answer = req.method === 'GET' && declaredLength(req) === 0 ? deps.health.answer(path) : null;
    if (answer) {
      return void serveHealth(res, answer).catch((error: unknown) => {
        logger.error({ requestId, err: error }, 'health endpoint failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    }
    refuse(req, res, requestId, 'not-found');
  };
}

/** The path of a request target, origin-form or absolute-form, without its query. */
function pathOf(target = '/'): string {
  if (target.startsWith('/')) {
    const query = target.indexOf('?');
    return query === -1 ? target : target.slice(0, query);
  }
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

/** A well-formed `x-request-id` is kept (for tracing across services); anything else is replaced. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
}

/** The whole body, whose length the front door has already checked against the limit. */
function readBody(req: IncomingMessage, expectedBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > expectedBytes) return req.destroy();
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('aborted')));
  });
}

/** The body as JSON, or undefined when it is not (yoga then answers the parse error itself). */
function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
