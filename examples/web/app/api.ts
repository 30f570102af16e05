/**
 * The gateway, as the checkout page sees it: graphql-request with the typed documents
 * that codegen's client preset generates from examples/*.graphql (the same operations
 * GraphiQL's tabs show). Results and variables are typed from the schema, so a field
 * the page reads but the operation does not select fails `npm run typecheck`.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import {
  CatalogDocument,
  InitiatePaymentDocument,
  ProcessPaymentDocument,
  VerifyPaymentReturnDocument,
  type CatalogQuery,
  type InitiatePaymentMutation,
  type InitiateTransactionInput,
  type ProcessPaymentMutation,
  type VerifyPaymentReturnQuery,
} from '../../gql/graphql.js';

export type Currency = CatalogQuery['currencies'][number];
export type PaymentMethod = Currency['paymentMethods'][number];
export type InitiateResult = InitiatePaymentMutation['initiateTransaction'];
export type ProcessResult = ProcessPaymentMutation['processTransaction'];
export type Verification = VerifyPaymentReturnQuery['verifyPaymentReturn'];

/** The page is served beside the gateway: /graphql on its own origin is proxied to it. */
const client = new GraphQLClient(new URL('/graphql', window.location.href).href);

export async function loadCatalog(): Promise<Currency[]> {
  const data = await client.request(CatalogDocument);
  return data.currencies;
}

export async function initiatePayment(input: InitiateTransactionInput): Promise<InitiateResult> {
  const data = await client.request(InitiatePaymentDocument, { input });
  return data.initiateTransaction;
}

export async function processPayment(signature: string): Promise<ProcessResult> {
  const data = await client.request(ProcessPaymentDocument, { input: { signature } });
  return data.processTransaction;
}

/** The redirect's query string comes from the browser: only KS Pay's answer counts. */
export async function verifyReturn(kspayId: string, paymentStatus: string, providerPaymentId: string | null): Promise<Verification> {
  const data = await client.request(VerifyPaymentReturnDocument, { kspayId, paymentStatus, providerPaymentId });
  return data.verifyPaymentReturn;
}

/** A readable message for a failed request (network, HTTP or GraphQL error). */
export function describeFailure(error: unknown): string {
  if (error instanceof ClientError) {
    const first = error.response.errors?.[0];
    if (first) return first.message;
    return `The gateway answered HTTP ${error.response.status}.`;
  }
  if (error instanceof TypeError) return 'The gateway cannot be reached. Is `npm run example` still running?';
  return error instanceof Error ? error.message : String(error);
}
