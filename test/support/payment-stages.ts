/** Payments taken through the gateway to a status: initiated, processing, or settled on the sandbox's checkout page. */
import { newReference } from './references.js';
import { retryingRetryable } from './retryable.js';
import { pressCheckout } from './graphql-http.js';
import { CATALOG, INITIATE, PROCESS } from './documents.js';
import type { Gateway } from './stack.js';

export type Stage = 'INITIATED' | 'PROCESSING' | 'SUCCESS' | 'FAILED';

/** A new payment of `amount` brought to `stage`; answers its transaction id. */
export async function paymentAt(gateway: Gateway, stage: Stage, amount = '12.5'): Promise<string> {
  return (await payment(gateway, stage, amount)).id;
}

/** A new payment brought to `stage`: its id, its signature, and its checkout page (null before processing). */
export async function payment(gateway: Gateway, stage: Stage, amount = '12.5'): Promise<{ id: string; signature: string; checkoutUrl: string | null }> {
  const { data } = await gateway.gql(CATALOG);
  const currency = data.currencies.find((c: { code: string }) => c.code === 'INR');
  const method = currency.paymentMethods.find((m: { isActive: boolean }) => m.isActive);
  const input = {
    currencyId: currency.id,
    paymentMethodId: method.id,
    amount,
    referenceNumber: newReference('settled'),
    redirectUrl: 'https://shop.example/r',
  };
  // The same reference each time: a retry never makes a second payment.
  const initiated = await retryingRetryable(async () => (await gateway.gql(INITIATE, { input })).data.initiateTransaction);
  if (initiated.__typename !== 'InitiateTransactionSuccess') throw new Error(`initiate: ${JSON.stringify(initiated)}`);
  const { id, signature } = { id: initiated.transaction.id as string, signature: initiated.signature as string };
  if (stage === 'INITIATED') return { id, signature, checkoutUrl: null };
  const processed = (await gateway.gql(PROCESS, { input: { signature } })).data.processTransaction;
  if (processed.__typename !== 'ProcessTransactionSuccess') throw new Error(`process: ${JSON.stringify(processed)}`);
  if (stage !== 'PROCESSING') await settle(processed.checkoutUrl, stage);
  return { id, signature, checkoutUrl: processed.checkoutUrl };
}

/** A new payment taken to PROCESSING: its id, signature and hosted checkout page. */
export async function processedPayment(gateway: Gateway, amount = '12.5'): Promise<{ id: string; signature: string; checkoutUrl: string }> {
  const { checkoutUrl, ...made } = await payment(gateway, 'PROCESSING', amount);
  return { ...made, checkoutUrl: checkoutUrl! };
}

/** The customer presses Pay (SUCCESS) or Decline (FAILED) on the hosted checkout page. */
export async function settle(checkoutUrl: string, outcome: 'SUCCESS' | 'FAILED'): Promise<void> {
  await pressCheckout(checkoutUrl, outcome === 'SUCCESS' ? 'pay' : 'decline');
}
