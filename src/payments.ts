/**
 * The two payment writes. initiate is idempotent on referenceNumber: one upstream
 * transaction per reference however often, or however concurrently, it is asked for,
 * and a lost answer is resolved by looking the reference up before anything is re-sent.
 */
import {
  fromKsPayError,
  GatewayError,
  IdempotencyConflictError,
  restoreGatewayError,
  serializeGatewayError,
  SignatureInvalidError,
  UpstreamUnavailableError,
} from './errors.js';
import { fingerprintOf, idempotencyKey, type IdempotencyRecord, type IdempotencyStore } from './idempotency.js';
import type { KsPayClient } from './kspay/client.js';
import { isKsPayError, type KsPayError } from './kspay/errors.js';
import type { InitiatedTransaction, InitiateTransactionArgs, ProcessedTransaction, Transaction } from './kspay/models.js';
import { findByReference } from './reference-lookup.js';

export interface InitiateResult {
  transaction: Transaction;
  signature: string;
}

export interface PaymentServiceOptions {
  client: KsPayClient;
  store: IdempotencyStore;
  ttlMs: number;
  /** How long to wait for another instance's in-flight call before treating it as unknown. */
  pendingWaitMs: number;
}

type Settled = Extract<IdempotencyRecord, { state: 'succeeded' | 'rejected' }>;

export class PaymentService {
  readonly #options: PaymentServiceOptions;
  /** In-process waiters share the first call's promise instead of polling the store. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(options: PaymentServiceOptions) {
    this.#options = options;
  }

  async initiate(args: InitiateTransactionArgs): Promise<InitiateResult> {
    const key = idempotencyKey(this.#options.client.appId, args.referenceNumber);
    const fingerprint = fingerprintOf({
      currencyId: args.currencyId,
      paymentMethodId: args.paymentMethodId,
      amount: args.amount.text,
      redirectUrl: args.redirectUrl,
    });
    return this.#settle(key, fingerprint, args);
  }

  async process(signature: string): Promise<ProcessedTransaction> {
    try {
      return await this.#options.client.processTransaction({ signature });
    } catch (error) {
      throw asGatewayError(error);
    }
  }

  async #settle(key: string, fingerprint: string, args: InitiateTransactionArgs): Promise<InitiateResult> {
    const { store, ttlMs } = this.#options;
    for (;;) {
      const running = this.#inFlight.get(key);
      if (running) await running.catch(() => undefined);

      const record = await store.get(key).catch(storeUnavailable);
      if (record && record.fingerprint !== fingerprint) throw new IdempotencyConflictError(args.referenceNumber);
      if (record?.state === 'succeeded' || record?.state === 'rejected') return replay(record);
      if (record?.state === 'pending') {
        if (this.#inFlight.has(key)) continue;
        await this.#waitWhilePending(key);
        continue;
      }

      if (this.#inFlight.has(key)) continue; // another local caller got here during the await
      const pending: IdempotencyRecord = { state: 'pending', fingerprint, createdAt: record?.createdAt ?? Date.now() };
      const ours = record
        ? await store.replace(key, record, pending, ttlMs).catch(storeUnavailable)
        : await store.claim(key, pending, ttlMs).catch(storeUnavailable);
      if (!ours) continue;
      // Ours to run: a fresh claim, or an earlier attempt whose outcome is unknown.
      const attempt = this.#run(key, fingerprint, args, record?.state === 'unknown' ? record.createdAt : null);
      this.#inFlight.set(key, attempt);
      try {
        return await attempt;
      } finally {
        this.#inFlight.delete(key);
      }
    }
  }

  /**
   * One upstream initiate, or, when an earlier one may have landed, a look-up first.
   * `unknownSince` is when the unanswered attempt began (null for a fresh claim).
   */
  async #run(key: string, fingerprint: string, args: InitiateTransactionArgs, unknownSince: number | null): Promise<InitiateResult> {
    const { store, ttlMs, client } = this.#options;
    const createdAt = unknownSince ?? Date.now();
    const settle = async (record: Settled) => {
      await store.put(key, record, ttlMs).catch(() => undefined);
      return replay(record);
    };

    if (unknownSince !== null) {
      const adopted = await this.#lookUp(args, unknownSince, key, fingerprint);
      if (adopted) return settle({ state: 'succeeded', fingerprint, createdAt, ...adopted });
    }
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const initiated = await client.initiateTransaction(args);
        const transaction = await this.#transactionOf(initiated, args, createdAt);
        return settle({ state: 'succeeded', fingerprint, createdAt, transaction, signature: initiated.signature });
      } catch (error) {
        if (!isKsPayError(error)) {
          // Anything unforeseen after sending: the transaction may exist, so never forget that.
          await store.put(key, { state: 'unknown', fingerprint, createdAt }, ttlMs).catch(() => undefined);
          throw error;
        }
        if (isRejection(error)) {
          return settle({ state: 'rejected', fingerprint, createdAt, error: serializeGatewayError(fromKsPayError(error)) });
        }
        if (!mayHaveLanded(error)) {
          // Certainly not created upstream: free the reference for a later retry.
          await store.delete(key).catch(() => undefined);
          throw fromKsPayError(error);
        }
        await store.put(key, { state: 'unknown', fingerprint, createdAt }, ttlMs).catch(() => undefined);
        const adopted = await this.#lookUp(args, createdAt, key, fingerprint);
        if (adopted) return settle({ state: 'succeeded', fingerprint, createdAt, ...adopted });
      }
    }
    throw new UpstreamUnavailableError(
      'KS Pay did not confirm the transaction; send the same request again to resolve it (no duplicate will be created)',
      true,
    );
  }

  /**
   * Finds an earlier attempt's transaction by reference. Null when the upstream
   * certainly has none; throws UPSTREAM_UNAVAILABLE when it cannot be told.
   */
  async #lookUp(
    args: InitiateTransactionArgs,
    since: number,
    key: string,
    fingerprint: string,
  ): Promise<{ transaction: Transaction; signature: string } | null> {
    let found: Transaction | null;
    try {
      found = await findByReference(this.#options.client, args.referenceNumber, since);
    } catch (error) {
      await this.#options.store.put(key, { state: 'unknown', fingerprint, createdAt: since }, this.#options.ttlMs).catch(() => undefined);
      throw new UpstreamUnavailableError(
        'KS Pay could not confirm whether the transaction was created; send the same request again later',
        true,
        isKsPayError(error) ? error.code : null,
      );
    }
    if (!found) return null;
    if (!found.signature) {
      const lost = new SignatureInvalidError(
        'LOST',
        `KS Pay created transaction ${found.id} but its answer, with the signature, was lost; ` +
          'it cannot be processed. Start a new payment with a new referenceNumber.',
      );
      await this.#options.store
        .put(key, { state: 'rejected', fingerprint, createdAt: since, error: serializeGatewayError(lost) }, this.#options.ttlMs)
        .catch(() => undefined);
      throw lost;
    }
    return { transaction: found, signature: found.signature };
  }

  /** The transaction a successful initiate created, read from its answer or looked up. */
  async #transactionOf(initiated: InitiatedTransaction, args: InitiateTransactionArgs, since: number): Promise<Transaction> {
    if (initiated.transactionId) {
      return {
        id: initiated.transactionId,
        referenceNumber: args.referenceNumber,
        amount: initiated.amount ?? args.amount,
        currencyCode: initiated.currencyCode,
        currencyId: args.currencyId,
        paymentMethodId: args.paymentMethodId,
        status: 'INITIATED',
        providerOrderId: initiated.providerOrderId,
        providerPaymentId: null,
        redirectUrl: args.redirectUrl,
        createdAt: null,
        updatedAt: null,
      };
    }
    // The signature-only shape names no transaction: find it by its reference.
    const found = await findByReference(this.#options.client, args.referenceNumber, since).catch(() => null);
    if (!found) throw new UpstreamUnavailableError('KS Pay accepted the transaction but it could not be read back yet', true);
    return found;
  }

  async #waitWhilePending(key: string): Promise<void> {
    const deadline = Date.now() + this.#options.pendingWaitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const record = await this.#options.store.get(key).catch(storeUnavailable);
      if (record?.state !== 'pending') return;
    }
    throw new UpstreamUnavailableError('Another request for this referenceNumber is still in progress; retry shortly', true);
  }
}

function replay(record: Settled): InitiateResult {
  if (record.state === 'rejected') throw restoreGatewayError(record.error);
  return { transaction: record.transaction, signature: record.signature };
}

/** A 4xx with a KS Pay code: the upstream looked at the request and said no. */
function isRejection(error: KsPayError): boolean {
  return error.reason === 'rejected' && error.httpStatus >= 400 && error.httpStatus < 500 && error.httpStatus !== 401;
}

/** Whether the upstream might have created the transaction despite the error. */
function mayHaveLanded(error: KsPayError): boolean {
  return error.outcomeUnknown || error.httpStatus >= 500;
}

function asGatewayError(error: unknown): unknown {
  return isKsPayError(error) ? fromKsPayError(error) : error;
}

function storeUnavailable(): never {
  throw new UpstreamUnavailableError('The idempotency store is unavailable; retry shortly', true);
}

export { GatewayError };
