/** A payment's first steps through a gateway, as a client with a key takes them. */
import { CATALOG, INITIATE } from './documents.js';
import type { GraphQLCall } from './graphql-http.js';
import { AS_A } from './presets.js';

/** Anything that takes GraphQL: a stack in this process or a gateway in its own. */
type GraphQLTarget = { gql: GraphQLCall };

export interface InitiateInput {
  currencyId: string;
  paymentMethodId: string;
  amount: string;
  referenceNumber: string;
  redirectUrl: string;
}

/** The id of the currency with `code` and of its first payment method (asked as client A of the production preset). */
export async function currencyAndMethod(
  stack: GraphQLTarget,
  code: string,
  headers: Record<string, string> = AS_A,
): Promise<{ currencyId: string; paymentMethodId: string }> {
  const { data } = await stack.gql(CATALOG, undefined, headers);
  const currency = data.currencies.find((c: { code: string }) => c.code === code);
  return { currencyId: currency.id, paymentMethodId: currency.paymentMethods[0].id };
}

export async function initiateAs(stack: GraphQLTarget, headers: Record<string, string>, input: InitiateInput) {
  const response = await stack.gql(INITIATE, { input }, headers);
  return response.data.initiateTransaction;
}
