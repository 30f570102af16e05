/**
 * GraphQL requests that may be answered from the response cache (./response-cache.ts):
 * JSON POSTs, and GETs (which also get an ETag, `Cache-Control` and 304s). The front door
 * hands them here once the caller is authenticated. A hit is written straight from the
 * stored bytes; a catalog-only miss is executed through yoga's fetch so its answer can be
 * stored; anything else goes on to yoga unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogFreshness } from '../context.js';
import type { Metrics } from '../observability/metrics.js';
import type { OperationReporter } from '../observability/operation-report.js';
import type { Gateway } from '../yoga.js';
import type { Caller } from './auth.js';
import type { ServerContext } from './front-door.js';
import type { CacheableRequest, CachedAnswer, ResponseCache } from './response-cache.js';

/** Cache hits are logged one in this many (each line says so); metrics count every one. */
export const HIT_LOG_SAMPLE = 100;

export interface CachedGraphQLDeps {
  gateway: Gateway;
  cache: ResponseCache;
  metrics: Metrics;
  report: OperationReporter;
}

interface Incoming {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  caller: Caller;
  startedAt: number;
}

/** Serves `incoming` from or into the cache; false when it is not the cache's to serve (the caller forwards it). */
export type CachedGraphQL = (incoming: Incoming, params: unknown, body: Buffer | null) => Promise<boolean>;

export function createCachedGraphQL({ gateway, cache, metrics, report }: CachedGraphQLDeps): CachedGraphQL {
  let hits = 0;

  function serveHit({ req, res, requestId, startedAt }: Incoming, answer: CachedAnswer): void {
    metrics.responseCache.inc({ result: 'hit' });
    const log = ++hits % HIT_LOG_SAMPLE === 0;
    report(
      { requestId, operation: answer.operation, durationMs: performance.now() - startedAt, upstreamCalls: 0, errorCodes: [] },
      { log, cached: true, sampled: HIT_LOG_SAMPLE },
    );
    const headers = cachingHeaders(req, answer);
    if (req.method === 'GET' && req.headers['if-none-match'] === answer.etag) return void res.writeHead(304, headers).end();
    res.writeHead(200, { ...headers, 'content-length': answer.body.length }).end(answer.body);
  }

  async function executeAndStore(incoming: Incoming, request: CacheableRequest, body: Buffer | null): Promise<void> {
    const { req, res, requestId, caller } = incoming;
    metrics.responseCache.inc({ result: 'miss' });
    const generation = cache.generation;
    const catalogFreshness: CatalogFreshness = { staleAgeMs: null, oldestFetchedAt: null };
    const context: ServerContext = { requestId, caller, catalogFreshness };
    const forwarded = new Request(`http://gateway${req.url ?? '/graphql'}`, {
      method: req.method,
      headers: headersOf(req),
      body: body === null ? undefined : new Uint8Array(body),
    });
    const response = await gateway.fetch(forwarded, context);
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? 'application/json';
    const stored = response.status === 200 && cache.store(request, { body: bytes, contentType }, generation, catalogFreshness);
    if (stored) metrics.responseCache.inc({ result: 'store' });
    // The first answer of an entry (already counted by yoga) goes out with the entry's caching headers.
    const answer = stored ? cache.lookup(request.key) : null;
    const headers = answer ? cachingHeaders(req, answer) : Object.fromEntries(response.headers);
    res.writeHead(response.status, { ...headers, 'content-length': bytes.length }).end(bytes);
  }

  return async (incoming, params, body) => {
    const request = cache.describe(incoming.caller, incoming.req.headers.accept, params);
    if (!request) return false;
    const answer = cache.lookup(request.key);
    if (answer) {
      serveHit(incoming, answer);
      return true;
    }
    if (!cache.readsOnlyCatalog(request)) return false;
    await executeAndStore(incoming, request, body);
    return true;
  };
}

/** A cached answer's headers: its type and ETag, and for a GET how long a browser may keep it. */
function cachingHeaders(req: IncomingMessage, answer: CachedAnswer): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': answer.contentType, etag: answer.etag };
  if (req.method === 'GET') headers['cache-control'] = `private, max-age=${Math.max(0, Math.floor((answer.expiresAt - Date.now()) / 1000))}`;
  return headers;
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
  if (query === null || search.has('extensions')) return null;
  const variables = search.get('variables');
  try {
    return { query, operationName: search.get('operationName') ?? undefined, variables: variables === null ? undefined : JSON.parse(variables) };
  } catch {
    return null;
  }
}
