import { isFinalStatus } from '../kspay/models.js';
import { isUpstreamNotFound, toGatewayError } from '../errors/from-kspay.js';
import { UpstreamUnavailableError } from '../errors/gateway-errors.js';
import { listPages } from '../kspay/transaction-pages.js';
import { idempotencyKey } from '../payments/idempotency.js';
import { sumOf } from './decimal-sum.js';
import { eventsByTransaction } from './notifications.js';
import { askedOf, missingUpstream, rowDiscrepancies } from './discrepancies.js';
import { checkWindow, tooManyRows } from './window.js';
const PAGE_SIZE = 100;
/** Store and outbox reads in flight at once for one page. */
const READS_AT_ONCE = 20;
const STATUS_ORDER = ['INITIATED', 'PROCESSING', 'SUCCESS', 'FAILED', 'UNKNOWN'];
async function buildReport(deps, window, currencies) {
    const { client, limits } = deps;
    const storeUnavailable = unavailable(deps.logger);
    const listed = await listWindow(deps, window);
    const records = await mapAtOnce(listed, (tx) => (tx.referenceNumber ? deps.records.get(idempotencyKey(client.appId, tx.referenceNumber)) : null)).catch(storeUnavailable);
    const finals = listed.filter((tx) => isFinalStatus(tx.status));
    const events = deps.webhooks.enabled ? await eventsByTransaction(deps.webhooks, finals, window.from.getTime()).catch(storeUnavailable) : null;
    const missing = await recordsNotListed(deps, window, new Set(listed.map((tx) => tx.id)));
    const byId = new Map((await currencies().catch(() => [])).map((currency) => [currency.id, currency.code]));
    const codeOf = (currencyId) => byId.get(currencyId) ?? null;
    const now = Date.now();
    const rows = listed.map((transaction, i) => {
        const record = records[i] ?? null;
        const found = rowDiscrepancies({ transaction, record, codeOf, events: events?.get(transaction.id) ?? null, now, stuckAfterMs: limits.stuckAfterMs });
        const known = !found.some((d) => d.kind === 'UNKNOWN_TO_GATEWAY');
        const asked = known ? askedOf(record) : null;
        return {
            referenceNumber: transaction.referenceNumber,
            transactionId: transaction.id,
            currencyCode: transaction.currencyCode ?? (transaction.currencyId ? codeOf(transaction.currencyId) : null),
            amount: transaction.amount,
            status: transaction.status,
            askedAmount: asked?.amount.text ?? null,
            askedCurrencyCode: asked ? (codeOf(asked.currencyId) ?? asked.currencyId) : null,
            discrepancies: found,
        };
    });
    for (const record of missing) {
        const asked = askedOf(record);
        rows.push({
            referenceNumber: record.transaction.referenceNumber,
            transactionId: record.transaction.id,
            currencyCode: asked ? codeOf(asked.currencyId) : null,
            amount: asked?.amount ?? null,
            status: null,
            askedAmount: asked?.amount.text ?? null,
            askedCurrencyCode: asked ? (codeOf(asked.currencyId) ?? asked.currencyId) : null,
            discrepancies: [missingUpstream(record, codeOf)],
        });
    }
    return { ...window, rows, totals: totalsOf(rows), discrepancies: rows.flatMap((row) => row.discrepancies) };
}
/** KS Pay's transactions created within the window, newest first; past RECONCILIATION_MAX_ROWS, REPORT_TOO_LARGE. */
async function listWindow({ client, limits }, { from, to }) {
    const listed = [];
    const maxPages = Math.ceil(limits.maxRows / PAGE_SIZE) + 1;
    try {
        for await (const { items, last, total } of listPages(client, { fromDate: from.toISOString(), toDate: to.toISOString(), pageSize: PAGE_SIZE, maxPages })) {
            // The first page's total says at once when the window is too big: no more pages are read.
            if (total !== null && total > limits.maxRows)
                throw tooManyRows(limits, total);
            listed.push(...items);
            if (listed.length > limits.maxRows)
                throw tooManyRows(limits, null);
            if (last)
                return listed;
        }
    }
    catch (error) {
        throw toGatewayError(error);
    }
    throw tooManyRows(limits, null);
}
/** Records of the window whose transaction KS Pay does not list, and does not have when asked by id. */
async function recordsNotListed({ client, records, ledger, limits, logger }, { from, to }, listed) {
    const storeUnavailable = unavailable(logger);
    const asked = await ledger.between(from.getTime(), to.getTime(), limits.maxRows + 1).catch(storeUnavailable);
    const keys = asked.filter((key) => key.startsWith(`${client.appId}|`));
    if (keys.length > limits.maxRows)
        throw tooManyRows(limits, null);
    const found = await mapAtOnce(keys, (key) => records.get(key)).catch(storeUnavailable);
    const suspects = found.filter((record) => record?.state === 'succeeded' && !listed.has(record.transaction.id));
    // Created just outside the window (a claim made before `from`, a send after `to`), or truly gone: one read by id tells.
    const gone = await mapAtOnce(suspects, async (record) => {
        try {
            await client.transaction({ id: record.transaction.id });
            return false;
        }
        catch (error) {
            if (isUpstreamNotFound(error))
                return true;
            throw toGatewayError(error);
        }
    });
    return suspects.filter((_, i) => gone[i]);
}
/** The records or the outbox could not be read (Redis down, or not connected yet): the same report later can succeed. */
function unavailable(logger) {
    return (error) => {
        logger.warn({ err: error }, 'reconciliation: reading the records or the outbox failed');
        throw new UpstreamUnavailableError("The gateway's records could not be read; retry the report shortly", true);
    };
}
/** Per currency and status, KS Pay's count and exact sum (a record KS Pay does not have is in no total). */
function totalsOf(rows) {
    const groups = new Map();
    for (const row of rows) {
        if (row.status === null || row.amount === null)
            continue;
        const currencyCode = row.currencyCode ?? 'UNKNOWN';
        const key = `${currencyCode}|${row.status}`;
        const group = groups.get(key) ?? { currencyCode, status: row.status, amounts: [] };
        group.amounts.push(row.amount);
        groups.set(key, group);
    }
    return [...groups.values()]
        .map(({ currencyCode, status, amounts }) => ({ currencyCode, status, count: amounts.length, amount: sumOf(amounts) }))
        .sort((a, b) => a.currencyCode.localeCompare(b.currencyCode) || STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
}
/** `read` over `items`, READS_AT_ONCE at a time, results in order. */
async function mapAtOnce(items, read) {
    const results = [];
    for (let start = 0; start < items.length; start += READS_AT_ONCE) {
        results.push(...(await Promise.all(items.slice(start, start + READS_AT_ONCE).map(read))));
    }
    return results;
}
export function createReconciliation(deps) {
    // Async, so a refused window is a rejected promise for every caller, never a throw out of a request handler.
    return { report: async (from, to) => buildReport(deps, checkWindow(from, to, deps.limits), deps.currencies) };
}
