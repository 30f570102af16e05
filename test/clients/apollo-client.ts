/**
 * The Apollo Client 3 setup of a front end, as the README shows it: HTTP for queries and
 * mutations, graphql-ws for subscriptions (the key in connectionParams), an InMemoryCache
 * that knows the schema's interfaces and pages `transactions` with relayStylePagination,
 * and optionally a persisted-queries link in front.
 */
import {
  ApolloClient,
  HttpLink,
  InMemoryCache,
  split,
  type ApolloLink,
  type ApolloQueryResult,
  type FetchResult,
  type NormalizedCacheObject,
  type ObservableQuery,
} from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { AS_FRONT_END } from '../support/presets.js';
import { possibleTypes } from './support.js';

// GraphQLWsLink tells a closed socket from a GraphQL error by the global WebSocket, which Node 20 lacks.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

const sockets: WsClient[] = [];

export interface ApolloOptions {
  /** The HTTP link's fetch (a test counts requests with it). */
  fetch?: typeof fetch;
  /** A link in front of both transports, e.g. createPersistedQueryLink. */
  persisted?: ApolloLink;
}

export type FrontEndClient = ApolloClient<NormalizedCacheObject>;

export function createApolloClient(gatewayUrl: string, options: ApolloOptions = {}): FrontEndClient {
  const http = new HttpLink({ uri: `${gatewayUrl}/graphql`, headers: AS_FRONT_END, fetch: options.fetch });
  const socket = createWsClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    connectionParams: AS_FRONT_END, // browsers cannot set headers on a WebSocket
    webSocketImpl: WebSocket, // Node 20 has no global WebSocket
    lazy: true,
    retryAttempts: 0,
  });
  sockets.push(socket);
  const transport = split(isSubscription, new GraphQLWsLink(socket), http);
  return new ApolloClient({
    cache: new InMemoryCache({
      // `... on Error` matches every error type only when the cache knows the interface's members.
      possibleTypes: possibleTypes(),
      typePolicies: { Query: { fields: { transactions: relayStylePagination(['from', 'to']) } } },
    }),
    link: options.persisted ? options.persisted.concat(transport) : transport,
  });
}

function isSubscription({ query }: { query: DocumentNode }): boolean {
  const definition = getMainDefinition(query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
}

/** Closes every WebSocket the clients opened. */
export async function closeApolloSockets(): Promise<void> {
  for (const socket of sockets.splice(0)) await socket.dispose();
}

/** Every result of a subscription as it comes, and all of them once it completes. */
export function follow<T>(client: FrontEndClient, query: TypedDocumentNode<T, { id: string }> | DocumentNode, id: string) {
  const results: FetchResult<T>[] = [];
  const done = new Promise<FetchResult<T>[]>((resolve, reject) =>
    client.subscribe<T>({ query, variables: { id } }).subscribe({ next: (result) => results.push(result), error: reject, complete: () => resolve(results) }),
  );
  return { results, done };
}

/** Keeps a watched query subscribed (a query nobody watches stops), collecting its results. */
export function watchResults<T, V extends Record<string, unknown>>(query: ObservableQuery<T, V>) {
  const results: ApolloQueryResult<T>[] = [];
  const subscription = query.subscribe({ next: (result) => void results.push(result) });
  return { results, loaded: () => results.some((result) => !result.loading), stop: () => subscription.unsubscribe() };
}
