/**
 * What the gateway keeps beyond one request, as interfaces: one implementation set lives
 * in this process (./memory.ts), the other in Redis (./redis.ts), and createStores
 * (./index.ts) is the one place that picks between them.
 */
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { IdempotencyRecord } from '../payments/idempotency.js';

export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | null>;
  /** Stores `record` only if the key is free; false when another record holds it. Atomic. */
  create(key: string, record: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  /** Stores `next` only if the key still holds version `next.version - 1`. Atomic. */
  replace(key: string, next: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  /** Deletes the record only if the key still holds `version`. Atomic. */
  remove(key: string, version: number): Promise<boolean>;
}

/** The in-process store holds as many live records as it may: a new reference must wait. */
export class IdempotencyStoreFullError extends Error {
  constructor(readonly capacity: number) {
    super(`the in-process idempotency store holds its maximum of ${capacity} live records`);
    this.name = 'IdempotencyStoreFullError';
  }
}

export interface CatalogEntry<T> {
  value: T;
  /** When the upstream last answered for this key (epoch ms). */
  fetchedAt: number;
}

/** The catalog level every instance shares; failures are the caller's to tolerate. */
export interface SharedCatalogStore {
  get(key: string): Promise<CatalogEntry<unknown> | null>;
  set(key: string, entry: CatalogEntry<unknown>, ttlMs: number): Promise<void>;
}

/** Decides which instance polls a transaction. */
export interface PollLock {
  acquire(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

/**
 * Automatic persisted queries: sha256 hex → the query registered under it. Bounded; a
 * miss is never an error (the client sends the query again), so implementations may
 * forget and may fail.
 */
export interface ApqStore {
  get(hash: string): Promise<string | null>;
  set(hash: string, query: string): Promise<void>;
}

export interface Stores {
  /** 'memory' or 'redis': what a reader of /readyz or the logs needs to know. */
  kind: 'memory' | 'redis';
  idempotency: IdempotencyStore;
  /** Null in process: the in-process LRU is then the only catalog level. */
  sharedCatalog: SharedCatalogStore | null;
  pollLock: PollLock;
  /** Queries registered by hash (PERSISTED_OPERATIONS=allow): shared across instances with Redis. */
  apq: ApqStore;
  /** Where subscription events travel: across instances with Redis, in this process otherwise. */
  eventTarget: TypedEventTarget<CustomEvent> | undefined;
  /** Readiness checks of the stores themselves, by name. */
  readiness: Record<string, () => Promise<unknown>>;
  close(): Promise<void>;
}
