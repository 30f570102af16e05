/**
 * The reconciliation report (src/reconciliation/): KS Pay's transactions over a window beside
 * what the merchant asked for and what the merchant was told, totals per currency and status,
 * and every difference. Scope `transactions:read`; reads only.
 */
import { DISCREPANCY_KINDS } from '../reconciliation/discrepancies.js';
import { builder } from './builder.js';
import { TransactionStatus } from './transaction.js';
const DiscrepancyKind = builder.enumType('DiscrepancyKind', {
    values: DISCREPANCY_KINDS,
    description: 'UNKNOWN_TO_GATEWAY: KS Pay holds a transaction no gateway record asked for. MISSING_UPSTREAM: a record says KS Pay created a ' +
        'transaction KS Pay does not have. AMOUNT_MISMATCH, CURRENCY_MISMATCH: KS Pay holds another amount or currency than the merchant ' +
        'asked. STUCK: not final after ATTENTION_AFTER_MS. UNNOTIFIED: final, webhooks on, and its event not delivered to every endpoint.',
});
const Discrepancy = builder.objectRef('Discrepancy').implement({
    description: 'One difference, with its detail in words a finance reader reads (expected vs actual).',
    fields: (t) => ({
        kind: t.expose('kind', { type: DiscrepancyKind }),
        referenceNumber: t.exposeString('referenceNumber', { nullable: true }),
        transactionId: t.exposeID('transactionId', { nullable: true }),
        detail: t.exposeString('detail'),
    }),
});
const ReconciliationTotal = builder.objectRef('ReconciliationTotal').implement({
    description: 'KS Pay’s transactions of the window in one currency and status: how many, and their exact sum.',
    fields: (t) => ({
        currencyCode: t.exposeString('currencyCode'),
        status: t.expose('status', { type: TransactionStatus }),
        count: t.exposeInt('count'),
        amount: t.field({ type: 'Decimal', resolve: (total) => total.amount }),
    }),
});
const ReconciliationReport = builder.objectRef('ReconciliationReport').implement({
    description: 'What KS Pay holds for a window of creation times, beside what the gateway asked for and told; the CSV route has the same rows.',
    fields: (t) => ({
        from: t.field({ type: 'DateTime', resolve: (report) => report.from }),
        to: t.field({
            type: 'DateTime',
            description: 'The window’s end: the `to` asked for, or the time of the report when that was later.',
            resolve: (report) => report.to,
        }),
        totals: t.field({ type: [ReconciliationTotal], resolve: (report) => report.totals }),
        discrepancies: t.field({ type: [Discrepancy], resolve: (report) => report.discrepancies }),
    }),
});
builder.queryFields((t) => ({
    reconciliation: t.field({
        type: ReconciliationReport,
        description: 'Reconciles KS Pay’s transactions created within from–to with what the merchant asked for and was told. At most ' +
            'RECONCILIATION_MAX_WINDOW_MS long, no older than IDEMPOTENCY_TTL_MS, at most RECONCILIATION_MAX_ROWS transactions ' +
            '(REPORT_TOO_LARGE beyond). Also as CSV: GET /reports/reconciliation.csv?from=…&to=….',
        authScopes: { scope: 'transactions:read' },
        args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', required: true }) },
        resolve: (_root, { from, to }, { reconciliation }) => reconciliation.report(from, to),
    }),
}));
