/**
 * Tolerant readers: wire bodies in, domain models out. A body may come in the envelope
 * or bare, in either documented shape, with fields missing or extra. Missing optional
 * fields become null and unknown fields are ignored; a body without what a model cannot
 * do without throws MalformedResponse, which the transport turns into 'bad-response'.
 */
import { fromWireNumber } from './money.js';
export class MalformedResponse extends Error {
    name = 'MalformedResponse';
}
export function readTokens(body) {
    const fields = record(payload(body), 'tokens');
    const expiresIn = fields.expiresIn;
    return {
        accessToken: requiredText(fields, 'accessToken'),
        refreshToken: requiredText(fields, 'refreshToken'),
        // Not in the contract; a server that says how long its token lives is believed.
        expiresInMs: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : null,
    };
}
export function readCurrencies(body) {
    return list(payload(body), 'currencies').map((item) => {
        const fields = record(item, 'currency');
        const code = requiredText(fields, 'code');
        const places = fields.decimalPlaces;
        return {
            id: requiredText(fields, 'id'),
            code,
            name: text(fields.name) ?? code,
            symbol: text(fields.symbol) ?? code,
            type: text(fields.type)?.toUpperCase() === 'CRYPTO' ? 'CRYPTO' : 'FIAT',
            isActive: flag(fields.isActive),
            createdAt: text(fields.createdAt),
            decimalPlaces: count(places),
        };
    });
}
export function readPaymentMethods(body) {
    return list(payload(body), 'payment methods').map((item) => {
        const fields = record(item, 'payment method');
        const id = requiredText(fields, 'id');
        return { id, name: text(fields.name) ?? id, isActive: flag(fields.isActive) };
    });
}
export function readTransaction(body) {
    const fields = record(payload(body), 'transaction');
    const id = text(fields.pe_txnId) ?? text(fields.id);
    if (id === null)
        throw new MalformedResponse('the transaction has no pe_txnId or id');
    return {
        id,
        referenceNumber: text(fields.referenceNumber),
        amount: requiredAmount(fields.amount),
        currencyCode: text(fields.currency),
        currencyId: text(fields.currencyId),
        paymentMethodId: text(fields.paymentMethodId),
        status: transactionStatus(fields.status),
        providerOrderId: text(fields.providerOrderId),
        providerPaymentId: text(fields.providerPaymentId),
        redirectUrl: text(fields.redirectUrl),
        createdAt: text(fields.createdAt),
        updatedAt: text(fields.updatedAt),
    };
}
/** `{ items, page, limit, total }`, or a bare array (then the paging fields are null). */
export function readTransactionList(body) {
    const data = payload(body);
    const paged = Array.isArray(data) ? null : record(data, 'transaction list');
    return {
        items: list(paged?.items ?? data, 'transactions').map(readTransaction),
        page: count(paged?.page),
        limit: count(paged?.limit),
        total: count(paged?.total),
    };
}
/** Either documented shape: every transaction field, or only `signature`. */
export function readInitiated(body) {
    const fields = record(payload(body), 'initiate result');
    return {
        signature: requiredText(fields, 'signature'),
        transactionId: text(fields.pe_txnId) ?? text(fields.id),
        providerOrderId: text(fields.providerOrderId),
        amount: fromWireNumber(fields.amount),
        currencyCode: text(fields.currency),
    };
}
/** `{ order }`, bare or in the envelope; the order is provider-specific and passed on whole. */
export function readProcessed(body) {
    const order = record(record(payload(body), 'process result').order, 'order');
    return {
        order,
        providerOrderId: firstText(order, ['id', 'providerOrderId', 'order_id']),
        // As the order states it: some providers count in minor units.
        amount: fromWireNumber(order.amount),
        currencyCode: text(order.currency),
        checkoutUrl: firstText(order, ['checkoutUrl', 'checkout_url', 'url']),
    };
}
const STATUSES = new Set(['INITIATED', 'PROCESSING', 'SUCCESS', 'FAILED']);
function transactionStatus(value) {
    const status = text(value)?.trim().toUpperCase();
    return status !== undefined && STATUSES.has(status) ? status : 'UNKNOWN';
}
/** The envelope's `result` when the body is wrapped; the body itself when bare. */
function payload(body) {
    return isRecord(body) && 'result' in body ? body.result : body;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function record(value, what) {
    if (!isRecord(value))
        throw new MalformedResponse(`expected the ${what} as an object`);
    return value;
}
function list(value, what) {
    if (Array.isArray(value))
        return value;
    if (isRecord(value) && Array.isArray(value.items))
        return value.items;
    throw new MalformedResponse(`expected the ${what} as a list`);
}
/** A non-empty string; ids that arrive as numbers are read as their text. */
function text(value) {
    if (typeof value === 'string')
        return value === '' ? null : value;
    if (typeof value === 'number' && Number.isFinite(value))
        return String(value);
    return null;
}
function firstText(fields, keys) {
    for (const key of keys) {
        const value = text(fields[key]);
        if (value !== null)
            return value;
    }
    return null;
}
function requiredText(fields, key) {
    const value = text(fields[key]);
    if (value === null)
        throw new MalformedResponse(`"${key}" is missing`);
    return value;
}
function requiredAmount(value) {
    const amount = fromWireNumber(value);
    if (amount === null)
        throw new MalformedResponse('"amount" is missing or not a number');
    return amount;
}
/** Listed by the server and not said to be inactive: active. */
function flag(value) {
    return value !== false && value !== 'false';
}
/** GraphQL's Int is 32-bit: a larger count is no real count, and would break the field showing it. */
const MAX_COUNT = 2 ** 31 - 1;
/** A whole number from 0 to MAX_COUNT; anything else is unknown. */
function count(value) {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT ? value : null;
}
