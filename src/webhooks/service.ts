/**
 * Webhooks as one service: the settlement watcher, the outbox and its deliverer, and what
 * GraphQL reads of them. Every transaction the gateway sees (its own initiates, payment
 * returns, the watcher's polls) goes through `observe`: a new status becomes one event
 * (however many instances saw it), queued for every WEBHOOK_URL. Without WEBHOOK_URL
 * nothing is watched or sent.
 */
import type { KsPayClient } from '../kspay/client.js';
import type { Transaction } from '../kspay/models.js';
import type { Logger } from '../observability/logger.js';
import type { EventWithDeliveries, PollLock, WebhookStores } from '../stores/types.js';
import { DeliveryWorker, type DeliveryPolicy } from './delivery.js';
import { createEvent, isFinalStatus } from './events.js';
import { SettlementWatcher, type WatchPolicy } from './watcher.js';

export interface WebhookServiceOptions {
  client: KsPayClient;
  stores: WebhookStores;
  lock: PollLock;
  /** WEBHOOK_URL: empty turns webhooks (and the watcher) off. */
  endpoints: readonly string[];
  secret: string | null;
  watch: WatchPolicy;
  delivery: DeliveryPolicy;
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

  constructor(options: WebhookServiceOptions) {
    this.#options = options;
    this.watcher = new SettlementWatcher({
      client: options.client,
      watchList: options.stores.watchList,
      lock: options.lock,
      policy: options.watch,
      logger: options.logger,
      onPolled: (tx) => this.#record(tx),
    });
    this.#deliverer =
      options.endpoints.length && options.secret
        ? new DeliveryWorker({ outbox: options.stores.outbox, lock: options.lock, lockPrefix: options.client.appId, secret: options.secret, policy: options.delivery, logger: options.logger })
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
  }

  /** Shutdown: the watch stops and deliveries under way finish (or, at `deadline`, go back to the outbox). */
  async drain(deadline: AbortSignal): Promise<{ underWay: number; handedBack: number }> {
    this.watcher.close();
    return (await this.#deliverer?.drain(deadline)) ?? { underWay: 0, handedBack: 0 };
  }

  close(): void {
    this.watcher.close();
    this.#deliverer?.close();
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

  /** A status seen: its event, once, and live updates for a poll's news. */
  async #record(tx: Transaction): Promise<void> {
    const created = createEvent(this.#options.client.appId, tx, this.#options.endpoints, Date.now());
    if (!created) return;
    if (await this.#options.stores.outbox.append(created.event, created.deliveries, created.rank)) {
      this.#options.publish(tx);
      this.#deliverer?.kick();
    }
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

  /** Transactions still unsettled past the threshold, then final ones whose event was never delivered. */
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
    const undelivered = (await stores.outbox.undeliveredFinal(limit)).filter((d) => d.state === 'FAILED' || d.attempts > 0);
    for (const eventId of new Set(undelivered.map((d) => d.eventId))) {
      const event = (await stores.outbox.find(eventId))?.event;
      if (event && isFinalStatus(event.status)) {
        found.push({ transactionId: event.transactionId, status: event.status, reason: 'UNDELIVERED', since: new Date(event.createdAt), eventId });
      }
    }
    return found.slice(0, limit);
  }
}
