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
import { IdempotencyConflictError, restoreGatewayError, SignatureInvalidError, UpstreamUnavailableError } from '../errors/gateway-errors.js';
import { isKsPayError } from '../kspay/kspay-error.js';
import { CLAIM_WAIT_MS, fingerprintOf, idempotencyKey, nextStep, KEYLESS_OWNER, transition, } from './idempotency.js';
import { memorySignatureOwners } from '../stores/signature-owners.js';
import { claimBusy, isRejection, lookUpUnavailable, mayHaveLanded, notConfirmedYet, settledWithin, storeUnavailable, transactionFromAnswer, } from './initiate-outcomes.js';
import { findByReference } from './reference-lookup.js';
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
    #options;
    /** A claim is trusted this long after its last renewal; each step renews it. */
    #leaseMs;
    /** In-process callers of one reference share the first one's work instead of polling the store. */
    #inFlight = new Map();
    /** Transactions this instance initiated, by signature, so processing them can be told at once. */
    #initiatedBySignature = new LRUCache({ max: 10_000 });
    #signatureOwners;
    constructor(options) {
        this.#options = options;
        this.#signatureOwners = options.signatureOwners ?? memorySignatureOwners(10_000);
        this.#leaseMs = options.timings.claimLeaseMs;
    }
    get redirectHosts() {
        return this.#options.redirectHosts;
    }
    /**
     * The transaction as KS Pay holds it now, read past every cache, for a payment return:
     * null when KS Pay has none. Watchers of the transaction hear of it at once.
     */
    async readForReturn(id) {
        try {
            const transaction = await this.#options.client.transaction({ id });
            this.#options.onTransaction?.(transaction);
            return transaction;
        }
        catch (error) {
            if (isUpstreamNotFound(error))
                return null;
            throw toGatewayError(error);
        }
    }
    async process(signature, { clientId }) {
        // A signature this gateway issued to another client is refused here; one it never bound goes to KS Pay, which knows it or not.
        const owner = await this.#signatureOwners.ownerOf(signature).catch(storeUnavailable);
        if (owner !== null && owner !== (clientId ?? KEYLESS_OWNER)) {
            throw new SignatureInvalidError('OTHER_CLIENT', 'This signature was issued to another API key; process a payment with the key that initiated it');
        }
        let processed;
        try {
            processed = await this.#options.client.processTransaction({ signature });
        }
        catch (error) {
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
    async initiate(args, { clientId }) {
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
            await settledWithin(this.#inFlight.get(key), startedAt + CLAIM_WAIT_MS - Date.now());
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
                    const claim = { state: 'claimed', version: 1, ...caller, createdAt: now, claimedAt: now, abandonedAt: null, lookUpFrom: step.lookUpFrom };
                    if (await store.create(key, claim, this.#options.ttlMs).catch(storeUnavailable))
                        return this.#runOnce(key, claim, args, startedAt);
                    continue;
                }
                case 'take-over': {
                    // A lapsed claim made after a loss may have died before its look-up: the taker looks too.
                    const lookUpFrom = step.record.state === 'claimed' ? step.record.lookUpFrom : undefined;
                    const claim = { ...claimFrom(step.record), version: step.record.version + 1, claimedAt: now, abandonedAt: step.abandonedAt, lookUpFrom };
                    if (await store.replace(key, claim, this.#options.ttlMs).catch(storeUnavailable))
                        return this.#runOnce(key, claim, args, startedAt);
                    continue;
                }
            }
        }
    }
    #runOnce(key, claim, args, startedAt) {
        const work = this.#run(key, claim, args, startedAt).finally(() => this.#inFlight.delete(key));
        this.#inFlight.set(key, work);
        return work;
    }
    /** Works a claimed reference to an answer: look up what may have landed, send, settle. */
    async #run(key, claim, args, startedAt) {
        let current = claim;
        if (current.lookUpFrom !== undefined) {
            const found = await this.#lookUpAfterLoss(key, current, args, startedAt);
            current = found.claim;
            if (found.transaction)
                return this.#adopt(key, current, found.transaction);
        }
        for (let sends = 0; sends < SENDS_PER_CALL; sends++) {
            if (current.abandonedAt !== null) {
                const found = await this.#lookUpAfterQuiet(key, current, args, startedAt);
                current = found.claim;
                if (found.transaction)
                    return this.#adopt(key, current, found.transaction);
            }
            // A claim this call took moments ago holds nearly its whole lease (3 call timeouts): renewing it
            // before the first send would only cost another store write (a Redis round trip on every initiate).
            const fresh = sends === 0 && current === claim && claim.lookUpFrom === undefined && Date.now() - claim.claimedAt < this.#leaseMs / 10;
            if (!fresh)
                current = await this.#renew(key, current);
            const outcome = await this.#send(args);
            switch (outcome.kind) {
                case 'answered':
                    return this.#settle(key, current, { state: 'succeeded', transaction: outcome.transaction, signature: outcome.signature });
                case 'refused':
                    return this.#settle(key, current, { state: 'rejected', error: outcome.error.toRecord() });
                case 'not-sent':
                    // KS Pay certainly did nothing. Free the reference, unless an earlier send may still land.
                    if (current.abandonedAt === null)
                        await this.#forget(key, current);
                    else
                        await this.#giveUp(key, current);
                    throw toGatewayError(outcome.error);
                case 'no-answer':
                    current = { ...current, abandonedAt: Date.now() };
            }
        }
        await this.#giveUp(key, current);
        throw new UpstreamUnavailableError('KS Pay did not confirm the transaction; send the same request again to resolve it (no duplicate will be created)', true, null, this.#options.timings.quietAfterLostAnswerMs);
    }
    /**
     * Waits out the quiet period after the last unanswered send, then looks the reference
     * up. Throws UPSTREAM_UNAVAILABLE (and leaves the reference unknown) when KS Pay
     * cannot tell.
     */
    async #lookUpAfterQuiet(key, claim, args, startedAt) {
        let current = await this.#renew(key, claim);
        const quietLeftMs = current.abandonedAt + this.#options.timings.quietAfterLostAnswerMs - Date.now();
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
        }
        catch (error) {
            this.#options.logger.warn({ err: error, referenceNumber: args.referenceNumber }, 'reference look-up failed');
            await this.#giveUp(key, current);
            throw new UpstreamUnavailableError('KS Pay could not confirm whether the transaction was created; send the same request again later', true, isKsPayError(error) ? error.code : null);
        }
    }
    /**
     * The store lost records since `lookUpFrom`: this reference may have a transaction a
     * forgotten record stood for. KS Pay not answering: nothing is sent, and the reference
     * is freed so the next call looks again.
     */
    async #lookUpAfterLoss(key, claim, args, startedAt) {
        const lossLookup = this.#options.lossLookup;
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
            return { claim: current, transaction: await lossLookup.find(args.referenceNumber, current.lookUpFrom, current.claimedAt) };
        }
        catch (error) {
            this.#options.logger.warn({ err: error, referenceNumber: args.referenceNumber }, 'reference look-up after a data loss failed');
            await this.#free(key, current, 'notLookedUp');
            throw lookUpUnavailable(isKsPayError(error) ? error.code : null, undefined);
        }
    }
    /** claimed → (none) before anything was sent: the next call looks the reference up again. */
    async #free(key, claim, event) {
        transition('claimed', event);
        await this.#options.store.remove(key, claim.version, claim.createdAt).catch((error) => this.#logStoreFailure('free', key, error));
    }
    /** A transaction an earlier send created, found by its reference. */
    async #adopt(key, claim, found) {
        if (found.signature)
            return this.#settle(key, claim, { state: 'succeeded', transaction: found, signature: found.signature });
        // KS Pay's documented list carries no signature: the transaction exists but can never be processed.
        const lost = new SignatureInvalidError('LOST', `KS Pay created transaction ${found.id} but its answer, with the signature, was lost; ` +
            'it cannot be processed. Start a new payment with a new referenceNumber.');
        return this.#settle(key, claim, { state: 'rejected', error: lost.toRecord() });
    }
    async #send(args) {
        let initiated;
        try {
            initiated = await this.#options.client.initiateTransaction(args);
        }
        catch (error) {
            if (!isKsPayError(error))
                return { kind: 'no-answer' };
            if (isRejection(error))
                return { kind: 'refused', error: toGatewayError(error) };
            return mayHaveLanded(error) ? { kind: 'no-answer' } : { kind: 'not-sent', error };
        }
        const transaction = initiated.transactionId ? transactionFromAnswer(initiated, args) : await this.#readBack(args);
        // Signature-only answer, and the list does not show it yet: treat it as unanswered; the look-up will find it.
        return transaction ? { kind: 'answered', transaction, signature: initiated.signature } : { kind: 'no-answer' };
    }
    /** The signature-only answer names no transaction: find it by its reference. */
    async #readBack(args) {
        return findByReference(this.#options.client, args.referenceNumber, Date.now()).catch((error) => {
            this.#options.logger.warn({ err: error, referenceNumber: args.referenceNumber }, 'reading back an initiated transaction failed');
            return null;
        });
    }
    /** claimed → succeeded | rejected; then the answer, the same one every later call replays. */
    async #settle(key, claim, outcome) {
        transition('claimed', outcome.state === 'succeeded' ? 'answered' : 'refused');
        const settled = { ...claimFrom(claim), ...outcome, version: claim.version + 1 };
        await this.#write(key, settled, 'settle');
        if (settled.state === 'succeeded') {
            // The payment exists whatever happens here: a failed binding is logged, and that signature goes unchecked.
            await this.#signatureOwners.bind(settled.signature, settled.owner, this.#options.ttlMs).catch((error) => {
                this.#options.logger.warn({ err: error, transactionId: settled.transaction.id }, 'binding a signature to its client failed');
            });
            // A reference the ledger missed is still reconciled from KS Pay's side; only MISSING_UPSTREAM could not be told for it.
            await this.#options.ledger?.note(key, settled.createdAt, this.#options.ttlMs).catch((error) => this.#logStoreFailure('ledger note', key, error));
            this.#initiatedBySignature.set(settled.signature, settled.transaction);
            this.#options.onTransaction?.(settled.transaction);
        }
        return replay(settled);
    }
    /** claimed → claimed, with a fresh lease; throws when another caller took the reference over. */
    async #renew(key, claim) {
        transition('claimed', 'renew');
        const renewed = { ...claim, version: claim.version + 1, claimedAt: Date.now() };
        const ok = await this.#options.store.replace(key, renewed, this.#options.ttlMs).catch(storeUnavailable);
        if (!ok)
            throw new UpstreamUnavailableError('Another request is resolving this referenceNumber; retry shortly', true, null, WAIT_POLL_MS * 10);
        return renewed;
    }
    /** claimed → unknown: nobody works on it now, and a later call resolves it. */
    async #giveUp(key, claim) {
        transition('claimed', 'gaveUp');
        const unknown = { ...claimFrom(claim), state: 'unknown', version: claim.version + 1, abandonedAt: claim.abandonedAt ?? Date.now() };
        await this.#write(key, unknown, 'give up');
    }
    /** claimed → (none): KS Pay certainly has nothing for this reference. */
    async #forget(key, claim) {
        transition('claimed', 'notSent');
        const removed = await this.#options.store
            .remove(key, claim.version, claim.createdAt)
            .catch((error) => this.#logStoreFailure('forget', key, error));
        if (removed === false)
            this.#logStoreFailure('forget', key, 'the record changed under the claim');
    }
    async #write(key, next, what) {
        // The answer stands either way; a lost write only makes a later call resolve the reference again.
        const ok = await this.#options.store.replace(key, next, this.#options.ttlMs).catch((error) => this.#logStoreFailure(what, key, error));
        if (ok === false)
            this.#logStoreFailure(what, key, 'the record changed under the claim');
    }
    #logStoreFailure(what, key, error) {
        this.#options.logger.warn({ err: error, idempotencyKey: key }, `idempotency store: ${what} failed`);
        return undefined;
    }
}
/** The fields every state carries. */
function claimFrom(record) {
    const { owner, fingerprint, createdAt, asked } = record;
    return { state: 'claimed', owner, fingerprint, createdAt, ...(asked && { asked }) };
}
function replay(record) {
    if (record.state === 'rejected')
        throw restoreGatewayError(record.error);
    return { transaction: record.transaction, signature: record.signature };
}
