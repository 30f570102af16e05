/**
 * Webhooks as one service: the settlement watcher, the reconciling sweep, the outbox and its
 * deliverer, and what GraphQL reads of them. Every transaction the gateway sees (its own
 * initiates, payment returns, the watcher's polls, the sweep's list reads) becomes, for a new
 * status, one event (however many instances saw it), queued for every WEBHOOK_URL. Without
 * WEBHOOK_URL nothing is watched, swept or sent.
 */
import type { Registry } from 'prom-client';
import type { KsPayClient } from '../kspay/client.js';
import type { Transaction } from '../kspay/models.js';
import type { Logger } from '../observability/logger.js';
import type { EventWithDeliveries, PollLock, WebhookStores } from '../stores/types.js';
import { DeliveryWorker, type DeliveryPolicy } from './delivery.js';
import { createEvent } from './events.js';
import { isFinalStatus } from '../kspay/models.js';
import { TransactionSweep, type SweepPolicy, type SweepResult } from './sweep.js';
import { outboxMetrics, type DeliveryOutcome } from './outbox-metrics.js';
import { SettlementWatcher, type WatchPolicy } from './watcher.js';

const outcomeCounter = (counter: ReturnType<typeof outboxMetrics>) => (outcome: DeliveryOutcome) => counter.inc({ outcome });

export interface WebhookServiceOptions {
  client: KsPayClient;
  stores: WebhookStores;
  lock: PollLock;
  /** WEBHOOK_URL: empty turns webhooks (and the watcher) off. */
  endpoints: readonly string[];
  secrets: readonly string[];
  watch: WatchPolicy;
  delivery: DeliveryPolicy;
  sweep: SweepPolicy;
  /** The gateway's metrics registry, for the sweep's and the outbox's series. */
  registry?: Registry;
  /** How long a transaction may stay INITIATED or PROCESSING before it needs attention. */
  attentionAfterMs: number;
  logger: Logger;
  /** Live updates: the watcher's reads reach subscribers too. */
  publish: (transaction: Transaction) => void;
}

export type AttentionReason = 'UNSETTLED' | 'UNDELIVERED';

export interface Attention {
  transactionId: string;
  status: string;
  reason: AttentionReason;
  /** When the gateway began watching it (UNSETTLED), or when its final event was created (UNDELIVERED). */
  since: Date;
  eventId: string | null;
}

export class WebhookService {
  readonly #options: WebhookServiceOptions;
  readonly watcher: SettlementWatcher;
  readonly #deliverer: DeliveryWorker | null;
  readonly #sweep: TransactionSweep | null;

  constructor(options: WebhookServiceOptions) {
    this.#options = options;
    this.watcher = new SettlementWatcher({
      client: options.client,
      watchList: options.stores.watchList,
      lock: options.lock,
      policy: options.watch,
      logger: options.logger,
      onPolled: async (tx) => void (await this.#record(tx)),
    });
    this.#deliverer =
      options.endpoints.length && options.secrets.length
        ? new DeliveryWorker({
            outbox: options.stores.outbox,
            lock: options.lock,
            lockPrefix: options.client.appId,
            secrets: options.secrets,
            policy: options.delivery,
            logger: options.logger,
            onOutcome: options.registry ? outcomeCounter(outboxMetrics(options.registry, options.stores.outbox)) : undefined,
          })
        : null;
    this.#sweep = this.#deliverer
      ? new TransactionSweep({
          client: options.client,
          lock: options.lock,
          policy: options.sweep,
          logger: options.logger,
          registry: options.registry,
          ensureEvent: (tx) => this.#recordFound(tx),
        })
      : null;
  }

  get enabled(): boolean {
    return this.#deliverer !== null;
  }

  start(): void {
    if (!this.#deliverer) return;
    this.watcher.start();
    this.#deliverer.start();
    this.#deliverer.kick(); // whatever a previous run left in the outbox
    this.#sweep?.start();
  }

  /** Shutdown: the watch stops and deliveries under way finish (or, at `deadline`, go back to the outbox). */
  async drain(deadline: AbortSignal): Promise<{ underWay: number; handedBack: number }> {
    this.watcher.close();
    return (await this.#deliverer?.drain(deadline)) ?? { underWay: 0, handedBack: 0 };
  }

  close(): void {
    this.watcher.close();
    this.#sweep?.close();
    this.#deliverer?.close();
  }

  /**
   * Re-derives events from KS Pay's transaction list now (src/webhooks/sweep.ts): call it when
   * the outbox may have lost events (e.g. Redis lost its data). Single-flight, safe any time,
   * never throws; with webhooks off it does nothing.
   */
  sweep(reason: string): Promise<SweepResult> {
    if (!this.#sweep) return Promise.resolve({ reason, outcome: 'skipped', skipped: 'disabled', pages: 0, examined: 0, created: 0 });
    return this.#sweep.sweep(reason);
  }

  /** The payment service's hook: a transaction it created, adopted or read for a return. Never throws. */
  observe(tx: Transaction): void {
    if (!this.enabled) return;
    const work = async () => {
      await this.#record(tx);
      await this.watcher.follow(tx);
    };
    work().catch((error: unknown) => this.#options.logger.warn({ err: error, transactionId: tx.id }, 'recording a webhook event failed'));
  }

  /** A status seen: its event, once, and live updates for a poll's news; true when the event is new. */
  async #record(tx: Transaction, origin?: 'sweep'): Promise<boolean> {
    const created = createEvent(this.#options.client.appId, tx, this.#options.endpoints, Date.now(), origin);
    if (!created) return false;
    if (!(await this.#options.stores.outbox.append(created.event, created.deliveries, created.rank))) return false;
    this.#options.publish(tx);
    this.#deliverer?.kick();
    return true;
  }

  /** The sweep's find: a status with no event gets one, and an unsettled transaction is watched again (its watch may be lost too). */
  async #recordFound(tx: Transaction): Promise<boolean> {
    const created = await this.#record(tx, 'sweep');
    if (created && !isFinalStatus(tx.status)) await this.watcher.follow(tx);
    return created;
  }

  /** How many transactions the watcher follows now. */
  watching(): Promise<number> {
    return this.#options.stores.watchList.size();
  }

  list(options: { limit: number; beforeSeq?: number; transactionId?: string }): Promise<EventWithDeliveries[]> {
    return this.#options.stores.outbox.list(options);
  }

  /** Queues the event again for every endpoint; null when the outbox does not know it. */
  async redeliver(eventId: string): Promise<EventWithDeliveries | null> {
    if (!(await this.#options.stores.outbox.redeliver(eventId, Date.now()))) return null;
    this.#deliverer?.kick();
    return this.#options.stores.outbox.find(eventId);
  }

  /**
   * Transactions still unsettled past the threshold, then final ones whose event was never
   * delivered: it failed an attempt, or the sweep re-derived it (it is late already).
   */
  async needingAttention(limit: number): Promise<Attention[]> {
    const { stores, attentionAfterMs } = this.#options;
    const unsettled = await stores.watchList.olderThan(Date.now() - attentionAfterMs, limit);
    const found: Attention[] = unsettled.map((entry) => ({
      transactionId: entry.id,
      status: entry.status,
      reason: 'UNSETTLED',
      since: new Date(entry.since),
      eventId: null,
    }));
    const undelivered = await stores.outbox.undeliveredFinal(limit);
    const late = new Set(undelivered.filter((d) => d.state === 'FAILED' || d.attempts > 0).map((d) => d.eventId));
    for (const eventId of new Set(undelivered.map((d) => d.eventId))) {
      const event = (await stores.outbox.find(eventId))?.event;
      if (event && isFinalStatus(event.status) && (late.has(eventId) || event.origin === 'sweep')) {
        found.push({ transactionId: event.transactionId, status: event.status, reason: 'UNDELIVERED', since: new Date(event.createdAt), eventId });
      }
    }
    return found.slice(0, limit);
  }
}
