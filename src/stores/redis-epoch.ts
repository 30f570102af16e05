/**
 * Noticing that Redis forgot: an epoch marker written when this gateway first meets the
 * Redis, checked inside the claim script (no extra round trip on the hot path) and on a
 * timer together with Redis' run_id, so a loss is seen even without traffic.
 *
 * A missing marker means the data set was emptied (restart without persistence,
 * FLUSHALL, eviction); another marker means another instance saw that first and wrote a
 * new one; another run_id means Redis restarted or a replica was promoted, which may
 * cost the writes of its last second. Each is a loss: listeners are told at once.
 *
 * Today one marker covers the whole Redis. With Redis Cluster there would be one marker
 * per hash slot (`markerKeyFor` would tag it like the record), checked the same way.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataLossEvent } from './types.js';

/** How often the marker and run_id are checked without traffic. */
export const EPOCH_CHECK_MS = 2_000;

export type LossCause = 'marker-missing' | 'marker-changed' | 'restarted';

export interface RedisEpochOptions {
  prefix: string;
  /** REDIS_ACCEPT_DATA_LOSS: the operator runs Redis without persistence on purpose. */
  acceptDataLoss: boolean;
  onWarning: (message: string) => void;
}

export class RedisEpoch {
  readonly #redis: Redis;
  readonly #options: RedisEpochOptions;
  readonly #listeners: ((event: DataLossEvent & { cause: LossCause }) => void)[] = [];
  #epoch: string | null = null;
  #runId: string | null = null;
  #starting: Promise<string> | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** A loss being handled: the claim script and the timer may both see the same one. */
  #handling: Promise<void> | null = null;

  constructor(redis: Redis, options: RedisEpochOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  /** The marker key covering `recordKey` (one per Redis today; per hash slot on a Cluster). */
  markerKeyFor(_recordKey: string): string {
    return `${this.#options.prefix}epoch`;
  }

  onLoss(listener: (event: DataLossEvent & { cause: LossCause }) => void): void {
    this.#listeners.push(listener);
  }

  /** Checks the marker and run_id every EPOCH_CHECK_MS from now on. */
  watch(): void {
    this.#timer = setInterval(() => void this.check().catch(() => undefined), EPOCH_CHECK_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** The epoch this instance believes in; the first call meets the Redis (a fresh Redis is no loss). */
  async current(): Promise<string> {
    if (this.#epoch !== null) return this.#epoch;
    this.#starting ??= this.#meet().finally(() => (this.#starting = null));
    return this.#starting;
  }

  /** The claim script found `seen` (null: no marker) instead of our epoch. */
  async mismatch(seen: string | null): Promise<void> {
    await this.#lost(seen === null ? 'marker-missing' : 'marker-changed', seen);
  }

  /** One timer tick: marker and run_id in one round trip. */
  async check(): Promise<void> {
    if (this.#epoch === null) {
      await this.current();
      return;
    }
    const replies = (await this.#redis.pipeline().get(this.markerKeyFor('')).info('server').exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed || replies.length < 2) throw failed?.[0] ?? new Error('redis: no reply to the epoch check');
    const marker = replies[0]![1] as string | null;
    const info = replies[1]![1] as string;
    const runId = infoField(info, 'run_id');
    if (marker !== this.#epoch) await this.#lost(marker === null ? 'marker-missing' : 'marker-changed', marker);
    else if (runId !== null && this.#runId !== null && runId !== this.#runId) await this.#lost('restarted', marker);
    this.#runId = runId ?? this.#runId;
  }

  async #meet(): Promise<string> {
    const epoch = await this.#adoptOrWrite(null);
    const [runId, persistence] = await Promise.all([this.#redis.info('server'), this.#redis.info('persistence')]);
    this.#runId = infoField(runId, 'run_id');
    if (infoField(persistence, 'aof_enabled') !== '1' && !this.#options.acceptDataLoss) {
      this.#options.onWarning(`REDIS_URL ${redisKeepsNothingLine()}`);
    }
    return epoch;
  }

  /** Writes a new marker unless one other than `stale` is there already; the marker then in force. */
  async #adoptOrWrite(stale: string | null): Promise<string> {
    const key = this.markerKeyFor('');
    const fresh = randomUUID();
    const written = await this.#redis.set(key, fresh, 'NX');
    const epoch = written === 'OK' ? fresh : await this.#redis.get(key);
    if (epoch === null || epoch === stale) {
      // Our old marker survived (a restart that kept data): replace it, so every instance learns of the loss.
      await this.#redis.set(key, fresh);
      this.#epoch = fresh;
    } else this.#epoch = epoch;
    return this.#epoch;
  }

  #lost(cause: LossCause, seen: string | null): Promise<void> {
    this.#handling ??= this.#handle(cause, seen).finally(() => (this.#handling = null));
    return this.#handling;
  }

  async #handle(cause: LossCause, seen: string | null): Promise<void> {
    const detectedAt = Date.now();
    if (cause === 'marker-changed' && seen !== null) this.#epoch = seen;
    else await this.#adoptOrWrite(this.#epoch);
    this.#runId = null; // read again on the next tick
    const event = { detectedAt, cause };
    for (const listener of this.#listeners) listener(event);
  }
}

/** What a gateway says of a REDIS_URL that keeps nothing (after the variable's name). */
export function redisKeepsNothingLine(): string {
  return (
    'points at a Redis that keeps nothing across a restart (append-only file off), so idempotency ' +
    'records could be lost and a payment sent twice: turn AOF on (appendonly yes, appendfsync everysec in ' +
    'redis.conf, or CONFIG SET appendonly yes), or set REDIS_ACCEPT_DATA_LOSS=true to run anyway'
  );
}

/** One `field:value` line of an INFO section; null when absent. */
export function infoField(info: string, field: string): string | null {
  const match = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return match ? match[1]!.trim() : null;
}
