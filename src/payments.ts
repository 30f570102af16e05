/**
 * The two payment writes. initiate is idempotent on referenceNumber: one upstream
 * transaction per reference however often, or however concurrently (on however many
 * instances), it is asked for; a lost answer is resolved by looking the reference up
 * before anything is sent again.
 */
import {
  fromKsPayError,
  IdempotencyConflictError,
  restoreGatewayError,
  serializeGatewayError,
  SignatureInvalidError,
  UpstreamUnavailableError,
} from './errors.js';
import {
  fingerprintOf,
  idempotencyKey,
  IdempotencyStoreFullError,
  OPEN_CLIENT,
  type IdempotencyRecord,
  type IdempotencyStore,
} from './idempotency.js';
import type { KsPayClient } from './kspay/client.js';
import { isKsPayError, type KsPayError } from './kspay/errors.js';
import type { InitiatedTransaction, InitiateTransactionArgs, ProcessedTransaction, Transaction } from './kspay/models.js';
import type { RedirectHosts } from './redirect-url.js';
import { findByReference } from './reference-lookup.js';

export interface InitiateResult {
  transaction: Transaction;
  signature: string;
}

export interface InitiateOptions {
  /** The calling client's API key id (`Caller.keyId`); null when client auth is off. */
  clientId: string | null;
}

export interface PaymentServiceOptions {
  client: KsPayClient;
  store: IdempotencyStore;
  ttlMs: number;
  /**
   * How long a claim is trusted: a claimant sends at most one initiate per claim, so past
   * this (a crashed instance, a lost store write) its attempt counts as unknown.
   */
  claimLeaseMs: number;
  /** Where a payment may redirect the customer (REDIRECT_HOSTS); the schema checks redirectUrl against it. */
  redirectHosts: RedirectHosts;
  /** Told of every transaction an initiate created or adopted (live updates). */
  onTransaction?: (transaction: Transaction) => void;
}

type Settled = Extract<IdempotencyRecord, { state: 'succeeded' | 'rejected' }>;
type Claim = Extract<IdempotencyRecord, { state: 'pending' }>;

export class PaymentService {
  readonly #options: PaymentServiceOptions;
  /** In-process waiters share the first call's promise instead of polling the store. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(options: PaymentServiceOptions) {
    this.#options = options;
  }

  get redirectHosts(): RedirectHosts {
    return this.#options.redirectHosts;
  }

  async initiate(args: InitiateTransactionArgs, { clientId }: InitiateOptions): Promise<InitiateResult> {
    const key = idempotencyKey(this.#options.client.appId, args.referenceNumber);
    const owner = clientId ?? OPEN_CLIENT;
    const fingerprint = fingerprintOf({
      currencyId: args.currencyId,
      paymentMethodId: args.paymentMethodId,
      amount: args.amount.text,
      redirectUrl: args.redirectUrl,
    });
    return this.#settle(key, fingerprint, owner, args);
  }

  async process(signature: string): Promise<ProcessedTransaction> {
    try {
      return await this.#options.client.processTransaction({ signature });
    } catch (error) {
      throw isKsPayError(error) ? fromKsPayError(error) : error;
    }
  }

  async #settle(key: string, fingerprint: string, owner: string, args: InitiateTransactionArgs): Promise<InitiateResult> {
    const { store, ttlMs, claimLeaseMs } = this.#options;
    for (;;) {
      const running = this.#inFlight.get(key);
      if (running) await running.catch(() => undefined);

      const record = await store.get(key).catch(storeUnavailable);
      // Another client's reference is a conflict whatever its input: its answer is not ours to see.
      if (record && (record.owner !== owner || record.fingerprint !== fingerprint)) {
        throw new IdempotencyConflictError(args.referenceNumber);
      }
      if (record?.state === 'succeeded' || record?.state === 'rejected') return replay(record);
      if (this.#inFlight.has(key)) continue; // another local caller got here during the await
      if (record?.state === 'pending' && Date.now() - record.claimedAt < claimLeaseMs) {
        await this.#waitWhilePending(key, record.claimedAt + claimLeaseMs);
        continue;
      }

      // Ours to run: a fresh claim, an attempt whose outcome is unknown, or a lapsed claim.
      const claim: Claim = { state: 'pending', fingerprint, owner, createdAt: record?.createdAt ?? Date.now(), claimedAt: Date.now() };
      const ours = record
        ? await store.replace(key, record, claim, ttlMs).catch(storeUnavailable)
        : await store.claim(key, claim, ttlMs).catch(storeUnavailable);
      if (!ours) continue;
      const attempt = this.#run(key, claim, args, record ? record.createdAt : null);
      this.#inFlight.set(key, attempt);
      try {
        return await attempt;
      } finally {
        this.#inFlight.delete(key);
      }
    }
  }

  /**
   * Up to two upstream initiates, each under a claim of its own, with a look-up of the
   * reference before any of them when an earlier attempt may have landed.
   * `unknownSince` is when that earlier attempt began (null for a fresh claim).
   */
  async #run(key: string, claim: Claim, args: InitiateTransactionArgs, unknownSince: number | null): Promise<InitiateResult> {
    const { store, ttlMs, client } = this.#options;
    const { fingerprint, owner, createdAt } = claim;
    const settle = async (record: Settled) => {
      await store.put(key, record, ttlMs).catch(() => undefined);
      if (record.state === 'succeeded') this.#options.onTransaction?.(record.transaction);
      return replay(record);
    };
    const unknown: IdempotencyRecord = { state: 'unknown', fingerprint, owner, createdAt };

    if (unknownSince !== null) {
      const adopted = await this.#lookUp(args, key, unknown);
      if (adopted) return settle({ state: 'succeeded', fingerprint, owner, createdAt, ...adopted });
    }
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (attempt === 2) {
        // Re-claim before sending again: if another caller took over meanwhile, it resolves it.
        const again: Claim = { ...claim, claimedAt: Date.now() };
        if (!(await store.replace(key, unknown, again, ttlMs).catch(() => false))) break;
      }
      try {
        const initiated = await client.initiateTransaction(args);
        const transaction = await this.#transactionOf(initiated, args, createdAt);
        return settle({ state: 'succeeded', fingerprint, owner, createdAt, transaction, signature: initiated.signature });
      } catch (error) {
        if (isKsPayError(error) && isRejection(error)) {
          return settle({ state: 'rejected', fingerprint, owner, createdAt, error: serializeGatewayError(fromKsPayError(error)) });
        }
        if (isKsPayError(error) && !mayHaveLanded(error)) {
          // Certainly not created upstream: free the reference for a later retry.
          await store.delete(key).catch(() => undefined);
          throw fromKsPayError(error);
        }
        // No answer, a 5xx, or anything unforeseen after sending: the transaction may exist.
        await store.put(key, unknown, ttlMs).catch(() => undefined);
        if (!isKsPayError(error)) throw error;
        const adopted = await this.#lookUp(args, key, unknown);
        if (adopted) return settle({ state: 'succeeded', fingerprint, owner, createdAt, ...adopted });
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
  async #lookUp(args: InitiateTransactionArgs, key: string, unknown: IdempotencyRecord): Promise<{ transaction: Transaction; signature: string } | null> {
    const { store, ttlMs, client } = this.#options;
    let found: Transaction | null;
    try {
      found = await findByReference(client, args.referenceNumber, unknown.createdAt);
    } catch (error) {
      await store.put(key, unknown, ttlMs).catch(() => undefined);
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
      const { fingerprint, owner, createdAt } = unknown;
      const record: Settled = { state: 'rejected', fingerprint, owner, createdAt, error: serializeGatewayError(lost) };
      await store.put(key, record, ttlMs).catch(() => undefined);
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

  /** Waits for another caller's claim to settle, or for its lease to run out. */
  async #waitWhilePending(key: string, leaseEndsAt: number): Promise<void> {
    while (Date.now() < leaseEndsAt) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const record = await this.#options.store.get(key).catch(storeUnavailable);
      if (record?.state !== 'pending') return;
    }
  }
}

function replay(record: Settled): InitiateResult {
  if (record.state === 'rejected') throw restoreGatewayError(record.error);
  return { transaction: record.transaction, signature: record.signature };
}

/** A 4xx with a KS Pay code (not an auth failure): the upstream looked at the request and said no. */
function isRejection(error: KsPayError): boolean {
  return error.reason === 'rejected' && error.httpStatus >= 400 && error.httpStatus < 500 && error.httpStatus !== 401;
}

/** Whether the upstream might have created the transaction despite the error. */
function mayHaveLanded(error: KsPayError): boolean {
  return error.outcomeUnknown || error.httpStatus >= 500;
}

function storeUnavailable(error: unknown): never {
  if (error instanceof IdempotencyStoreFullError) {
    throw new UpstreamUnavailableError(
      'The gateway is at its idempotency capacity and cannot take a new referenceNumber now; ' +
        'retry later (references already in use still replay)',
      true,
    );
  }
  throw new UpstreamUnavailableError('The idempotency store is unavailable; retry shortly', true);
}
