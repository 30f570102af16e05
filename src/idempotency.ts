/**
 * Idempotency records for initiateTransaction, keyed by KS Pay app id + the merchant's
 * referenceNumber and owned by the client that first used it. The store is one small
 * interface so that Redis can stand in for the in-process map when several gateway
 * instances must agree.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from './kspay/models.js';

/** What every record holds, whatever its state. */
interface RecordBase {
  fingerprint: string;
  createdAt: number;
  /**
   * The client that first used the reference: its API key id (a short hash, never the key),
   * or OPEN_CLIENT without client auth. No other client may replay or take the reference.
   */
  owner: string;
}

/** What the gateway answered (or must not forget) for one reference. */
export type IdempotencyRecord = RecordBase &
  (
    /** A caller holds the reference and may be sending an initiate (trusted for a lease from `claimedAt`). */
    | { state: 'pending'; claimedAt: number }
    /** An initiate was sent and no answer came: the upstream may or may not have the transaction. */
    | { state: 'unknown' }
    | { state: 'succeeded'; transaction: Transaction; signature: string }
    /** The upstream refused: the same request always gets the same refusal. */
    | { state: 'rejected'; error: StoredError }
  );

export interface StoredError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean | null>;
}

export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | null>;
  /** Stores `record` only if the key is free; false when another record holds it. Atomic. */
  claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  /** Swaps `expected` for `next` only if the key still holds `expected`. Atomic. */
  replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The owner of references used while client auth is off (every caller is the same client). */
export const OPEN_CLIENT = 'open';

/**
 * Keyed by app id, not by client: KS Pay's referenceNumber is unique per app, so one
 * reference is one payment whichever client asks (a record per client would pay twice).
 */
export function idempotencyKey(appId: string, referenceNumber: string): string {
  return `${appId}|${referenceNumber}`;
}

/** A digest of everything that makes two initiates "the same payment". */
export function fingerprintOf(input: Record<string, string>): string {
  const canonical = Object.keys(input)
    .sort()
    .map((key) => [key, input[key]]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The in-process store holds as many live records as it may: a new reference must wait. */
export class IdempotencyStoreFullError extends Error {
  constructor(readonly capacity: number) {
    super(`the in-process idempotency store holds its maximum of ${capacity} live records`);
    this.name = 'IdempotencyStoreFullError';
  }
}

export interface MemoryStoreOptions {
  /** Live records at most (IDEMPOTENCY_MAX_RECORDS); a claim beyond it is refused. */
  maxRecords?: number;
  sweepEveryMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * In-process store. Records live for the TTL and are never evicted early: dropping one
 * could let a retry create a second payment. So the map is bounded by refusing new
 * references when full (after sweeping out expired ones), never by forgetting live ones.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, { record: IdempotencyRecord; expiresAt: number }>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #maxRecords: number;
  readonly #now: () => number;
  /** No record expires before this, so a full store sweeps only when a sweep can free something. */
  #nextExpiry = Infinity;

  constructor({ maxRecords = 100_000, sweepEveryMs = 60_000, now = Date.now }: MemoryStoreOptions = {}) {
    this.#maxRecords = maxRecords;
    this.#now = now;
    this.#sweeper = setInterval(() => this.#sweep(), sweepEveryMs);
    this.#sweeper.unref();
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    return this.#read(key);
  }

  // Synchronous, so that claim and replace are atomic within the event loop.
  #read(key: string): IdempotencyRecord | null {
    const entry = this.#records.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.#now()) {
      this.#records.delete(key);
      return null;
    }
    return entry.record;
  }

  async claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    if (this.#read(key)) return false;
    if (this.#records.size >= this.#maxRecords) {
      if (this.#now() >= this.#nextExpiry) this.#sweep();
      if (this.#records.size >= this.#maxRecords) throw new IdempotencyStoreFullError(this.#maxRecords);
    }
    this.#write(key, record, ttlMs);
    return true;
  }

  async replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    const current = this.#read(key);
    if (!current || JSON.stringify(current) !== JSON.stringify(expected)) return false;
    this.#write(key, next, ttlMs);
    return true;
  }

  // Never refused, even when full: it records the outcome of a reference already claimed.
  async put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.#write(key, record, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.#records.delete(key);
  }

  get size(): number {
    return this.#records.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
  }

  #write(key: string, record: IdempotencyRecord, ttlMs: number): void {
    const expiresAt = this.#now() + ttlMs;
    this.#records.set(key, { record, expiresAt });
    this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
  }

  #sweep(): void {
    const now = this.#now();
    let nextExpiry = Infinity;
    for (const [key, entry] of this.#records) {
      if (entry.expiresAt <= now) this.#records.delete(key);
      else nextExpiry = Math.min(nextExpiry, entry.expiresAt);
    }
    this.#nextExpiry = nextExpiry;
  }
}
