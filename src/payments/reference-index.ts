/**
 * After the idempotency store forgot (src/payments/loss-window.ts), every new reference
 * must be looked up in KS Pay over a whole idempotency TTL. KS Pay's list has no filter
 * by reference, so scanning it per request would cost the window's every page each time.
 * Instead one index, reference → transaction, is built once from the list over the
 * window and then refreshed only at its tail, as far as a look-up needs it to reach
 * (./loss-window.ts says how far). One scan runs at a time, shared by every look-up
 * waiting for it.
 */
import type { KsPayClient } from '../kspay/client.js';
import type { Transaction } from '../kspay/models.js';
import { listPages } from '../kspay/transaction-pages.js';

export interface ReferenceIndexOptions {
  client: Pick<KsPayClient, 'transactions'>;
  /** Told of each list page read (metrics). */
  onPage?: () => void;
  pageSize?: number;
  /** Pages one scan may read; a window holding more cannot be indexed (the look-up fails, retryable). */
  maxPages?: number;
  /** A tail refresh starts this long before the last scan's end: clocks drift, and KS Pay's may lag ours. */
  overlapMs?: number;
}

export class ReferenceIndex {
  readonly #client: ReferenceIndexOptions['client'];
  readonly #onPage: () => void;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #overlapMs: number;
  readonly #byReference = new Map<string, Transaction>();
  #coveredFrom: number | null = null;
  #coveredUntil = 0;
  #scan: Promise<void> | null = null;

  constructor({ client, onPage = () => undefined, pageSize = 100, maxPages = 1_000, overlapMs = 60_000 }: ReferenceIndexOptions) {
    this.#client = client;
    this.#onPage = onPage;
    this.#pageSize = pageSize;
    this.#maxPages = maxPages;
    this.#overlapMs = overlapMs;
  }

  /** The transaction of `referenceNumber` created since `from`, from a list read no earlier than `notBefore`. */
  async find(referenceNumber: string, from: number, notBefore: number): Promise<Transaction | null> {
    await this.#cover(from, notBefore);
    return this.#byReference.get(referenceNumber) ?? null;
  }

  /** Forgets everything (the window closed): a later loss starts a new index. */
  clear(): void {
    this.#byReference.clear();
    this.#coveredFrom = null;
    this.#coveredUntil = 0;
  }

  async #cover(from: number, notBefore: number): Promise<void> {
    for (;;) {
      if (this.#coveredFrom !== null && this.#coveredFrom <= from && this.#coveredUntil >= notBefore) return;
      // A scan under way that reaches far enough is joined; one that does not is waited out, then another starts.
      if (this.#scan !== null) {
        await this.#scan;
        continue;
      }
      const whole = this.#coveredFrom === null || from < this.#coveredFrom;
      const scanFrom = whole ? from : this.#coveredUntil - this.#overlapMs;
      const until = Date.now();
      const scan: Promise<void> = this.#read(scanFrom, until)
        .then(() => {
          this.#coveredFrom = whole ? from : this.#coveredFrom;
          this.#coveredUntil = until;
        })
        .finally(() => {
          if (this.#scan === scan) this.#scan = null;
        });
      this.#scan = scan;
    }
  }

  async #read(from: number, until: number): Promise<void> {
    const fromDate = new Date(from).toISOString();
    const toDate = new Date(until).toISOString();
    for await (const { items, last } of listPages(this.#client, { fromDate, toDate, pageSize: this.#pageSize, maxPages: this.#maxPages })) {
      this.#onPage();
      for (const transaction of items) {
        if (transaction.referenceNumber) this.#byReference.set(transaction.referenceNumber, transaction);
      }
      if (last) return;
    }
    throw new Error(`reference index: more than ${this.#maxPages} pages of transactions in the window`);
  }
}
