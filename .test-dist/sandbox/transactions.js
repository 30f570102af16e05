/**
 * The transaction endpoints: initiate, process, one by id, and the paged list.
 * Validation follows the codes of docs/kspay-api.md, in the order a request is checked.
 */
import { Decimal, fromWireNumber } from '../kspay/money.js';
import { KSPAY_CODES } from '../kspay/types.js';
import { ApiError, header, requireId } from './api.js';
import { authenticate, requireSignatureFormat, verifyBodySignature } from './auth.js';
import { initiateView, processView, transactionView } from './views.js';
const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 90 * DAY_MS;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;
/**
 * POST /transaction/initiate. Authenticated by a Bearer token or, in the documented
 * server-to-server variant, by x-signature over the raw body. The sandbox does not
 * dedupe referenceNumber (the real API promises nothing): the gateway must.
 */
export const initiate = (request, { store, shapes, misrecord }) => {
    const tokenApp = callerOf(request, store);
    const { body } = request;
    for (const field of ['currencyId', 'paymentMethodId', 'appId']) {
        if (isMissing(body[field]))
            throw new ApiError(400, KSPAY_CODES.ID_MISSING, `${field} is required`);
    }
    const currencyId = requireId('currency', body.currencyId);
    const paymentMethodId = requireId('paymentMethod', body.paymentMethodId);
    const appId = requireId('app', body.appId);
    const app = store.app(appId);
    if (!app)
        throw new ApiError(404, KSPAY_CODES.APP_NOT_FOUND, 'Application not found for the app id');
    if (tokenApp === null)
        verifyBodySignature(request, app);
    else if (tokenApp !== appId)
        throw new ApiError(403, KSPAY_CODES.ORIGIN_DENIED, 'Access denied from this origin');
    // An unknown currency answers 13007 ("invalid currency id"), the initiate-specific
    // code; 1052 is what the payment-methods endpoint answers for the same thing.
    const currency = store.currency(appId, currencyId);
    if (!currency)
        throw new ApiError(400, KSPAY_CODES.CURRENCY_INVALID, 'Invalid currency id');
    if (!currency.isActive)
        throw new ApiError(400, KSPAY_CODES.CURRENCY_INVALID, 'Invalid currency id: the currency is not active');
    const found = store.findPaymentMethod(appId, paymentMethodId);
    if (!found)
        throw new ApiError(404, KSPAY_CODES.PAYMENT_METHOD_NOT_FOUND, 'Payment method not found');
    if (found.currency.id !== currency.id) {
        throw new ApiError(400, KSPAY_CODES.PAYMENT_METHOD_NOT_OF_CURRENCY, 'Payment method ids do not exist for this currency');
    }
    if (!found.method.isActive)
        throw new ApiError(400, KSPAY_CODES.PAYMENT_METHOD_NOT_OF_CURRENCY, 'Payment method is not active');
    const amount = readAmount(body.amount, currency);
    const referenceNumber = body.referenceNumber;
    if (typeof referenceNumber !== 'string' || referenceNumber.trim() === '') {
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'referenceNumber is required');
    }
    const redirectUrl = readRedirectUrl(body.redirectUrl);
    // The misrecord fault: the transaction stored differs from what was asked.
    const stored = { amount: misrecord?.amount ?? amount, currency: (misrecord?.currencyId && store.currency(appId, misrecord.currencyId)) || currency };
    const transaction = store.createTransaction({ appId, referenceNumber, ...stored, paymentMethodId, redirectUrl });
    const signature = store.signatures.issue(appId, transaction.id);
    return { status: 201, result: initiateView(transaction, signature, shapes) };
};
/** POST /transaction/process: INITIATED becomes PROCESSING; repeating it changes nothing. */
export const processTransaction = (request, { store, publicUrl }) => {
    const signature = requireSignatureFormat(header(request, 'x-signature'));
    const check = store.signatures.check(signature);
    // A transaction the sandbox has since forgotten (see TransactionLog) is as good as expired.
    let transaction = check.ok ? store.transactionById(check.record.txnId) : undefined;
    if (!transaction)
        throw new ApiError(400, KSPAY_CODES.SIGNATURE_EXPIRED, 'Signature expired');
    if (transaction.status === 'INITIATED')
        transaction = store.transition(transaction.id, 'PROCESSING');
    return { status: 201, result: processView(transaction, publicUrl) };
};
/** GET /transaction/txnId/{txnId}: other apps' transactions are as unknown as missing ones. */
export const transaction = (request, { store, shapes }) => {
    const appId = authenticate(request, store);
    const txnId = requireId('transaction', request.params.txnId);
    const found = store.transaction(appId, txnId);
    if (!found)
        throw new ApiError(404, KSPAY_CODES.NO_DATA, 'No data found with this id');
    return { status: 200, result: transactionView(found, shapes) };
};
/** GET /transaction?page&limit&fromDate&toDate, newest first. */
export const transactions = (request, { store, shapes }) => {
    const appId = authenticate(request, store);
    const { query } = request;
    const page = positiveInteger(query.get('page'), 1, KSPAY_CODES.PAGE_INVALID, 'page');
    const limit = Math.min(MAX_LIMIT, positiveInteger(query.get('limit'), DEFAULT_LIMIT, KSPAY_CODES.LIMIT_INVALID, 'limit'));
    const range = readRange(query.get('fromDate'), query.get('toDate'));
    const matching = store.transactions(appId).filter((t) => {
        const at = Date.parse(t.createdAt);
        return !range || (at >= range.from && at <= range.to);
    });
    const views = (list) => list.map((t) => transactionView(t, shapes));
    if (shapes.list === 'bare')
        return { status: 200, result: views(matching) };
    const items = views(matching.slice((page - 1) * limit, page * limit));
    return { status: 200, result: { items, page, limit, total: matching.length } };
};
/** The app of the Bearer token, or null for the x-signature variant; 9000 when neither is sent. */
function callerOf(request, store) {
    if (header(request, 'authorization') !== undefined)
        return authenticate(request, store);
    if (header(request, 'x-signature') !== undefined)
        return null;
    throw new ApiError(400, KSPAY_CODES.TOKEN_INVALID, 'Token missing or incorrect');
}
function isMissing(value) {
    return value === undefined || value === null || value === '';
}
/**
 * The amount as exact decimal text. Places are counted on the decimal the client
 * wrote (fromWireNumber recovers it from the JSON number), never by float arithmetic.
 */
function readAmount(value, currency) {
    const decimal = typeof value === 'number' ? fromWireNumber(value) : typeof value === 'string' ? Decimal.parse(value) : null;
    if (!decimal?.isPositive())
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'amount must be a positive number');
    if (decimal.places > currency.decimalPlaces) {
        throw new ApiError(400, KSPAY_CODES.AMOUNT_TOO_PRECISE, `amount has more than ${currency.decimalPlaces} decimal places for ${currency.code}`);
    }
    // Stored amounts go back out as JSON numbers, so they must survive that exactly.
    if (String(Number(decimal.text)) !== decimal.text) {
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'amount has more digits than a JSON number carries exactly');
    }
    return decimal.text;
}
/** Checkout redirects the customer's browser there, so only http(s) URLs are taken. */
function readRedirectUrl(value) {
    if (typeof value !== 'string' || value.trim() === '')
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'redirectUrl is required');
    try {
        const { protocol } = new URL(value);
        if (protocol === 'http:' || protocol === 'https:')
            return value;
    }
    catch {
        // falls through to the error below
    }
    throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'redirectUrl must be an http(s) URL');
}
function positiveInteger(value, fallback, code, name) {
    if (value === null)
        return fallback;
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
        throw new ApiError(400, code, `${name} must be a positive integer`);
    }
    return number;
}
/**
 * Both dates or neither. A date-only value (YYYY-MM-DD, UTC) covers its whole day,
 * so `toDate` = today includes today's transactions without being "in the future".
 */
function readRange(fromText, toText) {
    const hasFrom = Boolean(fromText);
    const hasTo = Boolean(toText);
    if (!hasFrom && !hasTo)
        return null;
    if (hasFrom !== hasTo)
        throw new ApiError(400, KSPAY_CODES.DATE_RANGE_INCOMPLETE, 'fromDate and toDate are required together');
    const from = readDate(fromText, 'fromDate');
    const to = readDate(toText, 'toDate');
    const now = Date.now();
    if (from.start > now)
        throw new ApiError(400, KSPAY_CODES.FROM_DATE_IN_FUTURE, 'fromDate cannot be in the future');
    if (to.start > now)
        throw new ApiError(400, KSPAY_CODES.TO_DATE_IN_FUTURE, 'toDate cannot be in the future');
    if (from.start > to.start)
        throw new ApiError(400, KSPAY_CODES.FROM_DATE_AFTER_TO_DATE, 'fromDate must precede toDate');
    if (to.start - from.start > MAX_RANGE_MS)
        throw new ApiError(400, KSPAY_CODES.DATE_RANGE_TOO_LONG, 'The date range may not exceed 90 days');
    return { from: from.start, to: to.end };
}
function readDate(text, name) {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
    const start = /^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(start) || !isCalendarDate(text.slice(0, 10))) {
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, `${name} must be an ISO-8601 date`);
    }
    return { start, end: dateOnly ? start + DAY_MS - 1 : start };
}
/** Date.parse rolls 2024-02-30 over into March; the contract's dates must be real ones. */
function isCalendarDate(ymd) {
    const [year = NaN, month = NaN, day = NaN] = ymd.split('-').map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
