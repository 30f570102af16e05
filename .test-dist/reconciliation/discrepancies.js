/**
 * The discrepancy rules: for one transaction KS Pay lists, what differs from what the gateway
 * asked for and what it told the merchant; and for a record KS Pay does not have, the one
 * difference it is. Pure functions; each detail is written for a finance reader (expected vs actual).
 */
import { Decimal } from '../kspay/money.js';
import { isFinalStatus } from '../kspay/models.js';
export const DISCREPANCY_KINDS = ['UNKNOWN_TO_GATEWAY', 'MISSING_UPSTREAM', 'AMOUNT_MISMATCH', 'CURRENCY_MISMATCH', 'STUCK', 'UNNOTIFIED'];
/** What the merchant asked, in the record; null for a record written before asks were kept. */
export function askedOf(record) {
    const amount = record?.asked ? Decimal.parse(record.asked.amount) : null;
    return amount && record?.asked ? { amount, currencyId: record.asked.currencyId } : null;
}
export function rowDiscrepancies(facts) {
    const { transaction: tx, record } = facts;
    const found = [];
    const add = (kind, detail) => found.push({ kind, referenceNumber: tx.referenceNumber, transactionId: tx.id, detail });
    const holds = `${tx.amount.text} ${currencyWords(tx.currencyCode, tx.currencyId, facts.codeOf)}`;
    const theirs = record?.state === 'succeeded' ? String(record.transaction.id) : null;
    if (!record) {
        add('UNKNOWN_TO_GATEWAY', `KS Pay holds ${holds} under reference ${tx.referenceNumber ?? '(none)'}, which the gateway never asked for (made elsewhere, or its record was lost)`);
    }
    else if (theirs !== null && theirs !== tx.id) {
        add('UNKNOWN_TO_GATEWAY', `KS Pay holds a second transaction (${holds}) for reference ${tx.referenceNumber}; the gateway asked for one and got ${theirs}`);
    }
    else {
        const asked = askedOf(record);
        if (asked && asked.amount.text !== tx.amount.text)
            add('AMOUNT_MISMATCH', `expected amount ${asked.amount.text}, KS Pay holds ${tx.amount.text}`);
        const askedCode = asked ? facts.codeOf(asked.currencyId) : null;
        const differs = tx.currencyId
            ? asked !== null && tx.currencyId !== asked.currencyId
            : askedCode !== null && tx.currencyCode !== null && tx.currencyCode !== askedCode;
        if (asked && differs) {
            add('CURRENCY_MISMATCH', `expected currency ${currencyWords(askedCode, asked.currencyId, facts.codeOf)}, KS Pay holds ${currencyWords(tx.currencyCode, tx.currencyId, facts.codeOf)}`);
        }
    }
    const createdAt = tx.createdAt ? Date.parse(tx.createdAt) : Number.NaN;
    if (!isFinalStatus(tx.status) && facts.now - createdAt >= facts.stuckAfterMs) {
        add('STUCK', `still ${tx.status} ${duration(facts.now - createdAt)} after it was created (${tx.createdAt}); expected final within ${duration(facts.stuckAfterMs)} (ATTENTION_AFTER_MS)`);
    }
    const gap = facts.events && isFinalStatus(tx.status) ? notificationGap(tx.status, facts.events) : null;
    if (gap)
        add('UNNOTIFIED', gap);
    return found;
}
/** A record says KS Pay created this transaction; KS Pay has no such transaction. */
export function missingUpstream(record, codeOf) {
    const { transaction } = record;
    const asked = askedOf(record);
    const what = asked ? `${asked.amount.text} ${currencyWords(null, asked.currencyId, codeOf)}` : 'a payment';
    return {
        kind: 'MISSING_UPSTREAM',
        referenceNumber: transaction.referenceNumber,
        transactionId: transaction.id,
        detail: `the gateway asked for ${what} at ${new Date(record.createdAt).toISOString()} and KS Pay answered with ${transaction.id}, but KS Pay does not have it`,
    };
}
/** Why the merchant was not told of this final status; null when every endpoint got its event. */
function notificationGap(status, events) {
    const event = events.find((candidate) => candidate.event.status === status);
    if (!event)
        return `no webhook event for ${status} yet`;
    const waiting = event.deliveries.filter((delivery) => delivery.state !== 'DELIVERED');
    if (waiting.length === 0)
        return null;
    const last = waiting[0];
    const why = last.lastStatusCode !== null ? `last answer HTTP ${last.lastStatusCode}` : (last.lastError ?? 'not attempted yet');
    return `the ${status} webhook reached ${event.deliveries.length - waiting.length} of ${event.deliveries.length} endpoints (${last.state.toLowerCase()}, ${last.attempts} attempts, ${why})`;
}
function currencyWords(code, currencyId, codeOf) {
    const named = code ?? (currencyId ? codeOf(currencyId) : null);
    if (named && currencyId)
        return `${named} (${currencyId})`;
    return named ?? currencyId ?? 'in an unknown currency';
}
function duration(ms) {
    if (ms < 120_000)
        return `${Math.floor(ms / 1000)} seconds`;
    if (ms < 7_200_000)
        return `${Math.floor(ms / 60_000)} minutes`;
    return `${Math.floor(ms / 3_600_000)} hours`;
}
