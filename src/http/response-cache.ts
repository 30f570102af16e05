/**
 * The response cache in front of yoga, for answers that stay true: built from the catalog, or
 * from settled transactions. A repeat is answered here with stored bytes: no Request object,
 * no parse, no validation, no execution — yet the API key is still checked (by the front door)
 * and the hit is counted and carries its request id.
 *
 * Only a query that an AST check proves reads nothing but currencies, currency and
 * paymentMethods, or those and `transaction`/`node`/`nodes` by id, is stored, and only an
 * answer without errors. A lookup's answer is kept only when every transaction the request
 * served was in a final status (its context's SettledRecord stayed not `live`): built from
 * settled transactions alone it never changes, so no catalog generation or TTL retires it
 * (only the byte bound, and a day's max-age for a browser); if it also read the catalog, it
 * lives as a catalog answer. The key is the caller's
 * scope set, the Accept header, the sha256 of the document that runs (resolved first by the
 * request policy: a trusted document or a persisted query named by its hash keys like its
 * text), the operation name and the variables in canonical form. Extensions that cannot
 * change the answer (Apollo Client 4's `clientLibrary`; a persisted-query hash, which the
 * policy checked names the document) do not keep a request out; any other extension does. A
 * document id sent with another document's text is refused by the policy before it gets here.
 * An entry lives no longer than the oldest catalog entry it was built from, and the catalog's generation number retires every entry the moment the catalog
 * reloads or is cleared; an answer served from a stale catalog (KS Pay failing) is kept
 * only until the next retry of the upstream, and keeps its `extensions.catalog` flag.
 */
import { createHash } from 'node:crypto';
import { getOperationAST, Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { GraphQLParams } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { CatalogFreshness } from '../server-context.js';
import type { CatalogCache } from '../reads/catalog-cache.js';
import { documentHash as documentHashOf } from '../documents/document-id.js';
import { isDocumentTooLarge } from '../plugins/use-document-size-limit.js';
import type { Caller } from './auth.js';

/** Root fields whose whole subtree is catalog data. */
const CATALOG_FIELDS = new Set(['currencies', 'currency', 'paymentMethods', '__typename']);
/** Root fields that read transactions by id: their answer is kept only when every transaction served was settled. */
const LOOKUP_FIELDS = new Set(['transaction', 'node', 'nodes']);

/**
 * What an operation may be stored as: `catalog` (only catalog fields), `lookup` (catalog fields
 * and lookups by id: stored only when the request served no live transaction), or null (never).
 */
type Storable = 'catalog' | 'lookup' | null;

/** How long a browser or CDN may keep an answer that never changes (a settled lookup's). */
const SETTLED_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Request extensions that cannot change an answer: Apollo Client 4's `clientLibrary`, and a hash the policy matched to the document. */
const HARMLESS_EXTENSIONS = new Set(['clientLibrary', 'persistedQuery']);

export interface CachedAnswer {
  body: Buffer;
  /** Its content type, ETag and length, as node:http writes header pairs. */
  headers: string[];
  /** The operation's name, for the hit's metrics and log line. */
  operation: string | null;
  etag: string;
  /** The catalog generation it was built against; null for an answer built from no catalog entry (settled transactions only). */
  generation: number | null;
  expiresAt: number;
}

/** What a request asked for, as the cache sees it. */
export interface CacheableRequest {
  key: string;
  query: string;
  /** sha256 hex of `query`. */
  documentHash: string;
  operationName: string | null;
}

export class ResponseCache {
  readonly #catalog: CatalogCache;
  readonly #answers = new LRUCache<string, CachedAnswer>({
    max: 1_000,
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (answer, key) => answer.body.length + key.length,
  });
  /**
   * Request bodies (or GET URLs) seen before, byte for byte, to the key they describe: a client
   * repeats its exact request, so a repeat is found without JSON.parse, resolution or the
   * canonical form. It is only a shortcut to `#answers`: validity is still the entry's own
   * generation and expiry.
   */
  readonly #keysByBody = new LRUCache<string, string>({
    max: 1_000,
    maxSize: 4 * 1024 * 1024,
    sizeCalculation: (key, body) => key.length + body.length,
  });
  /** Per document hash and operation name: does it read the catalog only? The name is bounded by the document's size. */
  readonly #storable = new LRUCache<string, Analysis>({
    max: 1_000,
    maxSize: 1024 * 1024,
    sizeCalculation: (analysis, key) => key.length + (analysis.operation?.length ?? 0) + 64,
  });
  readonly #maxDocumentBytes: number;

  constructor(catalog: CatalogCache, { maxDocumentBytes }: { maxDocumentBytes: number }) {
    this.#catalog = catalog;
    this.#maxDocumentBytes = maxDocumentBytes;
  }

  /** The cache's view of a request's resolved parameters (the document that runs), or null when it is nothing the cache could hold. */
  describe(caller: Caller, accept: string | undefined, params: GraphQLParams): CacheableRequest | null {
    const { query, operationName, variables, extensions } = params as Record<string, unknown>;
    if (typeof query !== 'string' || !harmless(extensions)) return null;
    // A document too large is yoga's to refuse.
    if (isDocumentTooLarge(query, this.#maxDocumentBytes)) return null;
    if (operationName != null && typeof operationName !== 'string') return null;
    const name = (operationName as string | undefined) ?? null;
    const documentHash = documentHashOf(query);
    // Nothing is ever stored for a document the cache cannot hold (a mutation, a page): no key to build, no lookup to make.
    if (this.#analyse({ query, documentHash, operationName: name }).storable === null) return null;
    const key = [caller.scopes, accept ?? '', name ?? '', canonicalJson(variables ?? null), documentHash].join('\n');
    return { key, query, documentHash, operationName: name };
  }

  /** The stored answer for a request body (or GET URL) seen before, byte for byte, by a caller of the same scopes. */
  lookupRaw(caller: Caller, accept: string | undefined, raw: string): CachedAnswer | null {
    const key = this.#keysByBody.get(rawKey(caller, accept, raw));
    return key === undefined ? null : this.lookup(key);
  }

  /** Remembers that `raw` describes `key`, for lookupRaw. */
  rememberRaw(caller: Caller, accept: string | undefined, raw: string, key: string): void {
    this.#keysByBody.set(rawKey(caller, accept, raw), key);
  }

  /** A stored answer that is still true, if any. */
  lookup(key: string, now = Date.now()): CachedAnswer | null {
    const answer = this.#answers.get(key);
    if (!answer) return null;
    if ((answer.generation !== null && answer.generation !== this.#catalog.generation) || answer.expiresAt <= now) {
      this.#answers.delete(key);
      return null;
    }
    return answer;
  }

  /** Whether the operation's answer may be stored: a query of catalog fields, and lookups of transactions by id. */
  storable(request: CacheableRequest): Storable {
    return this.#analyse(request).storable;
  }

  /** The generation an answer computed from now on is built against. */
  get generation(): number {
    return this.#catalog.generation;
  }

  /**
   * Keeps an answer computed at `generation` while it stays true; answers with errors, built
   * from no catalog entry and no settled transaction, or (`live`) from a transaction that may
   * still change, are not kept. An answer built from settled transactions alone never changes:
   * no catalog generation or TTL retires it, only the byte bound.
   */
  store(
    request: CacheableRequest,
    answer: { body: Buffer; contentType: string },
    generation: number,
    freshness: CatalogFreshness,
    { live }: { live: boolean } = { live: false },
    now = Date.now(),
  ): boolean {
    const { operation, storable } = this.#analyse(request);
    if (storable === null || live || hasErrors(answer.body)) return false;
    const settledOnly = storable === 'lookup' && freshness.oldestFetchedAt === null;
    if (freshness.oldestFetchedAt === null && !settledOnly) return false;
    const expiresAt = settledOnly ? now + SETTLED_MAX_AGE_MS : catalogExpiry(freshness, this.#catalog, now);
    if (expiresAt <= now) return false;
    const tag = createHash('sha256').update(request.key).digest('base64url').slice(0, 22);
    const etag = settledOnly ? `"s-${tag}"` : `"c${generation}-${tag}"`;
    const headers = ['content-type', answer.contentType, 'etag', etag, 'content-length', String(answer.body.length)];
    const entry = { body: answer.body, headers, operation, etag, generation: settledOnly ? null : generation, expiresAt };
    this.#answers.set(request.key, entry, { ttl: expiresAt - now });
    return true;
  }

  #analyse({ query, documentHash, operationName }: Omit<CacheableRequest, 'key'>): Analysis {
    const memoKey = `${documentHash}\n${operationName ?? ''}`;
    let analysis = this.#storable.get(memoKey);
    if (!analysis) {
      analysis = analyse(query, operationName);
      this.#storable.set(memoKey, analysis);
    }
    return analysis;
  }
}

interface Analysis {
  storable: Storable;
  operation: string | null;
}

/** A catalog answer stays true until its oldest entry's TTL, or (served stale) until the next retry of the upstream. */
function catalogExpiry(freshness: CatalogFreshness, catalog: CatalogCache, now: number): number {
  return freshness.staleAgeMs !== null ? now + catalog.staleRetryMs : (freshness.oldestFetchedAt ?? now) + catalog.ttlMs;
}

function analyse(query: string, operationName: string | null): Analysis {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: 2_000 });
  } catch {
    return { storable: null, operation: null };
  }
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return { storable: null, operation: null };
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const fields = new Set<string>();
  const known = collectRootFields(operation.selectionSet, fragments, new Set(), fields);
  const storable: Storable = !known
    ? null
    : [...fields].every((name) => CATALOG_FIELDS.has(name))
      ? 'catalog'
      : [...fields].every((name) => CATALOG_FIELDS.has(name) || LOOKUP_FIELDS.has(name))
        ? 'lookup'
        : null;
  return { storable, operation: operation.name?.value ?? null };
}

/** Adds every root field's name, through inline fragments and fragment spreads, to `fields`; false for an unknown fragment. */
function collectRootFields(selectionSet: SelectionSetNode, fragments: Map<string, SelectionSetNode>, seen: Set<string>, fields: Set<string>): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) {
      fields.add(selection.name.value);
      return true;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) return collectRootFields(selection.selectionSet, fragments, seen, fields);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return false;
    seen.add(name);
    return collectRootFields(fragment, fragments, seen, fields);
  });
}

function rawKey(caller: Caller, accept: string | undefined, raw: string): string {
  return `${caller.scopes}\n${accept ?? ''}\n${raw}`;
}

function harmless(extensions: unknown): boolean {
  if (extensions == null) return true;
  if (typeof extensions !== 'object' || Array.isArray(extensions)) return false;
  return Object.keys(extensions).every((name) => HARMLESS_EXTENSIONS.has(name));
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are one key. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function hasErrors(body: Buffer): boolean {
  try {
    const result = JSON.parse(body.toString('utf8')) as { errors?: unknown[] };
    return result.errors !== undefined;
  } catch {
    return true;
  }
}
