/**
 * The sandbox's state: apps and their catalogs, transactions and their state machine,
 * tokens and signatures. In memory, per sandbox instance; every read hands out copies.
 */
import { randomInt } from 'node:crypto';
import type { WireTransactionStatus } from '../kspay/types.js';
import type { FixtureApp, FixtureCurrency, FixturePaymentMethod, FixtureSeed } from './fixtures.js';
import { SignatureStore, TokenStore } from './tokens.js';

export type SandboxApp = FixtureApp;
export type SandboxCurrency = FixtureCurrency;
export type SandboxPaymentMethod = FixturePaymentMethod;
export type TransactionStatus = WireTransactionStatus;

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

export interface NewTransaction {
  appId: string;
  referenceNumber: string;
  amount: string;
  currency: SandboxCurrency;
  paymentMethodId: string;
  redirectUrl: string;
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

export class IllegalTransition extends Error {
  constructor(
    readonly from: TransactionStatus,
    readonly to: TransactionStatus,
  ) {
    super(`A ${from} transaction cannot become ${to}`);
    this.name = 'IllegalTransition';
  }
}

export interface StoreOptions {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  signatureTtlMs: number;
}

interface AppState {
  app: SandboxApp;
  currencies: Map<string, SandboxCurrency>;
}

export class SandboxStore {
  readonly tokens: TokenStore;
  readonly signatures: SignatureStore;
  readonly #apps = new Map<string, AppState>();
  readonly #transactions = new Map<string, StoredTransaction>();

  constructor(seed: readonly FixtureSeed[], options: StoreOptions) {
    this.tokens = new TokenStore(options.accessTokenTtlMs, options.refreshTokenTtlMs);
    this.signatures = new SignatureStore(options.signatureTtlMs);
    for (const { app, currencies } of seed) {
      this.#apps.set(app.id, { app: { ...app }, currencies: new Map(currencies.map((c) => [c.id, structuredClone(c)])) });
    }
  }

  app(appId: string): SandboxApp | undefined {
    return this.#apps.get(appId)?.app;
  }

  /** Every currency of the app, active or not, in seed order. */
  currencies(appId: string): SandboxCurrency[] {
    return [...(this.#apps.get(appId)?.currencies.values() ?? [])];
  }

  currency(appId: string, currencyId: string): SandboxCurrency | undefined {
    return this.#apps.get(appId)?.currencies.get(currencyId);
  }

  /** A payment method of any of the app's currencies, with the currency it belongs to. */
  findPaymentMethod(
    appId: string,
    paymentMethodId: string,
  ): { method: SandboxPaymentMethod; currency: SandboxCurrency } | undefined {
    for (const currency of this.currencies(appId)) {
      const method = currency.paymentMethods.find((m) => m.id === paymentMethodId);
      if (method) return { method, currency };
    }
    return undefined;
  }

  createTransaction(input: NewTransaction): StoredTransaction {
    const now = new Date().toISOString();
    const transaction: StoredTransaction = {
      id: uniqueId('tx_', 9, (id) => this.#transactions.has(id)),
      appId: input.appId,
      referenceNumber: input.referenceNumber,
      amount: input.amount,
      currencyId: input.currency.id,
      currencyCode: input.currency.code,
      paymentMethodId: input.paymentMethodId,
      redirectUrl: input.redirectUrl,
      providerOrderId: `order_${randomAlnum(14)}`,
      status: 'INITIATED',
      providerPaymentId: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#transactions.set(transaction.id, transaction);
    return { ...transaction };
  }

  /** The app's transaction; undefined for unknown ids and other apps' transactions alike. */
  transaction(appId: string, txnId: string): StoredTransaction | undefined {
    const transaction = this.#transactions.get(txnId);
    return transaction?.appId === appId ? { ...transaction } : undefined;
  }

  /** Any app's transaction: the hosted checkout is reached by id alone. */
  transactionById(txnId: string): StoredTransaction | undefined {
    const transaction = this.#transactions.get(txnId);
    return transaction && { ...transaction };
  }

  /** Newest first: createdAt descending, then id descending, a stable total order. */
  transactions(appId?: string): StoredTransaction[] {
    return [...this.#transactions.values()]
      .filter((t) => appId === undefined || t.appId === appId)
      .sort((a, b) => compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id))
      .map((t) => ({ ...t }));
  }

  findByReference(appId: string, referenceNumber: string): StoredTransaction[] {
    return this.transactions(appId).filter((t) => t.referenceNumber === referenceNumber);
  }

  /**
   * Moves a transaction along the state machine; throws IllegalTransition for any
   * other move. Paying or declining gives it a provider payment id.
   */
  transition(txnId: string, to: TransactionStatus): StoredTransaction {
    const current = this.#transactions.get(txnId);
    if (!current) throw new Error(`No transaction ${txnId}`);
    if (!canTransition(current.status, to)) throw new IllegalTransition(current.status, to);
    const settled = to === 'SUCCESS' || to === 'FAILED';
    const next: StoredTransaction = {
      ...current,
      status: to,
      providerPaymentId: settled ? `pay_${randomAlnum(14)}` : current.providerPaymentId,
      updatedAt: new Date().toISOString(),
    };
    this.#transactions.set(txnId, next);
    return { ...next };
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

function uniqueId(prefix: string, length: number, taken: (id: string) => boolean): string {
  for (;;) {
    const id = prefix + randomAlnum(length);
    if (!taken(id)) return id;
  }
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
