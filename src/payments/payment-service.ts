/**
 * The two payment writes. `initiate` is idempotent on referenceNumber: one upstream
 * transaction per reference however often, or however concurrently (on however many
 * instances), it is asked for. The record's states and transitions are in
 * ./idempotency.ts; this file walks them, one upstream step at a time.
 *
 * An initiate that got no answer may still land upstream later (it may sit in a queue
 * there), so the reference is looked up only after the upstream has had as long again
 * to act on it (the quiet period, KSPAY_TIMEOUT_MS), and sent again only if that look-up
 * finds nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { isUpstreamNotFound, toGatewayError } from '../errors/from-kspay.js';
import {
  IdempotencyConflictError,
  restoreGatewayError,
  SignatureInvalidError,
  UpstreamUnavailableError,
  type GatewayError,
} from '../errors/gateway-errors.js';
import type { KsPayClient } from '../kspay/client.js';
import { isKsPayError, type KsPayError } from '../kspay/kspay-error.js';
import type { InitiatedTransaction, InitiateTransactionArgs, ProcessedTransaction, Transaction } from '../kspay/models.js';
import type { Logger } from '../observability/logger.js';
import { IdempotencyStoreFullError, type IdempotencyStore } from '../stores/types.js';
import {
  fingerprintOf,
  idempotencyKey,
  nextStep,
  OPEN_CLIENT,
  transition,
  type Claim,
  type IdempotencyRecord,
  type Settled,
} from './idempotency.js';
import { memorySignatureOwners, type SignatureOwners } from '../stores/signature-owners.js';
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
  /** How long a reference is remembered (IDEMPOTENCY_TTL_MS). */
  ttlMs: number;
  /** KSPAY_TIMEOUT_MS: the longest one upstream step takes, and the quiet period after a lost answer. */
  upstreamTimeoutMs: number;
  /** Where a payment may redirect the customer (REDIRECT_HOSTS); the schema checks redirectUrl against it. */
  redirectHosts: RedirectHosts;
  logger: Logger;
  /** Told of every transaction an initiate created or adopted (live updates). */
  onTransaction?: (transaction: Transaction) => void;
  /** Binds each signature to the client that initiated (src/stores/signature-owners.ts); default: in this process. */
  signatureOwners?: SignatureOwners;
}

/** What one upstream initiate came to. */
type SendOutcome =
  | { kind: 'answered'; transaction: Transaction; signature: string }
  | { kind: 'refused'; error: GatewayError }
  | { kind: 'not-sent'; error: unknown }
  | { kind: 'no-answer' };

/** Upstream initiates one call may make: the first, and one more after a look-up found nothing. */
const SENDS_PER_CALL = 2;
const WAIT_POLL_MS = 50;

export class PaymentService {
  readonly #options: PaymentServiceOptions;
  /** A claim is trusted this long after its last renewal; each step renews it. */
  readonly #leaseMs: number;
  /** In-process callers of one reference share the first one's work instead of polling the store. */
  readonly #inFlight = new Map<string, Promise<unknown>>();
  /** Transactions this instance initiated, by signature, so processing them can be told at once. */
  readonly #initiatedBySignature = new LRUCache<string, Transaction>({ max: 10_000 });

  readonly #signatureOwners: SignatureOwners;

  constructor(options: PaymentServiceOptions) {
    this.#options = options;
    this.#signatureOwners = options.signatureOwners ?? memorySignatureOwners(10_000);
    this.#leaseMs = options.upstreamTimeoutMs * 3;
  }

  get redirectHosts(): RedirectHosts {
    return this.#options.redirectHosts;
  }

  /**
   * The transaction as KS Pay holds it now, read past every cache, for a payment return:
   * null when KS Pay has none. Watchers of the transaction hear of it at once.
   */
  async readForReturn(id: string): Promise<Transaction | null> {
    try {
      const transaction = await this.#options.client.transaction({ id });
      this.#options.onTransaction?.(transaction);
      return transaction;
    } catch (error) {
      if (isUpstreamNotFound(error)) return null;
      throw toGatewayError(error);
    }
  }

  async process(signature: string, { clientId }: InitiateOptions): Promise<ProcessedTransaction> {
    // A signature this gateway issued to another client is refused here; one it never bound goes to KS Pay, which knows it or not.
    const owner = await this.#signatureOwners.ownerOf(signature).catch(storeUnavailable);
    if (owner !== null && owner !== (clientId ?? OPEN_CLIENT)) {
      throw new SignatureInvalidError('OTHER_CLIENT', 'This signature was issued to another API key; process a payment with the key that initiated it');
    }
    let processed: ProcessedTransaction;
    try {
      processed = await this.#options.client.processTransaction({ signature });
    } catch (error) {
      throw toGatewayError(error);
    }
    // Watchers hear of PROCESSING at once when this instance initiated the payment (else the poll finds it).
    const initiated = this.#initiatedBySignature.get(signature);
    if (initiated?.status === 'INITIATED') {
      this.#initiatedBySignature.delete(signature);
      this.#options.onTransaction?.({ ...initiated, status: 'PROCESSING', providerOrderId: processed.providerOrderId ?? initiated.providerOrderId });
    }
    return processed;
  }

  async initiate(args: InitiateTransactionArgs, { clientId }: InitiateOptions): Promise<InitiateResult> {
    const key = idempotencyKey(this.#options.client.appId, args.referenceNumber);
    const caller = {
      owner: clientId ?? OPEN_CLIENT,
      fingerprint: fingerprintOf({
        currencyId: args.currencyId,
        paymentMethodId: args.paymentMethodId,
        amount: args.amount.text,
        redirectUrl: args.redirectUrl,
      }),
    };
    const { store } = this.#options;
    for (;;) {
      await this.#inFlight.get(key)?.catch(() => undefined);
      const record = await store.get(key).catch(storeUnavailable);
      const now = Date.now();
      const step = nextStep(record, caller, now, this.#leaseMs);
      switch (step.kind) {
        case 'conflict':
          throw new IdempotencyConflictError(args.referenceNumber);
        case 'replay':
          return replay(step.record);
        case 'wait':
          await sleep(Math.min(WAIT_POLL_MS, Math.max(1, step.untilMs - now)));
          continue;
        case 'claim': {
          transition('none', 'claim');
          const claim: Claim = { state: 'claimed', version: 1, ...caller, createdAt: now, claimedAt: now, abandonedAt: null };
          if (await store.create(key, claim, this.#options.ttlMs).catch(storeUnavailable)) return this.#runOnce(key, claim, args);
          continue;
        }
        case 'take-over': {
          const claim: Claim = { ...claimFrom(step.record), version: step.record.version + 1, claimedAt: now, abandonedAt: step.abandonedAt };
          if (await store.replace(key, claim, this.#options.ttlMs).catch(storeUnavailable)) return this.#runOnce(key, claim, args);
          continue;
        }
      }
    }
  }

  #runOnce(key: string, claim: Claim, args: InitiateTransactionArgs): Promise<InitiateResult> {
    const work = this.#run(key, claim, args).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, work);
    return work;
  }

  /** Works a claimed reference to an answer: look up what may have landed, send, settle. */
  async #run(key: string, claim: Claim, args: InitiateTransactionArgs): Promise<InitiateResult> {
    let current = claim;
    for (let sends = 0; sends < SENDS_PER_CALL; sends++) {
      if (current.abandonedAt !== null) {
        const found = await this.#lookUpAfterQuiet(key, current, args);
        current = found.claim;
        if (found.transaction) return this.#adopt(key, current, found.transaction);
      }
      current = await this.#renew(key, current);
      const outcome = await this.#send(args);
      switch (outcome.kind) {
        case 'answered':
          return this.#settle(key, current, { state: 'succeeded', transaction: outcome.transaction, signature: outcome.signature });
        case 'refused':
          return this.#settle(key, current, { state: 'rejected', error: outcome.error.toRecord() });
        case 'not-sent':
          // KS Pay certainly did nothing. Free the reference, unless an earlier send may still land.
          if (current.abandonedAt === null) await this.#forget(key, current);
          else await this.#giveUp(key, current);
          throw toGatewayError(outcome.error);
        case 'no-answer':
          current = { ...current, abandonedAt: Date.now() };
      }
    }
    await this.#giveUp(key, current);
    throw new UpstreamUnavailableError(
      'KS Pay did not confirm the transaction; send the same request again to resolve it (no duplicate will be created)',
      true,
      null,
      this.#options.upstreamTimeoutMs,
    );
  }

  /**
   * Waits out the quiet period after the last unanswered send, then looks the reference
   * up. Throws UPSTREAM_UNAVAILABLE (and leaves the reference unknown) when KS Pay
   * cannot tell.
   */
  async #lookUpAfterQuiet(key: string, claim: Claim, args: InitiateTransactionArgs): Promise<{ claim: Claim; transaction: Transaction | null }> {
    let current = await this.#renew(key, claim);
    const quietLeftMs = current.abandonedAt! + this.#options.upstreamTimeoutMs - Date.now();
    if (quietLeftMs > 0) {
      await sleep(quietLeftMs);
      current = await this.#renew(key, current);
    }
    try {
      return { claim: current, transaction: await findByReference(this.#options.client, args.referenceNumber, current.createdAt) };
    } catch (error) {
      this.#options.logger.warn({ err: error, referenceNumber: args.referenceNumber }, 'reference look-up failed');
      await this.#giveUp(key, current);
      throw new UpstreamUnavailableError(
        'KS Pay could not confirm whether the transaction was created; send the same request again later',
        true,
        isKsPayError(error) ? error.code : null,
      );
    }
  }

  /** A transaction an earlier send created, found by its reference. */
  async #adopt(key: string, claim: Claim, found: Transaction): Promise<InitiateResult> {
    if (found.signature) return this.#settle(key, claim, { state: 'succeeded', transaction: found, signature: found.signature });
    // KS Pay's documented list carries no signature: the transaction exists but can never be processed.
    const lost = new SignatureInvalidError(
      'LOST',
      `KS Pay created transaction ${found.id} but its answer, with the signature, was lost; ` +
        'it cannot be processed. Start a new payment with a new referenceNumber.',
    );
    return this.#settle(key, claim, { state: 'rejected', error: lost.toRecord() });
  }

  async #send(args: InitiateTransactionArgs): Promise<SendOutcome> {
    let initiated: InitiatedTransaction;
    try {
      initiated = await this.#options.client.initiateTransaction(args);
    } catch (error) {
      if (!isKsPayError(error)) return { kind: 'no-answer' };
      if (isRejection(error)) return { kind: 'refused', error: toGatewayError(error) as GatewayError };
      return mayHaveLanded(error) ? { kind: 'no-answer' } : { kind: 'not-sent', error };
    }
    const transaction = initiated.transactionId ? transactionFromAnswer(initiated, args) : await this.#readBack(args);
    // Signature-only answer, and the list does not show it yet: treat it as unanswered; the look-up will find it.
    return transaction ? { kind: 'answered', transaction, signature: initiated.signature } : { kind: 'no-answer' };
  }

  /** The signature-only answer names no transaction: find it by its reference. */
  async #readBack(args: InitiateTransactionArgs): Promise<Transaction | null> {
    return findByReference(this.#options.client, args.referenceNumber, Date.now()).catch((error: unknown) => {
      this.#options.logger.warn({ err: error, referenceNumber: args.referenceNumber }, 'reading back an initiated transaction failed');
      return null;
    });
  }

  /** claimed → succeeded | rejected; then the answer, the same one every later call replays. */
  async #settle(key: string, claim: Claim, outcome: Pick<Settled, 'state'> & Partial<Settled>): Promise<InitiateResult> {
    transition('claimed', outcome.state === 'succeeded' ? 'answered' : 'refused');
    const settled = { ...claimFrom(claim), ...outcome, version: claim.version + 1 } as Settled;
    await this.#write(key, settled, 'settle');
    if (settled.state === 'succeeded') {
      // The payment exists whatever happens here: a failed binding is logged, and that signature goes unchecked.
      await this.#signatureOwners.bind(settled.signature, settled.owner, this.#options.ttlMs).catch((error: unknown) => {
        this.#options.logger.warn({ err: error, transactionId: settled.transaction.id }, 'binding a signature to its client failed');
      });
      this.#initiatedBySignature.set(settled.signature, settled.transaction);
      this.#options.onTransaction?.(settled.transaction);
    }
    return replay(settled);
  }

  /** claimed → claimed, with a fresh lease; throws when another caller took the reference over. */
  async #renew(key: string, claim: Claim): Promise<Claim> {
    transition('claimed', 'renew');
    const renewed: Claim = { ...claim, version: claim.version + 1, claimedAt: Date.now() };
    const ok = await this.#options.store.replace(key, renewed, this.#options.ttlMs).catch(storeUnavailable);
    if (!ok) throw new UpstreamUnavailableError('Another request is resolving this referenceNumber; retry shortly', true, null, WAIT_POLL_MS * 10);
    return renewed;
  }

  /** claimed → unknown: nobody works on it now, and a later call resolves it. */
  async #giveUp(key: string, claim: Claim): Promise<void> {
    transition('claimed', 'gaveUp');
    const unknown: IdempotencyRecord = { ...claimFrom(claim), state: 'unknown', version: claim.version + 1, abandonedAt: claim.abandonedAt ?? Date.now() };
    await this.#write(key, unknown, 'give up');
  }

  /** claimed → (none): KS Pay certainly has nothing for this reference. */
  async #forget(key: string, claim: Claim): Promise<void> {
    transition('claimed', 'notSent');
    const removed = await this.#options.store.remove(key, claim.version).catch((error: unknown) => this.#logStoreFailure('forget', key, error));
    if (removed === false) this.#logStoreFailure('forget', key, 'the record changed under the claim');
  }

  async #write(key: string, next: IdempotencyRecord, what: string): Promise<void> {
    // The answer stands either way; a lost write only makes a later call resolve the reference again.
    const ok = await this.#options.store.replace(key, next, this.#options.ttlMs).catch((error: unknown) => this.#logStoreFailure(what, key, error));
    if (ok === false) this.#logStoreFailure(what, key, 'the record changed under the claim');
  }

  #logStoreFailure(what: string, key: string, error: unknown): undefined {
    this.#options.logger.warn({ err: error, idempotencyKey: key }, `idempotency store: ${what} failed`);
    return undefined;
  }
}

/** The fields every state carries. */
function claimFrom(record: IdempotencyRecord) {
  const { owner, fingerprint, createdAt } = record;
  return { state: 'claimed' as const, owner, fingerprint, createdAt };
}

function replay(record: Settled): InitiateResult {
  if (record.state === 'rejected') throw restoreGatewayError(record.error);
  return { transaction: record.transaction, signature: record.signature };
}

function transactionFromAnswer(initiated: InitiatedTransaction, args: InitiateTransactionArgs): Transaction {
  return {
    id: initiated.transactionId!,
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

/** A 4xx with a KS Pay code (not an auth failure): the upstream looked at the request and said no. */
function isRejection(error: KsPayError): boolean {
  return error.reason === 'rejected' && error.httpStatus >= 400 && error.httpStatus < 500 && error.httpStatus !== 401;
}

/** Whether the upstream might have created the transaction despite the error (an unreadable 2xx included). */
function mayHaveLanded(error: KsPayError): boolean {
  return error.outcomeUnknown || error.httpStatus >= 500 || (error.reason === 'bad-response' && error.httpStatus < 300);
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
