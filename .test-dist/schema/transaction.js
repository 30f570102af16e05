import { builder } from './builder.js';
import { CurrencyRef } from './currency.js';
import { PaymentMethodRef } from './payment-method.js';
import { DEFAULT_PAGE_SIZE, pageOfTransactions } from './transaction-page.js';
import { requireId } from './validation.js';
export const TransactionStatus = builder.enumType('TransactionStatus', {
    values: ['INITIATED', 'PROCESSING', 'SUCCESS', 'FAILED', 'UNKNOWN'],
    description: 'UNKNOWN: KS Pay reported a status this gateway does not know.',
});
export const TransactionRef = builder.objectRef('Transaction').implement({
    description: 'A payment, as KS Pay currently reports it.',
    interfaces: [builder.nodeInterfaceRef()],
    fields: (t) => ({
        id: t.exposeID('id'),
        referenceNumber: t.exposeString('referenceNumber', { nullable: true }),
        amount: t.field({ type: 'Decimal', resolve: (tx) => tx.amount }),
        currencyCode: t.exposeString('currencyCode', { nullable: true }),
        // The catalog's own scope, checked before the catalog is read (Currency and PaymentMethod ask for it too).
        currency: t.field({
            type: CurrencyRef,
            nullable: true,
            authScopes: { scope: 'catalog:read' },
            resolve: async (tx, _args, { loaders }) => {
                if (tx.currencyId)
                    return loaders.currency.load(tx.currencyId);
                if (!tx.currencyCode)
                    return null;
                return (await loaders.allCurrencies()).find((c) => c.code === tx.currencyCode) ?? null;
            },
        }),
        paymentMethod: t.field({
            type: PaymentMethodRef,
            nullable: true,
            authScopes: { scope: 'catalog:read' },
            resolve: async (tx, _args, { loaders }) => {
                if (!tx.currencyId || !tx.paymentMethodId)
                    return null;
                const methods = await loaders.paymentMethodsByCurrency.load(tx.currencyId);
                return methods.find((m) => m.id === tx.paymentMethodId) ?? null;
            },
        }),
        status: t.expose('status', { type: TransactionStatus }),
        providerOrderId: t.exposeString('providerOrderId', { nullable: true }),
        providerPaymentId: t.exposeString('providerPaymentId', { nullable: true }),
        redirectUrl: t.exposeString('redirectUrl', { nullable: true }),
        createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (tx) => tx.createdAt }),
        updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (tx) => tx.updatedAt }),
    }),
});
// Declared by hand rather than with t.connection so the arguments are exactly the
// documented contract's (README): forward pagination only, as the upstream offers.
const TransactionConnection = builder.connectionObject({
    type: TransactionRef,
    name: 'TransactionConnection',
    fields: (tc) => ({
        totalCount: tc.int({
            nullable: true,
            description: 'All transactions matching the filter, when KS Pay reports it.',
            resolve: (connection) => connection.totalCount ?? null,
        }),
    }),
}, { name: 'TransactionEdge' });
builder.queryFields((t) => ({
    transaction: t.field({
        type: TransactionRef,
        nullable: true,
        description: 'One transaction by its KS Pay id (tx_…); null when KS Pay has no such transaction.',
        authScopes: { scope: 'transactions:read' },
        args: { id: t.arg.id({ required: true }) },
        resolve: (_root, { id }, { loaders }) => loaders.transaction.load(requireId('transaction', 'id', id)),
    }),
    transactions: t.field({
        type: TransactionConnection,
        description: 'Transactions, newest first, optionally within a date range of at most 90 days.',
        authScopes: { scope: 'transactions:read' },
        args: {
            first: t.arg.int({ required: false, defaultValue: DEFAULT_PAGE_SIZE }),
            after: t.arg.string({ required: false }),
            from: t.arg({ type: 'DateTime', required: false }),
            to: t.arg({ type: 'DateTime', required: false }),
        },
        resolve: (_root, args, context) => pageOfTransactions(args, context),
    }),
}));
