/**
 * Shared by the abuse tests: a stack in production mode with two clients' API keys,
 * and an initiate that asks for every field an answer might leak.
 */
import type { Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from './harness.js';

export const KEY_A = 'client-a-key-0123456789';
export const KEY_B = 'client-b-key-9876543210';
export const AS_A = { authorization: `Bearer ${KEY_A}` };
export const AS_B = { authorization: `Bearer ${KEY_B}` };

export const INITIATE = `mutation($input: InitiateTransactionInput!) {
  initiateTransaction(input: $input) {
    __typename
    ... on InitiateTransactionSuccess { signature transaction { id amount status referenceNumber redirectUrl } }
    ... on Error { code message }
    ... on ValidationError { field }
    ... on UpstreamUnavailableError { retryable }
    ... on IdempotencyConflictError { referenceNumber }
  }
}`;

export interface InitiateInput {
  currencyId: string;
  paymentMethodId: string;
  amount: string;
  referenceNumber: string;
  redirectUrl: string;
}

/** Production mode: API keys required, no introspection, no GraphiQL. */
export function startProductionStack(env: Record<string, string> = {}, sharedSandbox?: Sandbox): Promise<Stack> {
  return startStack({
    sharedSandbox,
    env: {
      GATEWAY_API_KEYS: JSON.stringify({ [KEY_A]: ['*'], [KEY_B]: ['*'] }),
      INTROSPECTION: 'false',
      GRAPHIQL: 'false',
      ...env,
    },
  });
}

/** The id of the currency with `code` and of its first payment method. */
export async function currencyAndMethod(stack: Stack, code: string): Promise<{ currencyId: string; paymentMethodId: string }> {
  const { data } = await stack.gql('{ currencies { id code paymentMethods { id } } }', undefined, AS_A);
  const currency = data.currencies.find((c: { code: string }) => c.code === code);
  return { currencyId: currency.id, paymentMethodId: currency.paymentMethods[0].id };
}

export async function initiateAs(stack: Stack, headers: Record<string, string>, input: InitiateInput) {
  const response = await stack.gql(INITIATE, { input }, headers);
  return response.data.initiateTransaction;
}
