/**
 * What the front door knows of a request before yoga runs it, handed to yoga as its server
 * context (src/context.ts builds the per-operation context from it). A leaf module: the
 * front door, the response cache, yoga and its plugins all read it, and it imports none of them.
 */
import type { GraphQLParams } from 'graphql-yoga';
import type { Caller } from './http/auth.js';

export interface ServerContext {
  requestId: string;
  /** Null only for GraphiQL's page, which runs no operation. */
  caller: Caller | null;
  /** The client's address, as per-address limits count it (src/http/connections.ts). */
  clientAddress?: string;
  /** Filled by the operation: what catalog it was served (the response cache reads it). */
  catalogFreshness?: CatalogFreshness;
  /** Filled by the operation: whether it served anything that may still change (the response cache reads it). */
  settledRecord?: SettledRecord;
  /** The document the front door resolved (src/http/request-policy.ts), for yoga to apply rather than resolve again. */
  document?: DocumentResolution;
  /** A POST body the front door parsed to resolve its document (a JSON object): yoga takes it as is instead of parsing it again. */
  parsedBody?: GraphQLParams;
}

/** What a request runs: its params with the document text, and a query to register once it validates. */
export interface ResolvedDocument {
  params: GraphQLParams;
  register?: { hash: string; query: string };
}

/** A request's document, resolved once: what runs, or the refusal (a GraphQLError) yoga answers. */
export type DocumentResolution = { document: ResolvedDocument; refused?: never } | { refused: unknown; document?: never };

/** What one request learned about the catalog it was served. */
export interface CatalogFreshness {
  /** Age of the oldest catalog entry served past its TTL (the upstream was failing), or null. */
  staleAgeMs: number | null;
  /** When the oldest catalog entry served was fetched from KS Pay, or null when none was served. */
  oldestFetchedAt: number | null;
}

/** What one request learned about the transactions it served: `live` once any may still change. */
export interface SettledRecord {
  /** A transaction not in a final status (or not found), or a page of the list, was served. */
  live: boolean;
}
