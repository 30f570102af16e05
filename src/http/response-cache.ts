/**
 * The response cache in front of yoga, for answers built from nothing but the catalog.
 * A warm catalog query is answered here with stored bytes: no Request object, no parse,
 * no validation, no execution — yet the API key is still checked (by the front door) and
 * the hit is counted and carries its request id.
 *
 * Only an operation that an AST check proves reads nothing but currencies, currency and
 * paymentMethods is stored, and only an answer without errors. The key is the caller's
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
import { sha256Hex } from '../documents/document-id.js';
import { isDocumentTooLarge } from '../plugins/use-document-size-limit.js';
import type { Caller } from './auth.js';

/** Root fields whose whole subtree is catalog data. */
const CATALOG_FIELDS = new Set(['currencies', 'currency', 'paymentMethods', '__typename']);

/** Request extensions that cannot change an answer: Apollo Client 4's `clientLibrary`, and a hash the policy matched to the document. */
const HARMLESS_EXTENSIONS = new Set(['clientLibrary', 'persistedQuery']);

export interface CachedAnswer {
  body: Buffer;
  /** Its content type, ETag and length, as node:http writes header pairs. */
  headers: string[];
  /** The operation's name, for the hit's metrics and log line. */
  operation: string | null;
  etag: string;
  generation: number;
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
  readonly #catalogOnly = new LRUCache<string, { catalogOnly: boolean; operation: string | null }>({
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
    const documentHash = sha256Hex(query);
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
    if (answer.generation !== this.#catalog.generation || answer.expiresAt <= now) {
      this.#answers.delete(key);
      return null;
    }
    return answer;
  }

  /** True when the operation reads the catalog and nothing else (a query, only catalog root fields). */
  readsOnlyCatalog(request: CacheableRequest): boolean {
    return this.#analyse(request).catalogOnly;
  }

  /** The generation an answer computed from now on is built against. */
  get generation(): number {
    return this.#catalog.generation;
  }

  /**
   * Keeps an answer computed at `generation` while it stays true; answers with errors,
   * or built from no catalog entry at all, are not kept.
   */
  store(request: CacheableRequest, answer: { body: Buffer; contentType: string }, generation: number, freshness: CatalogFreshness, now = Date.now()): boolean {
    if (freshness.oldestFetchedAt === null || hasErrors(answer.body)) return false;
    const expiresAt = freshness.staleAgeMs !== null ? now + this.#catalog.staleRetryMs : freshness.oldestFetchedAt + this.#catalog.ttlMs;
    if (expiresAt <= now) return false;
    const etag = `"c${generation}-${createHash('sha256').update(request.key).digest('base64url').slice(0, 22)}"`;
    const { operation } = this.#analyse(request);
    const headers = ['content-type', answer.contentType, 'etag', etag, 'content-length', String(answer.body.length)];
    this.#answers.set(request.key, { body: answer.body, headers, operation, etag, generation, expiresAt }, { ttl: expiresAt - now });
    return true;
  }

  #analyse({ query, documentHash, operationName }: CacheableRequest): { catalogOnly: boolean; operation: string | null } {
    const memoKey = `${documentHash}\n${operationName ?? ''}`;
    let analysis = this.#catalogOnly.get(memoKey);
    if (!analysis) {
      analysis = analyse(query, operationName);
      this.#catalogOnly.set(memoKey, analysis);
    }
    return analysis;
  }
}

function analyse(query: string, operationName: string | null): { catalogOnly: boolean; operation: string | null } {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: 2_000 });
  } catch {
    return { catalogOnly: false, operation: null };
  }
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return { catalogOnly: false, operation: null };
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  return { catalogOnly: rootReadsOnlyCatalog(operation.selectionSet, fragments, new Set()), operation: operation.name?.value ?? null };
}

/** Every root field, through inline fragments and fragment spreads, is a catalog field. */
function rootReadsOnlyCatalog(selectionSet: SelectionSetNode, fragments: Map<string, SelectionSetNode>, seen: Set<string>): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return CATALOG_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootReadsOnlyCatalog(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return false;
    seen.add(name);
    return rootReadsOnlyCatalog(fragment, fragments, seen);
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
