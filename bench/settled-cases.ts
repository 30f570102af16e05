/**
 * Settled against live lookups (issue 22, item 5): `transaction(id)` of a transaction that
 * has settled (SUCCESS), which the gateway answers from its settled-transaction cache with
 * no upstream call, next to the `transaction` shape, whose seeded transaction stays INITIATED
 * and is read from KS Pay every time. The bare client has no cache: it makes its three calls
 * for either. The settled one is paid on the sandbox's checkout page while the stack is seeded.
 */
import type { PlannedCase, Variant } from './cases.js';
import type { GraphQLRequest } from './load.js';

export const SETTLED_SHAPE = 'settled transaction';

/** The same selection as the live `transaction` shape, so the two rows differ only in the status. */
const SETTLED_LOOKUP = 'query Tx($id: ID!) { transaction(id: $id) { id amount status currency { code symbol } paymentMethod { name } } }';

export function settledLookupRequest(settledTransactionId: string): GraphQLRequest {
  return {
    body: JSON.stringify({ query: SETTLED_LOOKUP, variables: { id: settledTransactionId } }),
    ok: (body) => !body.includes('"errors"') && body.includes('"status":"SUCCESS"') && body.includes('"paymentMethod":{"name"'),
  };
}

/** Settled lookups against the bare client and the floor, at both latencies (there is no naive baseline: it cannot pay). */
export function settledPlan(): PlannedCase[] {
  const variants: Variant[] = ['gateway', 'bare upstream', 'floor'];
  return [20, 0].flatMap((latencyMs) => variants.map((variant) => ({ latencyMs, shape: SETTLED_SHAPE, variant })));
}

const PROCESS = `mutation($input: ProcessTransactionInput!) { processTransaction(input: $input) {
  __typename ... on ProcessTransactionSuccess { checkoutUrl } } }`;

/**
 * Processes the initiated payment `signature` through the gateway at `endpoint` and pays it on
 * the hosted checkout page, as a customer would; resolves once KS Pay has settled it.
 */
export async function payOnCheckout(endpoint: string, headers: Record<string, string>, signature: string): Promise<void> {
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query: PROCESS, variables: { input: { signature } } }) });
  const processed = ((await response.json()) as { data?: { processTransaction?: { checkoutUrl?: string } } }).data?.processTransaction;
  if (!processed?.checkoutUrl) throw new Error(`seed: process answered ${JSON.stringify(processed)}`);
  const paid = await fetch(processed.checkoutUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'pay' }),
  });
  if (paid.status !== 303) throw new Error(`seed: the checkout page answered ${paid.status}`);
}
