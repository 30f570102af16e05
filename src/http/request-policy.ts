/**
 * The rules every request meets, whichever transport brings it: who is calling (API keys),
 * which document runs (persisted and trusted documents), how large it may be, and, with
 * introspection off, that no error teaches the schema. Built once per gateway and handed to
 * all three doors: the HTTP front door, yoga's plugins, and graphql-ws, so a rule written
 * here holds on every transport.
 */
import type { Config, RequestLimits } from '../config.js';
import { createSchemaHintFilter, type SchemaHintFilter } from '../plugins/use-no-schema-hints.js';
import { createDocumentResolver, type PersistedDocumentsOptions } from '../plugins/use-persisted-documents.js';
import { schema } from '../schema/index.js';
import type { ApqStore } from '../stores/types.js';
import { persistedDocuments } from '../yoga.js';
import { createAuthenticator, type Authenticator } from './auth.js';

export interface RequestPolicy {
  /** Who is calling: from the HTTP headers, or a WebSocket's connectionParams. */
  authenticate: Authenticator;
  /** The persisted-document rules (PERSISTED_OPERATIONS, TRUSTED_DOCUMENTS): yoga's plugin applies them over HTTP. */
  persisted: PersistedDocumentsOptions;
  /** The same rules, for one graphql-ws operation. */
  resolveWebSocketDocument: ReturnType<typeof createDocumentResolver>;
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
    resolveWebSocketDocument: createDocumentResolver(persisted, 'websocket'),
    limits: config.limits,
    schemaHints: config.documents.introspection ? undefined : createSchemaHintFilter(schema),
  };
}
