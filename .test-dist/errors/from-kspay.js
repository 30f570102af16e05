/**
 * The one boundary where a KS Pay failure becomes a gateway error: the code table and
 * `fromKsPayError`. The services (payments, loaders, live updates) call it on every
 * KsPayError they meet, so nothing past them sees a wire error.
 */
import { isKsPayError } from '../kspay/kspay-error.js';
import { KSPAY_CODES as C } from '../kspay/types.js';
import { NotFoundError, SignatureInvalidError, UpstreamRejectedError, UpstreamUnavailableError, ValidationError } from './gateway-errors.js';
/** Which GraphQL input field an endpoint's id-shaped codes refer to. */
const ID_FIELDS = {
    paymentMethods: 'currencyId',
    transaction: 'id',
    initiate: 'input',
};
// Every message below is the gateway's own. KS Pay's text may hold anything (a database
// URL, a stack trace), so it never reaches a client: it is logged where the client
// reports the failed call (see `onUpstreamError` in src/app.ts).
const credentials = (e) => new UpstreamUnavailableError('KS Pay rejected the gateway’s merchant credentials', false, e.code);
const rejected = (message, field = null) => (e) => new UpstreamRejectedError(message, e.code, e.httpStatus, field);
const listValidation = (field, message) => (e) => new ValidationError(field, message, e.code);
/** Id problems name the endpoint's id field when there is one. */
const idRejected = (message) => (e) => rejected(message, ID_FIELDS[e.endpoint] ?? null)(e);
/**
 * KS Pay code → gateway error. Some numbers mean different things per endpoint or
 * HTTP status (11005, 11006, 11011, 13007), so the rules read all three.
 * README "Failure semantics" shows this table.
 */
export const KSPAY_ERROR_TABLE = {
    [C.TOKEN_INVALID]: credentials,
    [C.API_KEY_MISSING]: credentials,
    [C.API_KEY_INVALID]: credentials,
    [C.BAD_CREDENTIALS]: credentials,
    [C.REFRESH_TOKEN_INVALID]: credentials,
    [C.TOKEN_EXPIRED]: credentials,
    [C.APP_NOT_FOUND]: credentials,
    [C.SECRET_KEY_INVALID]: credentials,
    [C.ACCESS_KEY_UNKNOWN]: credentials,
    [C.SIGNATURE_EXPIRED]: (e) => e.httpStatus === 429
        ? new UpstreamUnavailableError('KS Pay is rate limiting requests; retry later', true, e.code, e.retryAfterMs)
        : new SignatureInvalidError('EXPIRED', 'The signature has expired; initiate a new transaction', e.code),
    [C.SIGNATURE_FORMAT_INVALID]: (e) => e.endpoint === 'transactions'
        ? new ValidationError('to', 'The date range may not exceed 90 days', e.code)
        : new SignatureInvalidError('MALFORMED', 'The signature is not in a valid format', e.code),
    [C.APP_DISABLED]: (e) => (e.endpoint === 'transactions' ? new ValidationError('to', 'to may not be in the future', e.code) : credentials(e)),
    [C.CURRENCY_INVALID]: (e) => e.httpStatus === 403
        ? rejected('KS Pay refused the gateway’s app access from this origin')(e)
        : rejected('KS Pay does not accept this currency', 'input.currencyId')(e),
    [C.CURRENCY_NOT_FOUND]: (e) => e.endpoint === 'paymentMethods' ? new NotFoundError('Currency', '', e.code) : rejected('KS Pay does not know this currency', 'input.currencyId')(e),
    [C.PAYMENT_METHOD_NOT_FOUND]: rejected('KS Pay does not know this payment method', 'input.paymentMethodId'),
    [C.PAYMENT_METHOD_NOT_OF_CURRENCY]: rejected('KS Pay does not know this payment method', 'input.paymentMethodId'),
    [C.ID_INVALID]: idRejected('KS Pay refused an id as invalid'),
    [C.ID_MISSING]: idRejected('KS Pay found a required id missing'),
    [C.ID_MALFORMED]: idRejected('KS Pay refused an id: wrong prefix or length'),
    [C.AMOUNT_TOO_PRECISE]: (e) => new ValidationError('input.amount', 'The amount has more decimal places than the currency allows', e.code),
    [C.NO_DATA]: (e) => new NotFoundError('Transaction', '', e.code),
    [C.INVALID_REQUEST]: rejected('KS Pay refused the request as invalid'),
    [C.SOMETHING_WENT_WRONG]: (e) => new UpstreamUnavailableError('KS Pay had an internal error; retry later', true, e.code),
    [C.PROVIDER_ERROR]: (e) => new UpstreamUnavailableError('The payment provider behind KS Pay is failing; retry later', true, e.code),
    [C.PAGE_INVALID]: listValidation('after', 'after points past the pages KS Pay can serve'),
    [C.LIMIT_INVALID]: listValidation('first', 'first must be a positive page size'),
    [C.FROM_DATE_AFTER_TO_DATE]: listValidation('from', 'from must be before to'),
    [C.FROM_DATE_IN_FUTURE]: listValidation('from', 'from and to may not be in the future'),
    [C.DATE_RANGE_INCOMPLETE]: listValidation('from', 'from and to must be given together'),
};
/** Turns any KsPayError into the gateway error a client should see. */
export function fromKsPayError(e) {
    const rule = e.code === null ? undefined : KSPAY_ERROR_TABLE[e.code];
    if (rule)
        return rule(e);
    switch (e.reason) {
        case 'rejected':
            return new UpstreamRejectedError(`KS Pay refused the request (${e.code === null ? `HTTP ${e.httpStatus}` : `code ${e.code}`})`, e.code, e.httpStatus);
        case 'rate-limited':
            return new UpstreamUnavailableError('KS Pay is rate limiting requests; retry later', true, e.code, e.retryAfterMs);
        case 'circuit-open':
            return new UpstreamUnavailableError('KS Pay is failing; the gateway is pausing calls to it', true, null, e.retryAfterMs);
        case 'timeout':
            return new UpstreamUnavailableError('KS Pay did not answer in time', true);
        case 'bad-response':
            return new UpstreamUnavailableError('KS Pay sent a response the gateway could not read', true, e.code);
        default:
            return new UpstreamUnavailableError('KS Pay is unavailable', true, e.code);
    }
}
/** The gateway error for a failed upstream call; anything that is not a KsPayError is passed on as it is. */
export function toGatewayError(error) {
    return isKsPayError(error) ? fromKsPayError(error) : error;
}
/** True when KS Pay said the thing asked for does not exist (24 for a transaction, 1052 for a currency's methods). */
export function isUpstreamNotFound(error) {
    return isKsPayError(error) && fromKsPayError(error) instanceof NotFoundError;
}
