/**
 * What the payment service makes of KS Pay's answers to an initiate, and the typed
 * errors it answers when it cannot act: pure functions, kept apart from the walk of the
 * idempotency machine in ./payment-service.ts.
 */
import { UpstreamUnavailableError } from '../errors/gateway-errors.js';
import { IdempotencyStoreFullError } from '../stores/types.js';
export function transactionFromAnswer(initiated, args) {
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
/** A 4xx with a KS Pay code (not an auth failure): the upstream looked at the request and said no. */
export function isRejection(error) {
    return error.reason === 'rejected' && error.httpStatus >= 400 && error.httpStatus < 500 && error.httpStatus !== 401;
}
/** Whether the upstream might have created the transaction despite the error (an unreadable 2xx included). */
export function mayHaveLanded(error) {
    return error.outcomeUnknown || error.httpStatus >= 500 || (error.reason === 'bad-response' && error.httpStatus < 300);
}
/** Waited CLAIM_WAIT_MS behind another caller's live claim: retry when its lease ends. */
export function claimBusy(retryAfterMs) {
    return new UpstreamUnavailableError('Another request (perhaps on a gateway instance that stopped) is resolving this referenceNumber; ' +
        'send the same request again after retryAfterMs (no duplicate will be created)', true, null, retryAfterMs);
}
/** An unanswered send's quiet period would hold the client too long: the next call, after it, looks up. */
export function notConfirmedYet(retryAfterMs) {
    return new UpstreamUnavailableError('KS Pay has not confirmed the transaction yet; send the same request again after retryAfterMs (no duplicate will be created)', true, null, retryAfterMs);
}
/** After a data loss, KS Pay could not (yet) say whether the reference was used: nothing was sent. */
export function lookUpUnavailable(upstreamCode, retryAfterMs) {
    return new UpstreamUnavailableError('KS Pay could not yet confirm whether this referenceNumber was already used (the gateway lost some of its records); ' +
        'send the same request again later (no duplicate will be created)', true, upstreamCode, retryAfterMs);
}
/** Waits for `work` (another call's on this reference) at most `ms`; its failure is not ours. */
export async function settledWithin(work, ms) {
    if (!work || ms <= 0)
        return;
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
export function storeUnavailable(error) {
    if (error instanceof IdempotencyStoreFullError) {
        throw new UpstreamUnavailableError('The gateway is at its idempotency capacity and cannot take a new referenceNumber now; ' + 'retry later (references already in use still replay)', true);
    }
    throw new UpstreamUnavailableError('The idempotency store is unavailable; retry shortly', true);
}
