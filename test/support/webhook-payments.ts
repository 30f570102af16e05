/** The payment steps the webhook tests share: pay through the sandbox's checkout, never come back. */
import { pressCheckout, type GraphQLCall } from './graphql-http.js';
import { CATALOG, INITIATE, PROCESS } from './documents.js';
import { newReference } from './references.js';
import { retryingRetryable } from './retryable.js';

/** A stack, or a gateway in its own process: anything that takes GraphQL. */
type GraphQLTarget = { gql: GraphQLCall };

export async function initiate(stack: GraphQLTarget, reference = newReference('wh')): Promise<{ id: string; signature: string; reference: string }> {
  const { data } = await stack.gql(CATALOG);
  const usd = data.currencies.find((c: { code: string }) => c.code === 'USD');
  const input = {
    currencyId: usd.id,
    paymentMethodId: usd.paymentMethods[0].id,
    amount: '19.99',
    referenceNumber: reference,
    redirectUrl: 'https://shop.example/r',
  };
  // The same reference each time: a retry never makes a second payment.
  const result = await retryingRetryable(async () => (await stack.gql(INITIATE, { input })).data.initiateTransaction);
  if (result.__typename !== 'InitiateTransactionSuccess') throw new Error(`initiate failed: ${JSON.stringify(result)}`);
  return { id: result.transaction.id, signature: result.signature, reference };
}

/** Initiates, processes and presses `action` on the hosted checkout; the customer never returns. */
export async function payAndLeave(stack: GraphQLTarget, action: 'pay' | 'decline' = 'pay') {
  const payment = await initiate(stack);
  const processed = await stack.gql(PROCESS, { input: { signature: payment.signature } });
  await pressCheckout(processed.data.processTransaction.checkoutUrl, action);
  return payment;
}
