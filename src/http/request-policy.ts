/**
 * The rules every request meets, whichever transport brings it: who is calling (API keys),
 * which document runs (persisted and trusted documents), how large it may be, and, with
 * introspection off, that no error teaches the schema. Built once per gateway and handed to
 * all three doors: the HTTP front door (and its response cache), yoga's plugins, and
 * graphql-ws, so a rule written here holds on every transport.
 *
 * A document is resolved once per request: the front door resolves it before the response
 * cache looks (the cache keys on the document that runs), and hands the outcome to yoga in
 * the server context (`document`), where the persisted-documents plugin applies it instead
 * of resolving again.
 */
import type { Config, RequestLimits } from '../config.js';
import { createSchemaHintFilter, type SchemaHintFilter } from '../plugins/use-no-schema-hints.js';
import { isDocumentTooLarge } from '../plugins/use-document-size-limit.js';
import { createDocumentResolver, loadTrustedDocuments, type Params, type PersistedDocumentsOptions } from '../plugins/use-persisted-documents.js';
import { schema } from '../schema/index.js';
import type { DocumentResolution, ResolvedDocument } from '../server-context.js';
import type { ApqStore } from '../stores/types.js';
import { createAuthenticator, type Authenticator } from './auth.js';

export interface RequestPolicy {
  /** Who is calling: from the HTTP headers, or a WebSocket's connectionParams. */
  authenticate: Authenticator;
  /** The persisted-document rules (PERSISTED_OPERATIONS, TRUSTED_DOCUMENTS), and where `allow` registers. */
  persisted: PersistedDocumentsOptions;
  /** Which document an HTTP request runs: a refusal is thrown (a GraphQLError); may wait on the APQ store. */
  resolveDocument: (params: Params) => ResolvedDocument | Promise<ResolvedDocument>;
  /** The same rules, for one graphql-ws operation. */
  resolveWebSocketDocument: (params: Params) => ResolvedDocument | Promise<ResolvedDocument>;
  /** Body, document and operation limits (MAX_*). */
  limits: RequestLimits;
  /** With introspection off: hides the schema in every error, over HTTP and over graphql-ws alike. */
  schemaHints: SchemaHintFilter | undefined;
}

export function createRequestPolicy(config: Readonly<Config>, apq: ApqStore): RequestPolicy {
  const persisted = persistedDocuments(config.documents, apq);
  return {
    authenticate: createAuthenticator(config.auth.apiKeys),
    persisted,
    resolveDocument: createDocumentResolver(persisted, 'http'),
    resolveWebSocketDocument: createDocumentResolver(persisted, 'websocket'),
    limits: config.limits,
    schemaHints: config.documents.introspection ? undefined : createSchemaHintFilter(schema),
  };
}

/** The persisted-document rules of the configuration; the manifests are read here, once. */
function persistedDocuments(config: Pick<Config['documents'], 'persistedOperations' | 'trustedDocuments'>, apq: ApqStore): PersistedDocumentsOptions {
  const mode = config.persistedOperations;
  return { mode, trusted: mode === 'off' ? new Map() : loadTrustedDocuments(config.trustedDocuments), apq };
}

/**
 * The HTTP resolution of one request's parameters, settled: the document it runs, or the
 * refusal yoga will answer. Null when there is nothing to resolve here (a batch, a body that
 * is not an object, a document over MAX_DOCUMENT_BYTES: yoga's plugins answer those, the size
 * limit before anything hashes the text). `done` is called in the same tick unless the APQ
 * store must be asked.
 */
export function resolveHttpDocument(policy: RequestPolicy, params: unknown, done: (resolution: DocumentResolution | null) => void): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return done(null);
  if (isDocumentTooLarge((params as Params).query, policy.limits.maxDocumentBytes)) return done(null);
  let resolved: ResolvedDocument | Promise<ResolvedDocument>;
  try {
    resolved = policy.resolveDocument(params as Params);
  } catch (refused) {
    return done({ refused });
  }
  if (!(resolved instanceof Promise)) return done({ document: resolved });
  resolved.then(
    (document) => done({ document }),
    (refused: unknown) => done({ refused }),
  );
}
