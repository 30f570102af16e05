/**
 * The sandbox's state: apps and their catalogs, transactions and their state machine,
 * tokens and signatures. In memory, per sandbox instance, bounded (see
 * transaction-log.ts and tokens.ts); records handed out are frozen.
 */
import { randomInt } from 'node:crypto';
import type { FixtureApp, FixtureCurrency, FixturePaymentMethod, FixtureSeed } from './fixtures.js';
import { SignatureStore, type TokenPair, TokenStore } from './tokens.js';
import { IllegalTransition, type StoredTransaction, type TransactionStatus, TransactionLog, canTransition, isSettled, newestFirst } from './transaction-log.js';

export type SandboxApp = FixtureApp;
export type SandboxCurrency = FixtureCurrency;
export type SandboxPaymentMethod = FixturePaymentMethod;

export interface NewTransaction {
  appId: string;
  referenceNumber: string;
  amount: string;
  currency: SandboxCurrency;
  paymentMethodId: string;
  redirectUrl: string;
}

export interface StoreOptions {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  signatureTtlMs: number;
  /** Default MAX_TRANSACTIONS_PER_APP (100,000). */
  maxTransactionsPerApp?: number;
  /** Told of every token pair issued. */
  onTokensIssued?: (pair: TokenPair) => void;
  /** Default Date.now; tests move time by hand. */
  now?: () => number;
}

interface AppState {
  app: SandboxApp;
  currencies: Map<string, SandboxCurrency>;
  transactions: TransactionLog;
}

export class SandboxStore {
  readonly tokens: TokenStore;
  readonly signatures: SignatureStore;
  readonly #apps = new Map<string, AppState>();
  /** The app of every kept transaction: the hosted checkout reaches one by id alone. */
  readonly #appOfTransaction = new Map<string, AppState>();
  readonly #now: () => number;

  constructor(seed: readonly FixtureSeed[], options: StoreOptions) {
    this.#now = options.now ?? Date.now;
    this.tokens = new TokenStore({
      accessTtlMs: options.accessTokenTtlMs,
      refreshTtlMs: options.refreshTokenTtlMs,
      now: this.#now,
      onIssue: options.onTokensIssued,
    });
    this.signatures = new SignatureStore(options.signatureTtlMs, this.#now);
    for (const { app, currencies } of seed) {
      this.#apps.set(app.id, {
        app: { ...app },
        currencies: new Map(currencies.map((c) => [c.id, structuredClone(c)])),
        transactions: new TransactionLog(options.maxTransactionsPerApp),
      });
    }
  }

  app(appId: string): SandboxApp | undefined {
    return this.#apps.get(appId)?.app;
  }

  /** Every app, in seed order. */
  apps(): SandboxApp[] {
    return [...this.#apps.values()].map((state) => state.app);
  }

  /** Every currency of the app, active or not, in seed order. */
  currencies(appId: string): SandboxCurrency[] {
    return [...(this.#apps.get(appId)?.currencies.values() ?? [])];
  }

  currency(appId: string, currencyId: string): SandboxCurrency | undefined {
    return this.#apps.get(appId)?.currencies.get(currencyId);
  }

  /** A payment method of any of the app's currencies, with the currency it belongs to. */
  findPaymentMethod(appId: string, paymentMethodId: string): { method: SandboxPaymentMethod; currency: SandboxCurrency } | undefined {
    for (const currency of this.currencies(appId)) {
      const method = currency.paymentMethods.find((m) => m.id === paymentMethodId);
      if (method) return { method, currency };
    }
    return undefined;
  }

  createTransaction(input: NewTransaction): StoredTransaction {
    const state = this.#apps.get(input.appId);
    if (!state) throw new Error(`No app ${input.appId}`);
    const now = new Date(this.#now()).toISOString();
    const transaction: StoredTransaction = Object.freeze({
      id: uniqueId('tx_', 9, (id) => this.#appOfTransaction.has(id)),
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
    });
    this.#appOfTransaction.set(transaction.id, state);
    const forgotten = state.transactions.add(transaction);
    if (forgotten) this.#appOfTransaction.delete(forgotten);
    return transaction;
  }

  /** The app's transaction; undefined for unknown ids and other apps' transactions alike. */
  transaction(appId: string, txnId: string): StoredTransaction | undefined {
    return this.#apps.get(appId)?.transactions.get(txnId);
  }

  /** Any app's transaction: the hosted checkout is reached by id alone. */
  transactionById(txnId: string): StoredTransaction | undefined {
    return this.#appOfTransaction.get(txnId)?.transactions.get(txnId);
  }

  /** The app's transactions, newest first. */
  transactions(appId: string): StoredTransaction[] {
    return [...(this.#apps.get(appId)?.transactions.values() ?? [])].sort(newestFirst);
  }

  /**
   * Moves a transaction along the state machine; throws IllegalTransition for any
   * other move. Paying or declining gives it a provider payment id.
   */
  transition(txnId: string, to: TransactionStatus): StoredTransaction {
    const state = this.#appOfTransaction.get(txnId);
    const current = state?.transactions.get(txnId);
    if (!state || !current) throw new Error(`No transaction ${txnId}`);
    if (!canTransition(current.status, to)) throw new IllegalTransition(current.status, to);
    const next: StoredTransaction = Object.freeze({
      ...current,
      status: to,
      providerPaymentId: isSettled(to) ? `pay_${randomAlnum(14)}` : current.providerPaymentId,
      updatedAt: new Date(this.#now()).toISOString(),
    });
    state.transactions.replace(next);
    return next;
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
