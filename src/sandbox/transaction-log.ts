/**
 * Transactions: the stored record, the state machine it moves along, and one app's
 * bounded log of them.
 */
import type { WireTransactionStatus } from '../kspay/types.js';
import { ArrivalQueue } from './arrival-queue.js';

export type TransactionStatus = WireTransactionStatus;

/** Frozen: a move along the state machine stores a new record. */
export interface StoredTransaction {
  readonly id: string;
  readonly appId: string;
  readonly referenceNumber: string;
  /** Exact canonical decimal text, e.g. "345.67". */
  readonly amount: string;
  readonly currencyId: string;
  readonly currencyCode: string;
  readonly paymentMethodId: string;
  readonly redirectUrl: string;
  readonly providerOrderId: string;
  readonly status: TransactionStatus;
  readonly providerPaymentId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The only moves a transaction can make. */
const TRANSITIONS: Readonly<Record<TransactionStatus, readonly TransactionStatus[]>> = {
  INITIATED: ['PROCESSING'],
  PROCESSING: ['SUCCESS', 'FAILED'],
  SUCCESS: [],
  FAILED: [],
};

export function canTransition(from: TransactionStatus, to: TransactionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isSettled(status: TransactionStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export class IllegalTransition extends Error {
  constructor(
    readonly from: TransactionStatus,
    readonly to: TransactionStatus,
  ) {
    super(`A ${from} transaction cannot become ${to}`);
    this.name = 'IllegalTransition';
  }
}

/** Newest first: createdAt descending, then id descending, a stable total order. */
export function newestFirst(a: StoredTransaction, b: StoredTransaction): number {
  return compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id);
}

/** Default most transactions one app keeps. */
export const MAX_TRANSACTIONS_PER_APP = 100_000;

/**
 * One app's transactions, bounded. Past `max`, the one settled longest ago is
 * forgotten, or the oldest open one when none is settled. It is a sandbox: a long
 * run forgets old payments rather than grow without end.
 */
export class TransactionLog {
  readonly #byId = new Map<string, StoredTransaction>();
  readonly #settled = new Set<string>();
  /** Ids in creation order, and settled ids in the order they settled: who is forgotten first. */
  readonly #created = new ArrivalQueue<string>(
    (id) => this.#byId.has(id),
    () => this.#byId.size,
  );
  readonly #settledOrder = new ArrivalQueue<string>(
    (id) => this.#settled.has(id),
    () => this.#settled.size,
  );

  constructor(private readonly max: number = MAX_TRANSACTIONS_PER_APP) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  }

  get(id: string): StoredTransaction | undefined {
    return this.#byId.get(id);
  }

  values(): IterableIterator<StoredTransaction> {
    return this.#byId.values();
  }

  /** Adds a new transaction; answers the id forgotten to make room, if one was. */
  add(transaction: StoredTransaction): string | undefined {
    this.#byId.set(transaction.id, transaction);
    this.#created.push(transaction.id);
    this.#noteSettled(transaction);
    return this.#byId.size > this.max ? this.#forgetOne() : undefined;
  }

  /** Stores a transaction's next state; it keeps its place. */
  replace(transaction: StoredTransaction): void {
    this.#byId.set(transaction.id, transaction);
    this.#noteSettled(transaction);
  }

  #noteSettled({ id, status }: StoredTransaction): void {
    if (!isSettled(status) || this.#settled.has(id)) return;
    this.#settled.add(id);
    this.#settledOrder.push(id);
  }

  #forgetOne(): string {
    const id = this.#settled.size > 0 ? this.#settledOrder.oldest()! : this.#created.oldest()!;
    this.#settled.delete(id);
    this.#byId.delete(id);
    return id;
  }
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
