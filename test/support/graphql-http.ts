/**
 * GraphQL over HTTP as a test sends it: one operation as a JSON POST, its answer parsed with
 * the HTTP status, and the customer's press on the sandbox's hosted checkout page.
 * Starting a gateway is ./stack.ts's job.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

/** Sends one operation and returns the parsed body and HTTP status. */
export type GraphQLCall = <TData = any, TVars = Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
  variables?: TVars,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<TData>>;

export interface GraphQLResponse<TData> {
  status: number;
  data: TData;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export async function postGraphQL<TData>(
  endpoint: string,
  document: DocumentNode | string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  return readGraphQLResponse(await fetch(graphQLRequest(endpoint, document, variables, headers)));
}

/** One operation as a JSON POST that asks for application/graphql-response+json. */
export function graphQLRequest(
  endpoint: string,
  document: DocumentNode | string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Request {
  const query = typeof document === 'string' ? document : print(document);
  return new Request(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

export async function readGraphQLResponse<TData>(response: Response): Promise<GraphQLResponse<TData>> {
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}

/** Presses Pay or Decline on the sandbox's hosted checkout page; returns where the browser is sent. */
export async function pressCheckout(checkoutUrl: string, action: 'pay' | 'decline'): Promise<URL> {
  const response = await fetch(checkoutUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action }),
  });
  if (response.status !== 303) throw new Error(`checkout answered ${response.status}`);
  return new URL(response.headers.get('location')!);
}
