/**
 * The sandbox's state: apps and their catalogs, transactions and their state machine,
 * tokens and signatures. In memory, per sandbox instance, bounded (see
 * transaction-log.ts and tokens.ts); records handed out are frozen.
 */
import { randomInt } from 'node:crypto';
import { SignatureStore, TokenStore } from './tokens.js';
import { IllegalTransition, TransactionLog, canTransition, isSettled, newestFirst } from './transaction-log.js';
export class SandboxStore {
    tokens;
    signatures;
    #apps = new Map();
    /** The app of every kept transaction: the hosted checkout reaches one by id alone. */
    #appOfTransaction = new Map();
    #now;
    constructor(seed, options) {
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
    app(appId) {
        return this.#apps.get(appId)?.app;
    }
    /** Every app, in seed order. */
    apps() {
        return [...this.#apps.values()].map((state) => state.app);
    }
    /** Every currency of the app, active or not, in seed order. */
    currencies(appId) {
        return [...(this.#apps.get(appId)?.currencies.values() ?? [])];
    }
    currency(appId, currencyId) {
        return this.#apps.get(appId)?.currencies.get(currencyId);
    }
    /** A payment method of any of the app's currencies, with the currency it belongs to. */
    findPaymentMethod(appId, paymentMethodId) {
        for (const currency of this.currencies(appId)) {
            const method = currency.paymentMethods.find((m) => m.id === paymentMethodId);
            if (method)
                return { method, currency };
        }
        return undefined;
    }
    createTransaction(input) {
        const state = this.#apps.get(input.appId);
        if (!state)
            throw new Error(`No app ${input.appId}`);
        const now = new Date(this.#now()).toISOString();
        const transaction = Object.freeze({
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
        if (forgotten)
            this.#appOfTransaction.delete(forgotten);
        return transaction;
    }
    /** The app's transaction; undefined for unknown ids and other apps' transactions alike. */
    transaction(appId, txnId) {
        return this.#apps.get(appId)?.transactions.get(txnId);
    }
    /** Any app's transaction: the hosted checkout is reached by id alone. */
    transactionById(txnId) {
        return this.#appOfTransaction.get(txnId)?.transactions.get(txnId);
    }
    /** The app's transactions, newest first. */
    transactions(appId) {
        return [...(this.#apps.get(appId)?.transactions.values() ?? [])].sort(newestFirst);
    }
    /**
     * Moves a transaction along the state machine; throws IllegalTransition for any
     * other move. Paying or declining gives it a provider payment id.
     */
    transition(txnId, to) {
        const state = this.#appOfTransaction.get(txnId);
        const current = state?.transactions.get(txnId);
        if (!state || !current)
            throw new Error(`No transaction ${txnId}`);
        if (!canTransition(current.status, to))
            throw new IllegalTransition(current.status, to);
        const next = Object.freeze({
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
export function randomAlnum(length) {
    let out = '';
    for (let i = 0; i < length; i++)
        out += ALNUM[randomInt(ALNUM.length)];
    return out;
}
function uniqueId(prefix, length, taken) {
    for (;;) {
        const id = prefix + randomAlnum(length);
        if (!taken(id))
            return id;
    }
}
