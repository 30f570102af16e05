/**
 * What the front door knows of a request before yoga runs it, handed to yoga as its server
 * context (src/context.ts builds the per-operation context from it). A leaf module: the
 * front door, the response cache, yoga and its plugins all read it, and it imports none of them.
 */
import type { Caller } from './http/auth.js';

export interface ServerContext {
  requestId: string;
  /** Null only for GraphiQL's page, which runs no operation. */
  caller: Caller | null;
  /** The client's address, as per-address limits count it (src/http/connections.ts). */
  clientAddress?: string;
  /** Filled by the operation: what catalog it was served (the response cache reads it). */
  catalogFreshness?: CatalogFreshness;
}

/** What one request learned about the catalog it was served. */
export interface CatalogFreshness {
  /** Age of the oldest catalog entry served past its TTL (the upstream was failing), or null. */
  staleAgeMs: number | null;
  /** When the oldest catalog entry served was fetched from KS Pay, or null when none was served. */
  oldestFetchedAt: number | null;
}
