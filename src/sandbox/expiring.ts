/**
 * Records with an expiry (tokens, signatures), kept only while they matter. They are
 * queued in the order they were added; with one lifetime per collection that is also
 * expiry order, so a sweep drops from the front and stops at the first record still
 * kept. Every access sweeps, which costs only what it drops: no timer to clear.
 */
import { ArrivalQueue } from './arrival-queue.js';

export interface ExpiringOptions {
  /** How long past its expiry a record is still kept (to answer "expired" rather than "unknown"). */
  keepExpiredMs: number;
  /** Most records kept; past it the oldest goes, expired or not, so a load test cannot grow the sandbox without end. */
  maxSize: number;
  now: () => number;
}

export class ExpiringRecords<T extends { expiresAt: number }> {
  readonly #records = new Map<string, T>();
  /** Each record as it was set: one replaced or deleted since is no longer held. */
  readonly #order = new ArrivalQueue<[string, T]>(
    ([key, record]) => this.#records.get(key) === record,
    () => this.#records.size,
  );

  constructor(private readonly options: ExpiringOptions) {}

  get(key: string): T | undefined {
    this.#sweep();
    return this.#records.get(key);
  }

  set(key: string, record: T): void {
    this.#sweep();
    this.#records.set(key, record);
    this.#order.push([key, record]);
    if (this.#records.size > this.options.maxSize) this.#records.delete(this.#order.oldest()![0]);
  }

  delete(key: string): void {
    this.#records.delete(key);
  }

  values(): IterableIterator<T> {
    return this.#records.values();
  }

  get size(): number {
    return this.#records.size;
  }

  /** A clock that steps back only makes a record stay a little longer. */
  #sweep(): void {
    const cutoff = this.options.now() - this.options.keepExpiredMs;
    for (let oldest = this.#order.oldest(); oldest !== undefined; oldest = this.#order.oldest()) {
      const [key, record] = oldest;
      if (record.expiresAt > cutoff) return;
      this.#records.delete(key);
    }
  }
}
