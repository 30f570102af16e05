/**
 * The payment mutations. Expected failures are union members (errors plugin); every
 * input is checked before the payment service, and so before any upstream call.
 */
import { builder } from './builder.js';
import { INITIATE_ERRORS, PROCESS_ERRORS } from './error-types.js';
import { TransactionRef } from './transaction.js';
import { requireAmount, requireId, requireRedirectUrl, requireReference, requireSignature } from './validation.js';

const InitiateTransactionInput = builder.inputType('InitiateTransactionInput', {
  fields: (t) => ({
    currencyId: t.id({ required: true }),
    paymentMethodId: t.id({ required: true }),
    amount: t.field({
      type: 'Decimal',
      required: true,
      description: 'e.g. "345.67"; at most 8 decimal places and 15 significant digits, and the currency’s own limit.',
    }),
    referenceNumber: t.string({
      required: true,
      description: 'Your order reference, 1–64 printable characters. It is the idempotency key: the same input again returns the same transaction.',
    }),
    redirectUrl: t.string({
      required: true,
      description:
        'Absolute https URL the customer returns to after checkout (http only for localhost); no user name, password or fragment. Sent on in its normalised form.',
    }),
  }),
});

const ProcessTransactionInput = builder.inputType('ProcessTransactionInput', {
  fields: (t) => ({ signature: t.string({ required: true }) }),
});

const InitiateTransactionSuccess = builder.simpleObject('InitiateTransactionSuccess', {
  fields: (t) => ({
    transaction: t.field({ type: TransactionRef }),
    signature: t.string({ description: 'Pass to processTransaction. Treat it as a secret of this payment.' }),
  }),
});

const ProcessTransactionSuccess = builder.simpleObject('ProcessTransactionSuccess', {
  fields: (t) => ({
    order: t.field({
      type: 'JSON',
      description:
        "The provider order to hand to the KS Pay checkout package, as KS Pay sent it: opaque, unchanged. Its numbers are KS Pay's (an `amount` may be a JSON float): never compute with them; the payment's exact amount is the transaction's `amount` (Decimal).",
    }),
    providerOrderId: t.string({ nullable: true }),
    checkoutUrl: t.string({ nullable: true, description: 'The hosted checkout page, when KS Pay provides one.' }),
  }),
});

builder.mutationFields((t) => ({
  initiateTransaction: t.field({
    description:
      'Creates a KS Pay transaction for an order. Idempotent on `referenceNumber`: the same input again returns the same ' +
      'transaction and signature, never a second payment. Pass the signature to processTransaction.',
    type: InitiateTransactionSuccess,
    authScopes: { scope: 'transactions:write' },
    args: { input: t.arg({ type: InitiateTransactionInput, required: true }) },
    errors: {
      types: INITIATE_ERRORS,
      directResult: true,
      union: { name: 'InitiateTransactionResult' },
    },
    resolve: (_root, { input }, { payments, caller }) => {
      const args = {
        currencyId: requireId('currency', 'input.currencyId', input.currencyId),
        paymentMethodId: requireId('paymentMethod', 'input.paymentMethodId', input.paymentMethodId),
        amount: requireAmount('input.amount', input.amount),
        referenceNumber: requireReference('input.referenceNumber', input.referenceNumber),
        redirectUrl: requireRedirectUrl('input.redirectUrl', input.redirectUrl, payments.redirectHosts),
      };
      // A reference belongs to the client that first used it.
      return payments.initiate(args, { clientId: caller.keyId });
    },
  }),
  processTransaction: t.field({
    description:
      'Processes an initiated transaction: returns the hosted checkout page to send the customer to, or the provider ' +
      'order for KS Pay’s checkout package. The customer comes back to `redirectUrl`; verify that with verifyPaymentReturn.',
    type: ProcessTransactionSuccess,
    authScopes: { scope: 'transactions:write' },
    args: { input: t.arg({ type: ProcessTransactionInput, required: true }) },
    errors: {
      types: PROCESS_ERRORS,
      directResult: true,
      union: { name: 'ProcessTransactionResult' },
    },
    resolve: async (_root, { input }, { payments, caller }) => {
      // A signature is spent only by the client it was issued to, as a reference is used only by its owner.
      const processed = await payments.process(requireSignature('input.signature', input.signature), { clientId: caller.keyId });
      return { order: processed.order, providerOrderId: processed.providerOrderId, checkoutUrl: processed.checkoutUrl };
    },
  }),
}));
