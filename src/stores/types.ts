/**
 * What the gateway keeps beyond one request, as interfaces: one implementation set lives
 * in this process (./memory.ts), the other in Redis (./redis.ts), and createStores
 * (./index.ts) is the one place that picks between them.
 */
import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { IdempotencyRecord } from '../payments/idempotency.js';
import type { ReferenceLedger } from './reference-ledger.js';
import type { SignatureOwners } from './signature-owners.js';

export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | null>;
  /**
   * Stores `record` only if the key is free; false when another record holds it, or when the
   * store found it lost data (listeners of `onDataLoss` are told before this returns). Atomic.
   */
  create(key: string, record: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  /** Stores `next` only if the key still holds version `next.version - 1` (of the record created at `next.createdAt`). Atomic. */
  replace(key: string, next: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  /** Deletes the record only if the key still holds `version` (of the record created at `createdAt`, when given). Atomic. */
  remove(key: string, version: number, createdAt?: number): Promise<boolean>;
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

/**
 * Settled transactions every instance shares (src/reads/settled-transactions.ts): JSON by
 * transaction id. Failures are the caller's to tolerate (a miss then costs an upstream read).
 */
export interface SharedSettledStore {
  /** The stored JSON of each id, null where none is stored; in the order of `ids`. */
  get(ids: readonly string[]): Promise<(string | null)[]>;
  /** Stores each [id, json] unless the id already has an entry. */
  set(entries: readonly (readonly [string, string])[]): Promise<void>;
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
  /** 'memory' or 'redis': what a reader of /health/dependencies or the logs needs to know. */
  kind: 'memory' | 'redis';
  idempotency: IdempotencyStore;
  /** The answered references by when they were asked: what reconciliation walks (./reference-ledger.ts). */
  referenceLedger: ReferenceLedger;
  /** Null in process: the in-process LRU is then the only catalog level. */
  sharedCatalog: SharedCatalogStore | null;
  /** Settled transactions of one KS Pay app (its id namespaces the keys); null in process. */
  sharedSettled(appId: string): SharedSettledStore | null;
  pollLock: PollLock;
  /** Queries registered by hash (PERSISTED_OPERATIONS=allow): shared across instances with Redis. */
  apq: ApqStore;
  /** Which client each processTransaction signature was issued to: shared across instances with Redis. */
  signatureOwners: SignatureOwners;
  /** Where subscription events travel: across instances with Redis, in this process otherwise. */
  eventTarget: TypedEventTarget<CustomEvent> | undefined;
  /**
   * The settlement watch list and the webhook outbox of one KS Pay app (its id namespaces
   * the keys): in Redis they survive a restart, in process they do not.
   */
  webhooks(namespace: string): WebhookStores;
  /** Health checks of what the stores depend on (Redis), by name: /health/dependencies, not readiness. */
  dependencyChecks: Record<string, () => Promise<unknown>>;
  /** With Redis: its topology (kind, cluster state, primaries), for /health/dependencies. */
  describeRedis?: () => Promise<unknown>;
  /**
   * Tells `listener` each time the stores find they forgot what they held (Redis emptied,
   * restarted or failed over; src/stores/redis-epoch.ts). The in-process stores never do.
   */
  onDataLoss(listener: (event: DataLossEvent) => void): void;
  close(): Promise<void>;
}

/** A loss the stores detected, at `detectedAt` (epoch ms): records written before it may be gone. */
export interface DataLossEvent {
  detectedAt: number;
  /** How it showed (e.g. 'marker-missing', 'restarted'), for logs and metrics. */
  cause?: string;
}

/** A transaction the settlement watcher follows until it is final (src/webhooks/watcher.ts). */
export interface WatchEntry {
  id: string;
  /** The status last seen. */
  status: string;
  /** When watching began (epoch ms): the watch ends SETTLEMENT_WATCH_MS later. */
  since: number;
  nextPollAt: number;
  /** The wait before the next poll; it grows while nothing changes. */
  intervalMs: number;
}

/** The settlement watcher's durable list: every instance sees the same entries with Redis. */
export interface WatchList {
  /** Adds the entry unless the transaction is already watched; false then. */
  add(entry: WatchEntry): Promise<boolean>;
  get(id: string): Promise<WatchEntry | null>;
  /** Up to `limit` entries due at `now`, soonest first. */
  due(now: number, limit: number): Promise<WatchEntry[]>;
  /** Writes the entry back, only if it is still watched. */
  update(entry: WatchEntry): Promise<void>;
  remove(id: string): Promise<void>;
  /** Up to `limit` entries watched since before `before`, oldest first. */
  olderThan(before: number, limit: number): Promise<WatchEntry[]>;
  size(): Promise<number>;
}

/** SUPERSEDED: a later status of the transaction was queued behind it, so it is not retried. */
export type DeliveryState = 'PENDING' | 'DELIVERED' | 'FAILED' | 'SUPERSEDED';

/** One event as stored: `body` is the exact JSON every attempt sends and signs. */
export interface StoredEvent {
  id: string;
  type: string;
  transactionId: string;
  status: string;
  /** ISO-8601. */
  createdAt: string;
  body: string;
  /** One delivery per endpoint: ids of DeliveryRecords. */
  deliveryIds: string[];
  /** 'sweep': re-derived from KS Pay's list, not seen as it happened (so it is late already). */
  origin?: 'sweep';
}

/** One event's delivery to one endpoint. */
export interface DeliveryRecord {
  id: string;
  eventId: string;
  /** The ordered queue this delivery waits in: one per transaction and endpoint. */
  lane: string;
  endpoint: string;
  state: DeliveryState;
  attempts: number;
  lastStatusCode: number | null;
  /** A short cause of the last failure ('timeout', 'connection failed', 'HTTP 500'); never the receiver's text. */
  lastError: string | null;
  lastAttemptAt: number | null;
  /** When the next attempt is due; null once delivered or given up. */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

export interface EventWithDeliveries {
  /** Position in the outbox's log: newer events have larger numbers. */
  seq: number;
  event: StoredEvent;
  deliveries: DeliveryRecord[];
}

/**
 * The webhook outbox: events, one delivery per endpoint each, queued in lanes (one per
 * transaction and endpoint) so a transaction's events reach an endpoint in order.
 */
export interface WebhookOutbox {
  /**
   * Stores the event and its deliveries unless the transaction already has an event of
   * this `rank` or higher (a status seen twice, by however many instances, is one event).
   * Atomic; false for a duplicate.
   */
  append(event: StoredEvent, deliveries: DeliveryRecord[], rank: number): Promise<boolean>;
  /** Lanes whose first delivery is due at `now`. */
  dueLanes(now: number, limit: number): Promise<string[]>;
  /** The lane's first delivery and its event; null (and the lane forgotten) when it is empty. */
  head(lane: string): Promise<LaneHead | null>;
  /**
   * Saves an attempt: `done` (delivered, given up or superseded) moves the lane on, otherwise
   * it waits for `nextAttemptAt`, or is due now if the lane grew past `queued` meanwhile.
   */
  record(delivery: DeliveryRecord, done: boolean, now: number, queued?: number): Promise<void>;
  find(eventId: string): Promise<EventWithDeliveries | null>;
  /** Newest first, at most `limit`, older than `beforeSeq` when given. */
  list(options: { limit: number; beforeSeq?: number; transactionId?: string }): Promise<EventWithDeliveries[]>;
  /** Queues the event's deliveries again (at the end of their lanes, due now); false when unknown. */
  redeliver(eventId: string, now: number): Promise<boolean>;
  /**
   * What waits to be delivered, for metrics: lanes with a delivery waiting, and the creation
   * time (ms) of the oldest event at the head of one of the `sampleLanes` lanes due soonest.
   */
  backlog(sampleLanes: number): Promise<OutboxBacklog>;
  /** Deliveries of final events not delivered yet (oldest first): what may need a person. */
  undeliveredFinal(limit: number): Promise<DeliveryRecord[]>;
}

export interface OutboxBacklog {
  lanes: number;
  oldestCreatedAt: number | null;
}

/** A lane's first delivery, with what waits behind it. */
export interface LaneHead {
  event: StoredEvent;
  delivery: DeliveryRecord;
  /** Deliveries in the lane, this one included. */
  queued: number;
  /** A later status of the transaction waits behind it (an appended event, not a redelivery by hand). */
  newerQueued: boolean;
}

export interface WebhookStores {
  watchList: WatchList;
  outbox: WebhookOutbox;
}
