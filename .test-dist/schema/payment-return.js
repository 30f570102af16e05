/**
 * Confirming the customer's return from checkout. The redirect's query parameters come
 * from the browser and can be forged, so the status is re-read from KS Pay.
 */
import { builder } from './builder.js';
import { TransactionRef } from './transaction.js';
import { requireId } from './validation.js';
/** The redirect's `payment_status` values and the statuses they claim. */
const CLAIMS = { success: 'SUCCESS', failed: 'FAILED' };
const PaymentReturnVerification = builder.objectRef('PaymentReturnVerification').implement({
    description: 'What KS Pay says about a payment return, against what the redirect claimed.',
    fields: (t) => ({
        verified: t.exposeBoolean('verified', {
            description: 'True when KS Pay knows the transaction and its status is the one claimed.',
        }),
        transaction: t.expose('transaction', { type: TransactionRef, nullable: true }),
        claimedStatus: t.exposeString('claimedStatus'),
        mismatch: t.exposeBoolean('mismatch', {
            description: 'True when the claim contradicts KS Pay: treat the return as forged or stale, never as paid.',
        }),
    }),
});
builder.queryFields((t) => ({
    verifyPaymentReturn: t.field({
        type: PaymentReturnVerification,
        description: 'Pass the redirect’s payment_status, kspay_id and provider_payment_id to check them against KS Pay.',
        authScopes: { scope: 'transactions:read' },
        args: {
            kspayId: t.arg.id({ required: true }),
            paymentStatus: t.arg.string({ required: true }),
            providerPaymentId: t.arg.string({ required: false }),
        },
        resolve: async (_root, { kspayId, paymentStatus, providerPaymentId }, { payments }) => {
            // Always the current status: a verification must not be answered from a stale read.
            const transaction = await payments.readForReturn(requireId('transaction', 'kspayId', kspayId));
            const claimed = CLAIMS[paymentStatus.trim().toLowerCase()] ?? null;
            const providerIdMatches = providerPaymentId == null || providerPaymentId === '' || providerPaymentId === transaction?.providerPaymentId;
            const verified = transaction !== null && claimed !== null && transaction.status === claimed && providerIdMatches;
            return { verified, transaction, claimedStatus: paymentStatus, mismatch: !verified };
        },
    }),
}));
