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
import { IdempotencyConflictError, restoreGatewayError, SignatureInvalidError, UpstreamUnavailableError, type GatewayError } from '../errors/gateway-errors.js';
import type { KsPayClient } from '../kspay/client.js';
import { isKsPayError } from '../kspay/kspay-error.js';
import type { InitiatedTransaction, InitiateTransactionArgs, ProcessedTransaction, Transaction } from '../kspay/models.js';
import type { Logger } from '../observability/logger.js';
import type { IdempotencyStore } from '../stores/types.js';
import {
  CLAIM_WAIT_MS,
  fingerprintOf,
  idempotencyKey,
  nextStep,
  KEYLESS_OWNER,
  transition,
  type Claim,
  type IdempotencyRecord,
  type Settled,
} from './idempotency.js';
import { memorySignatureOwners, type SignatureOwners } from '../stores/signature-owners.js';
import type { ReferenceLedger } from '../stores/reference-ledger.js';
import type { RedirectHosts } from './redirect-url.js';
import type { LossLookup } from './loss-window.js';
import {
  claimBusy,
  isRejection,
  lookUpUnavailable,
  mayHaveLanded,
  notConfirmedYet,
  settledWithin,
  storeUnavailable,
  transactionFromAnswer,
} from './initiate-outcomes.js';
import { findByReference } from './reference-lookup.js';
import type { UpstreamTimings } from '../config/upstream-timings.js';

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
  /** The KS Pay timings a payment waits by (src/config/upstream-timings.ts). */
  timings: Pick<UpstreamTimings, 'callTimeoutMs' | 'quietAfterLostAnswerMs' | 'claimLeaseMs'>;
  /** Where a payment may redirect the customer (REDIRECT_HOSTS); the schema checks redirectUrl against it. */
  redirectHosts: RedirectHosts;
  logger: Logger;
  /** Told of every transaction an initiate created or adopted (live updates). */
  onTransaction?: (transaction: Transaction) => void;
  /** After the store lost records: look a new reference up before sending (./loss-window.ts). */
  lossLookup?: LossLookup;
  /** Binds each signature to the client that initiated (src/stores/signature-owners.ts); default: in this process. */
  signatureOwners?: SignatureOwners;
  /** Notes each answered reference by when it was asked, for reconciliation (src/stores/reference-ledger.ts). */
  ledger?: ReferenceLedger;
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
/**
 * The longest one initiate holds its client before answering, below common 30 s client
 * timeouts: a quiet period that would end past it is answered at once, retryable, with
 * `retryAfterMs` its end, and the record says where the next call picks up.
 */
const HOLD_BUDGET_MS = 25_000;

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
    this.#leaseMs = options.timings.claimLeaseMs;
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
    if (owner !== null && owner !== (clientId ?? KEYLESS_OWNER)) {
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
      owner: clientId ?? KEYLESS_OWNER,
      fingerprint: fingerprintOf({
        currencyId: args.currencyId,
        paymentMethodId: args.paymentMethodId,
        amount: args.amount.text,
        redirectUrl: args.redirectUrl,
      }),
      // Kept in the record for reconciliation; matching a request is the fingerprint's job.
      asked: { amount: args.amount.text, currencyId: args.currencyId },
    };
    const { store, lossLookup } = this.#options;
    const startedAt = Date.now();
    for (;;) {
      // Another call of this instance on the reference: wait for it (no await at all when there is none).
      const inFlight = this.#inFlight.get(key);
      if (inFlight !== undefined) await settledWithin(inFlight, startedAt + CLAIM_WAIT_MS - Date.now());
      const record = await store.get(key).catch(storeUnavailable);
      const now = Date.now();
      const step = nextStep(record, caller, now, this.#leaseMs, { waitingSince: startedAt, lookUpFrom: lossLookup?.lookUpFrom(now) });
      switch (step.kind) {
        case 'conflict':
          throw new IdempotencyConflictError(args.referenceNumber);
        case 'replay':
          return replay(step.record);
        case 'wait':
          await sleep(Math.min(WAIT_POLL_MS, Math.max(1, step.untilMs - now)));
          continue;
        case 'busy':
          throw claimBusy(step.retryAfterMs);
        case 'claim': {
          const claim: Claim = { state: 'claimed', version: 1, ...caller, createdAt: now, claimedAt: now, abandonedAt: null, lookUpFrom: step.lookUpFrom };
          if (await store.create(key, claim, this.#options.ttlMs).catch(storeUnavailable)) return this.#runOnce(key, claim, args, startedAt);
          continue;
        }
        case 'take-over': {
          // A lapsed claim made after a loss may have died before its look-up: the taker looks too.
          const lookUpFrom = step.record.state === 'claimed' ? step.record.lookUpFrom : undefined;
          const claim: Claim = { ...claimFrom(step.record), version: step.record.version + 1, claimedAt: now, abandonedAt: step.abandonedAt, lookUpFrom };
          if (await store.replace(key, claim, this.#options.ttlMs).catch(storeUnavailable)) return this.#runOnce(key, claim, args, startedAt);
          continue;
        }
      }
    }
  }

  #runOnce(key: string, claim: Claim, args: InitiateTransactionArgs, startedAt: number): Promise<InitiateResult> {
    const work = this.#run(key, claim, args, startedAt).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, work);
    return work;
  }

  /** Works a claimed reference to an answer: look up what may have landed, send, settle. */
  async #run(key: string, claim: Claim, args: InitiateTransactionArgs, startedAt: number): Promise<InitiateResult> {
    let current = claim;
    if (current.lookUpFrom !== undefined) {
      const found = await this.#lookUpAfterLoss(key, current, args, startedAt);
      current = found.claim;
      if (found.transaction) return this.#adopt(key, current, found.transaction);
    }
    for (let sends = 0; sends < SENDS_PER_CALL; sends++) {
      if (current.abandonedAt !== null) {
        const found = await this.#lookUpAfterQuiet(key, current, args, startedAt);
        current = found.claim;
        if (found.transaction) return this.#adopt(key, current, found.transaction);
      }
      // A claim this call took moments ago holds nearly its whole lease (3 call timeouts): renewing it
      // before the first send would only cost another store write (a Redis round trip on every initiate).
      const fresh = sends === 0 && current === claim && claim.lookUpFrom === undefined && Date.now() - claim.claimedAt < this.#leaseMs / 10;
      if (!fresh) current = await this.#renew(key, current);
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
      this.#options.timings.quietAfterLostAnswerMs,
    );
  }

  /**
   * Waits out the quiet period after the last unanswered send, then looks the reference
   * up. Throws UPSTREAM_UNAVAILABLE (and leaves the reference unknown) when KS Pay
   * cannot tell.
   */
  async #lookUpAfterQuiet(
    key: string,
    claim: Claim,
    args: InitiateTransactionArgs,
    startedAt: number,
  ): Promise<{ claim: Claim; transaction: Transaction | null }> {
    let current = await this.#renew(key, claim);
    const quietLeftMs = current.abandonedAt! + this.#options.timings.quietAfterLostAnswerMs - Date.now();
    if (quietLeftMs > 0 && Date.now() - startedAt + quietLeftMs + this.#options.timings.callTimeoutMs > HOLD_BUDGET_MS) {
      // The quiet period and the look-up would hold the client too long: answer now; the next call looks it up.
      await this.#giveUp(key, current);
      throw notConfirmedYet(quietLeftMs);
    }
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

  /**
   * The store lost records since `lookUpFrom`: this reference may have a transaction a
   * forgotten record stood for. KS Pay not answering: nothing is sent, and the reference
   * is freed so the next call looks again.
   */
  async #lookUpAfterLoss(
    key: string,
    claim: Claim,
    args: InitiateTransactionArgs,
    startedAt: number,
  ): Promise<{ claim: Claim; transaction: Transaction | null }> {
    const lossLookup = this.#options.lossLookup!;
    let current = claim;
    // A send made before the loss may still land: look only once it has had its quiet period.
    const quietLeftMs = lossLookup.quietUntil() - Date.now();
    if (quietLeftMs > 0) {
      if (Date.now() - startedAt + quietLeftMs + this.#options.timings.callTimeoutMs > HOLD_BUDGET_MS) {
        await this.#free(key, current, 'notLookedUp');
        throw lookUpUnavailable(null, quietLeftMs);
      }
      await sleep(quietLeftMs);
      current = await this.#renew(key, current);
    }
    try {
      return { claim: current, transaction: await lossLookup.find(args.referenceNumber, current.lookUpFrom!, current.claimedAt) };
    } catch (error) {
      this.#options.logger.warn({ err: error, referenceNumber: args.referenceNumber }, 'reference look-up after a data loss failed');
      await this.#free(key, current, 'notLookedUp');
      throw lookUpUnavailable(isKsPayError(error) ? error.code : null, undefined);
    }
  }

  /** claimed → (none) before anything was sent: the next call looks the reference up again. */
  async #free(key: string, claim: Claim, event: 'notLookedUp'): Promise<void> {
    transition('claimed', event);
    await this.#options.store.remove(key, claim.version, claim.createdAt).catch((error: unknown) => this.#logStoreFailure('free', key, error));
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
    if (settled.state !== 'succeeded') {
      await this.#write(key, settled, 'settle');
      return replay(settled);
    }
    const { signature, owner, transaction, createdAt } = settled;
    // Three independent writes, each only logged if it fails, all done before the answer: sent together (one
    // round trip with Redis instead of three).
    await Promise.all([
      this.#write(key, settled, 'settle'),
      // The payment exists whatever happens here: a failed binding is logged, and that signature goes unchecked.
      this.#signatureOwners.bind(signature, owner, this.#options.ttlMs).catch((error: unknown) => {
        this.#options.logger.warn({ err: error, transactionId: transaction.id }, 'binding a signature to its client failed');
      }),
      // A reference the ledger missed is still reconciled from KS Pay's side; only MISSING_UPSTREAM could not be told for it.
      this.#options.ledger?.note(key, createdAt, this.#options.ttlMs).catch((error: unknown) => this.#logStoreFailure('ledger note', key, error)),
    ]);
    this.#initiatedBySignature.set(signature, transaction);
    this.#options.onTransaction?.(transaction);
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
    const removed = await this.#options.store
      .remove(key, claim.version, claim.createdAt)
      .catch((error: unknown) => this.#logStoreFailure('forget', key, error));
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
  const { owner, fingerprint, createdAt, asked } = record;
  return { state: 'claimed' as const, owner, fingerprint, createdAt, ...(asked && { asked }) };
}

function replay(record: Settled): InitiateResult {
  if (record.state === 'rejected') throw restoreGatewayError(record.error);
  return { transaction: record.transaction, signature: record.signature };
}
