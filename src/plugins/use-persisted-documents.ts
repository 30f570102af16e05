/**
 * Persisted documents (PERSISTED_OPERATIONS). Trusted documents are the operations an app
 * ships, listed in codegen's persisted-documents.json manifests (TRUSTED_DOCUMENTS):
 * `only` executes nothing else; `allow` also accepts arbitrary operations and automatic
 * persisted queries (Apollo's protocol: an unknown hash is PersistedQueryNotFound, the
 * client retries with the query, and the gateway registers it once its hash is checked
 * and it validates); `off` answers a hash with PERSISTED_QUERY_NOT_SUPPORTED so Apollo's
 * and urql's links fall back to sending the query.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { ConfigError, type Config } from '../config.js';
import type { ApqStore } from '../stores/types.js';
import { documentHash, documentIdOf, sha256Hex } from '../documents/document-id.js';
import { clientError } from '../errors/client-errors.js';
import type { ResolvedDocument, ServerContext } from '../server-context.js';

/** Bare hex sha256 → document text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Reads every manifest once, at start-up; a missing, malformed or tampered one stops it. */
export function loadTrustedDocuments(paths: readonly string[]): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const path of paths) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(resolve(path), 'utf8'));
    } catch (error) {
      const why = error instanceof SyntaxError ? 'is not JSON' : 'cannot be read';
      throw new ConfigError('TRUSTED_DOCUMENTS', `${path} ${why}`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new ConfigError('TRUSTED_DOCUMENTS', `${path} must be a JSON object of "sha256:<hash>" → document`);
    }
    for (const [key, text] of Object.entries(manifest)) {
      const hex = key.replace(/^sha256:/, '');
      // Hashes are checked, not trusted: a hand-edited entry must not run a different operation.
      if (typeof text !== 'string' || sha256Hex(text) !== hex) {
        throw new ConfigError('TRUSTED_DOCUMENTS', `${path}: the entry ${key} is not the sha256 of its document`);
      }
      documents.set(hex, text);
    }
  }
  return documents;
}

export interface PersistedDocumentsOptions {
  mode: Config['documents']['persistedOperations'];
  trusted: TrustedDocuments;
  /** Where `allow` registers queries by hash. */
  apq: ApqStore;
}

export type Params = GraphQLParams & { documentId?: unknown };

/**
 * The persisted-document rules as one function, for HTTP (the plugin below) and WebSocket alike.
 * A document id and a query text sent together must be one document (their hash), or which of
 * them ran, and what a cache keeps the answer under, is ambiguous: over HTTP the request is
 * refused. Over WebSocket, in `only` mode, a trusted id runs its trusted document and the text
 * is never read: Apollo's GraphQLWsLink sends its own print of the document beside codegen's
 * hash, and nothing on a socket is cached.
 */
export function createDocumentResolver({ mode, trusted, apq }: PersistedDocumentsOptions, transport: 'http' | 'websocket' = 'http') {
  return (params: Params): ResolvedDocument | Promise<ResolvedDocument> => {
    const id = documentIdOf(params);
    const rest = withoutDocumentId(params);
    if (params.query) {
      const textIgnored = transport === 'websocket' && mode === 'only' && id !== null && trusted.has(id);
      if (id !== null && !textIgnored && documentHash(params.query) !== id) throw hashMismatch();
      if (mode === 'only') {
        const named = id === null ? undefined : trusted.get(id);
        if (named === undefined) throw id ? registeringNotSupported() : trustedDocumentsOnly();
        return { params: { ...rest, query: named } };
      }
      if (id === null || mode !== 'allow' || trusted.has(id)) return { params: rest };
      return { params: rest, register: { hash: id, query: params.query } };
    }
    if (id === null) return { params: rest }; // answered "Must provide query string"
    if (mode === 'off') throw persistedQueriesOff();
    const known = trusted.get(id);
    if (known !== undefined) return { params: { ...rest, query: known } };
    if (mode === 'only') throw notFound();
    return apq.get(id).then((registered) => {
      if (registered === null) throw notFound();
      return { params: { ...rest, query: registered } };
    });
  };
}

/**
 * Applies the policy's resolution over HTTP. The front door has usually resolved the document
 * already (it keys the response cache on it) and hands the outcome in the server context;
 * only what it left (a batch, a call to yoga's fetch without it) is resolved here.
 */
export function usePersistedDocuments(
  options: PersistedDocumentsOptions,
  resolveDocument: (params: Params) => ResolvedDocument | Promise<ResolvedDocument>,
): Plugin {
  /** A query sent with its hash, by request: registered once it has validated (so junk never fills the store). */
  const toRegister = new WeakMap<Request, { hash: string; query: string }>();
  // Runs after validation; awaited, so the next request by hash finds the query on any instance.
  const register = ({ args }: { args: { contextValue: unknown } }) => {
    const request = (args.contextValue as { request?: Request }).request;
    const pending = request && toRegister.get(request);
    if (pending) return options.apq.set(pending.hash, pending.query);
  };
  return {
    onParams({ params, request, setParams, context }) {
      const shared = (context as Partial<ServerContext>).document;
      if (shared) {
        if (!shared.document) throw shared.refused;
        if (shared.document.register) toRegister.set(request, shared.document.register);
        return setParams(shared.document.params);
      }
      const apply = ({ params: resolved, register: pending }: ResolvedDocument) => {
        if (pending) toRegister.set(request, pending);
        setParams(resolved);
      };
      // yoga reads only the four standard parameters from a GET's query string.
      const fromQuery = request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null;
      const resolved = resolveDocument({ documentId: fromQuery ?? undefined, ...params } as Params);
      return resolved instanceof Promise ? resolved.then(apply) : apply(resolved);
    },
    onExecute: register,
    onSubscribe: register,
  };
}

function withoutDocumentId({ documentId, ...params }: Params): GraphQLParams {
  void documentId;
  return params;
}

// The codes, and the messages PersistedQueryNotFound and PersistedQueryNotSupported, are what
// Apollo's and urql's persisted-query links act on (urql's reads only the message).
function notFound() {
  return clientError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound');
}

function hashMismatch() {
  return clientError('BAD_REQUEST', 'The document id (documentId or extensions.persistedQuery.sha256Hash) is not the sha256 of the query sent with it');
}

function persistedQueriesOff() {
  return clientError('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported');
}

// Not the PersistedQueryNotSupported message: urql's exchange would stop sending hashes, and in
// `only` mode nothing runs without one.
function registeringNotSupported() {
  return clientError(
    'PERSISTED_QUERY_NOT_SUPPORTED',
    'Only trusted documents run here, and operations cannot be registered: send the hash of a trusted document',
  );
}

function trustedDocumentsOnly() {
  return clientError(
    'PERSISTED_QUERY_ONLY',
    'Only trusted documents run here: send a persisted document id (extensions.persistedQuery.sha256Hash or documentId)',
  );
}
