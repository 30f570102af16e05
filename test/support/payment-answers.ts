/** What the chaos tests send and how they read answers: initiates with every typed outcome selected. */
import type { GraphQLCall } from './graphql-http.js';
import { CATALOG, INITIATE } from './documents.js';

export interface Answer {
  __typename: string;
  code?: string;
  reason?: string;
  retryable?: boolean;
  retryAfterMs?: number | null;
  transaction?: { id: string };
}

/** A client's input for one payment: the sandbox's first USD method. */
export async function paymentInput(gql: GraphQLCall): Promise<Record<string, string>> {
  const { data } = await gql(CATALOG);
  const usd = data.currencies.find((c: { code: string }) => c.code === 'USD');
  return { currencyId: usd.id, paymentMethodId: usd.paymentMethods[0].id, amount: '12.50', redirectUrl: 'https://shop.example/r' };
}

/** One initiate's answer, or a description of what came back instead of a typed answer. */
export async function initiate(gql: GraphQLCall, input: Record<string, string>): Promise<Answer> {
  const response = await gql(INITIATE, { input });
  const answer = response.data?.initiateTransaction as Answer | undefined;
  return answer ?? { __typename: `untyped: HTTP ${response.status} ${JSON.stringify(response.errors)}` };
}

/** Typed: a success, or an error with a code (and a retryable one saying so). */
export function isTyped(answer: Answer): boolean {
  if (answer.__typename === 'InitiateTransactionSuccess') return Boolean(answer.transaction?.id);
  if (!answer.code) return false;
  return answer.__typename !== 'UpstreamUnavailableError' || typeof answer.retryable === 'boolean';
}

export const isRetryable = (answer: Answer) => answer.__typename === 'UpstreamUnavailableError' && answer.retryable === true;

/** Metric samples of `name` on a gateway's /metrics, summed. */
export async function metricTotal(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
