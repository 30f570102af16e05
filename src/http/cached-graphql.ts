/**
 * The front door's cache stage: GraphQL requests that may be answered from the response
 * cache (./response-cache.ts), JSON POSTs and GETs (which also get an ETag, `Cache-Control`
 * and 304s). The document is resolved first, by the request policy (trusted documents by
 * `documentId` or `extensions.persistedQuery.sha256Hash`, automatic persisted queries, plain
 * text), and the cache keys on the document that runs; yoga is handed that same resolution.
 *
 * A hit is written straight from the stored bytes, in the same tick the body arrived (no
 * promise, no parse when the body or URL is one seen before); a miss that may be stored (a
 * catalog query, or lookups by id that may turn out to serve only settled transactions) is executed
 * through yoga's fetch so its answer can be stored; anything else goes on to yoga.
 */
import type { GraphQLParams } from 'graphql-yoga';
import type { CatalogFreshness, ServerContext, SettledRecord } from '../server-context.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { OperationReports } from '../observability/operation-report.js';
import type { GatewayYoga } from '../yoga.js';
import type { Caller } from './auth.js';
import type { Exchange, Stage } from './exchange.js';
import { failed, headersOf, parseJson, readBody } from './request-io.js';
import { resolveHttpDocument, type RequestPolicy } from './request-policy.js';
import type { CacheableRequest, CachedAnswer, ResponseCache } from './response-cache.js';

export interface CachedGraphQLDeps {
  yoga: GatewayYoga;
  cache: ResponseCache;
  policy: RequestPolicy;
  metrics: Metrics;
  /** Counts and (sampled) logs each hit like an operation. */
  reports: OperationReports;
  logger: Logger;
}

/** The cache stage: answers the exchange (from or into the cache), or hands it to `next` (yoga). */
export type CachedGraphQL = Stage;

const MISS = { result: 'miss' } as const;

/**
 * What a GET answer from the cache varies on, for a browser or a CDN: the Accept header and
 * the key (answers depend on the key's scopes; ./response-cache.ts keys on them).
 */
const GET_VARY = 'Accept, Authorization, X-Api-Key';

export function createCachedGraphQL(deps: CachedGraphQLDeps): CachedGraphQL {
  const { cache, policy, reports, logger } = deps;

  function serveHit({ req, res, requestId, startedAt, caller }: Exchange, answer: CachedAnswer): void {
    reports.cached(answer.operation, requestId, performance.now() - startedAt);
    if (req.method !== 'GET') return void res.writeHead(200, answer.headers).end(answer.body);
    const caching = getCaching(res, answer, caller!);
    if (req.headers['if-none-match'] === answer.etag) return void res.writeHead(304, ['etag', answer.etag, ...caching]).end();
    res.writeHead(200, [...answer.headers, ...caching]).end(answer.body);
  }

  /** The way every request goes: a raw request (body or URL) seen before finds its entry at once; else its document is resolved. */
  function serve(x: Exchange, raw: string, params: () => unknown, next: (x: Exchange) => void): void {
    const caller = x.caller!;
    const accept = x.req.headers.accept;
    const repeat = cache.lookupRaw(caller, accept, raw);
    if (repeat) return serveHit(x, repeat);
    resolveHttpDocument(policy, params(), (resolution) =>
      guarded(x, () => {
        if (resolution) x.document = resolution;
        const resolved = resolution?.document;
        const request = resolved && cache.describe(caller, accept, resolved.params);
        if (!request) return next(x);
        const answer = cache.lookup(request.key);
        if (answer) {
          // A query sent with its hash is registered (APQ) even when its answer is cached: it ran before, so it validates.
          if (resolved.register) void policy.persisted.apq.set(resolved.register.hash, resolved.register.query).catch(() => {});
          else cache.rememberRaw(caller, accept, raw, request.key);
          return serveHit(x, answer);
        }
        if (cache.storable(request) === null) return next(x);
        if (!resolved.register) cache.rememberRaw(caller, accept, raw, request.key);
        executeAndStore(deps, x, request).catch((error: unknown) => failed(x.res, logger, x.requestId, error));
      }),
    );
  }

  /** The cache answers in the tick the body arrived: a failure there is answered 500, never thrown into node:http. */
  function guarded(x: Exchange, work: () => void): void {
    try {
      work();
    } catch (error) {
      failed(x.res, logger, x.requestId, error);
    }
  }

  return (x, next) => {
    const url = x.req.url ?? '';
    // The method leads the raw request: a POST body never finds a GET URL's entry.
    if (x.req.method === 'GET') return guarded(x, () => serve(x, `GET\n${url}`, () => paramsOfQueryString(url), next));
    readBody(x.req, x.bodyBytes, (body) => {
      x.body = body;
      // Latin-1 maps each byte to one character: the cheapest exact string of a body.
      guarded(x, () => serve(x, `POST\n${body.toString('latin1')}`, () => parsedBodyOf(x, body), next));
    });
  };
}

/** A miss that may be stored (catalog, settled lookups): executed through yoga's fetch, its answer stored when it can be, then written. */
async function executeAndStore({ yoga, cache, metrics }: CachedGraphQLDeps, x: Exchange, request: CacheableRequest): Promise<void> {
  const { req, res, requestId, caller, body, document, parsedBody } = x;
  metrics.responseCacheLookups.inc(MISS);
  const generation = cache.generation;
  const catalogFreshness: CatalogFreshness = { staleAgeMs: null, oldestFetchedAt: null };
  const settledRecord: SettledRecord = { live: false };
  const context: ServerContext = { requestId, caller, catalogFreshness, settledRecord, document, parsedBody };
  // yoga's own Request (whatwg-node's), as its node:http handler builds: the global one costs far more per request.
  const forwarded = new yoga.fetchAPI.Request(`http://gateway${req.url ?? '/graphql'}`, {
    method: req.method,
    headers: headersOf(req),
    body: body === undefined ? undefined : new Uint8Array(body),
  });
  const response = await yoga.fetch(forwarded, context);
  const bytes = Buffer.from(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? 'application/json';
  const stored = response.status === 200 && cache.store(request, { body: bytes, contentType }, generation, catalogFreshness, settledRecord);
  if (stored) metrics.responseCacheWrites.inc();
  // The first answer of an entry (already counted by yoga) goes out with the entry's caching headers.
  const answer = stored ? cache.lookup(request.key) : null;
  if (!answer) return void res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': bytes.length }).end(bytes);
  res.writeHead(200, req.method === 'GET' ? [...answer.headers, ...getCaching(res, answer, caller!)] : answer.headers).end(bytes);
}

/**
 * The caching headers of a GET answer: a browser may keep it as long as the entry stays true.
 * It may be shared (a CDN) when the answer is every such caller's: with client auth off, or
 * for a key that reads the catalog and nothing else (a browser's publishable key). Any other
 * key's answers stay private.
 */
function getCaching(res: { getHeader(name: string): unknown }, answer: CachedAnswer, caller: Caller): string[] {
  const visibility = caller.keyId === null || caller.scopes === 'catalog:read' ? 'public' : 'private';
  const maxAge = Math.max(0, Math.floor((answer.expiresAt - Date.now()) / 1000));
  // CORS may have set `Vary: Origin` already: writeHead's pair would replace it.
  const prior = res.getHeader('vary');
  return ['cache-control', `${visibility}, max-age=${maxAge}`, 'vary', prior ? `${String(prior)}, ${GET_VARY}` : GET_VARY];
}

/** The POST body parsed, kept on the exchange when it is a JSON object: yoga takes that instead of parsing the body again. */
function parsedBodyOf(x: Exchange, body: Buffer): unknown {
  const parsed = parseJson(body);
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) x.parsedBody = parsed as GraphQLParams;
  return parsed;
}

/** A GET request's GraphQL parameters, as a POST body would carry them (null when unreadable: yoga then answers). */
function paramsOfQueryString(url: string): unknown {
  const search = new URL(url, 'http://gateway').searchParams;
  const json = (name: string) => {
    const value = search.get(name);
    return value === null ? undefined : JSON.parse(value);
  };
  try {
    const query = search.get('query') ?? undefined;
    const documentId = search.get('documentId') ?? undefined;
    return { query, documentId, operationName: search.get('operationName') ?? undefined, variables: json('variables'), extensions: json('extensions') };
  } catch {
    return null;
  }
}
