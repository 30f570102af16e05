/**
 * GraphQL requests that may be answered from the response cache (./response-cache.ts):
 * JSON POSTs, and GETs (which also get an ETag, `Cache-Control` and 304s). The front door
 * hands them here once the caller is authenticated. A hit is written straight from the
 * stored bytes, in the same tick the body arrived (no promise, no parse when the body is
 * one seen before); a catalog-only miss is executed through yoga's fetch so its answer can
 * be stored; anything else is passed back to the front door, which forwards it to yoga
 * unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogFreshness, ServerContext } from '../server-context.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HitReporter } from '../observability/operation-report.js';
import type { GatewayYoga } from '../yoga.js';
import type { Caller } from './auth.js';
import { failed, parseJson } from './request-io.js';
import { REQUEST_ID, setRequestId } from './request-id.js';
import type { CacheableRequest, CachedAnswer, ResponseCache } from './response-cache.js';

export interface CachedGraphQLDeps {
  yoga: GatewayYoga;
  cache: ResponseCache;
  metrics: Metrics;
  /** Counts and (sampled) logs each hit like an operation. */
  reportHit: HitReporter;
  logger: Logger;
}

export interface Incoming {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  caller: Caller;
  startedAt: number;
}

/** Either answers the request (from or into the cache) or calls `pass`, which forwards it to yoga. */
export interface CachedGraphQL {
  /** A JSON POST whose body the front door has read. */
  post(incoming: Incoming, body: Buffer, pass: () => void): void;
  /** A GET, its parameters in the query string. */
  get(incoming: Incoming, pass: () => void): void;
}

const MISS = { result: 'miss' } as const;

export function createCachedGraphQL(deps: CachedGraphQLDeps): CachedGraphQL {
  const { cache, reportHit, logger } = deps;

  function serveHit({ req, res, requestId, startedAt }: Incoming, answer: CachedAnswer): void {
    reportHit(answer.operation, requestId, performance.now() - startedAt);
    if (req.method !== 'GET') return void res.writeHead(200, [...answer.headers, REQUEST_ID, requestId]).end(answer.body);
    const caching = ['cache-control', cacheControl(answer), REQUEST_ID, requestId];
    if (req.headers['if-none-match'] === answer.etag) return void res.writeHead(304, ['etag', answer.etag, ...caching]).end();
    res.writeHead(200, [...answer.headers, ...caching]).end(answer.body);
  }

  /** The way every request goes once its parameters are known; `seen` remembers a body that led to a key. */
  function serve(incoming: Incoming, params: unknown, body: Buffer | null, pass: () => void, seen?: (key: string) => void): void {
    const request = cache.describe(incoming.caller, incoming.req.headers.accept, params);
    if (!request) return pass();
    const answer = cache.lookup(request.key);
    if (answer) {
      seen?.(request.key);
      return serveHit(incoming, answer);
    }
    if (!cache.readsOnlyCatalog(request)) return pass();
    seen?.(request.key);
    executeAndStore(deps, incoming, request, body).catch((error: unknown) => failed(incoming.res, logger, incoming.requestId, error));
  }

  return {
    post(incoming, body, pass) {
      const { caller, req } = incoming;
      const accept = req.headers.accept;
      const repeat = cache.lookupBody(caller, accept, body);
      if (repeat) return serveHit(incoming, repeat);
      serve(incoming, parseJson(body), body, pass, (key) => cache.rememberBody(caller, accept, body, key));
    },
    get(incoming, pass) {
      serve(incoming, paramsOfQueryString(incoming.req.url ?? ''), null, pass);
    },
  };
}

/** A catalog-only miss: executed through yoga's fetch, its answer stored when it can be, then written. */
async function executeAndStore({ yoga, cache, metrics }: CachedGraphQLDeps, incoming: Incoming, request: CacheableRequest, body: Buffer | null): Promise<void> {
  const { req, res, requestId, caller } = incoming;
  metrics.responseCacheLookups.inc(MISS);
  const generation = cache.generation;
  const catalogFreshness: CatalogFreshness = { staleAgeMs: null, oldestFetchedAt: null };
  const context: ServerContext = { requestId, caller, catalogFreshness };
  const forwarded = new Request(`http://gateway${req.url ?? '/graphql'}`, {
    method: req.method,
    headers: headersOf(req),
    body: body === null ? undefined : new Uint8Array(body),
  });
  const response = await yoga.fetch(forwarded, context);
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? 'application/json';
  const stored = response.status === 200 && cache.store(request, { body: bytes, contentType }, generation, catalogFreshness);
  if (stored) metrics.responseCacheWrites.inc();
  // The first answer of an entry (already counted by yoga) goes out with the entry's caching headers.
  const answer = stored ? cache.lookup(request.key) : null;
  setRequestId(res, requestId);
  if (!answer) return void res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': bytes.length }).end(bytes);
  res.writeHead(200, req.method === 'GET' ? [...answer.headers, 'cache-control', cacheControl(answer)] : answer.headers).end(bytes);
}

/** How long a browser may keep a cached answer got by GET: as long as the entry stays true. */
function cacheControl(answer: CachedAnswer): string {
  return `private, max-age=${Math.max(0, Math.floor((answer.expiresAt - Date.now()) / 1000))}`;
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** A GET request's GraphQL parameters, as a POST body would carry them (null when unreadable). */
export function paramsOfQueryString(url: string): unknown {
  const search = new URL(url, 'http://gateway').searchParams;
  const query = search.get('query');
  // A persisted document id makes it yoga's to resolve (src/plugins/use-persisted-documents.ts).
  if (query === null || search.has('extensions') || search.has('documentId')) return null;
  const variables = search.get('variables');
  try {
    return { query, operationName: search.get('operationName') ?? undefined, variables: variables === null ? undefined : JSON.parse(variables) };
  } catch {
    return null;
  }
}
