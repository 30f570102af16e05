/** Payments taken through the gateway to a status: initiated, processing, or settled on the sandbox's checkout page. */
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { CATALOG, INITIATE, PROCESS } from '../support/documents.js';
import type { Gateway } from '../support/stack.js';

export type Stage = 'INITIATED' | 'PROCESSING' | 'SUCCESS' | 'FAILED';

/** A new payment of `amount` brought to `stage`; answers its transaction id. */
export async function paymentAt(gateway: Gateway, stage: Stage, amount = '12.5'): Promise<string> {
  return (await payment(gateway, stage, amount)).id;
}

/** A new payment brought to `stage`, and its checkout page (null before processing). */
export async function payment(gateway: Gateway, stage: Stage, amount = '12.5'): Promise<{ id: string; checkoutUrl: string | null }> {
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
  const initiated = (await gateway.gql(INITIATE, { input })).data.initiateTransaction;
  if (initiated.__typename !== 'InitiateTransactionSuccess') throw new Error(`initiate: ${JSON.stringify(initiated)}`);
  const id: string = initiated.transaction.id;
  if (stage === 'INITIATED') return { id, checkoutUrl: null };
  const processed = (await gateway.gql(PROCESS, { input: { signature: initiated.signature } })).data.processTransaction;
  if (processed.__typename !== 'ProcessTransactionSuccess') throw new Error(`process: ${JSON.stringify(processed)}`);
  if (stage !== 'PROCESSING') await settle(processed.checkoutUrl, stage);
  return { id, checkoutUrl: processed.checkoutUrl };
}

/** The customer presses Pay (SUCCESS) or Decline (FAILED) on the hosted checkout page. */
export async function settle(checkoutUrl: string, outcome: 'SUCCESS' | 'FAILED'): Promise<void> {
  await pressCheckout(checkoutUrl, outcome === 'SUCCESS' ? 'pay' : 'decline');
}
