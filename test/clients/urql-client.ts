/**
 * The urql setup of a front end, as the README shows it: @urql/core's Client with
 * graphcache (keyed by `id`, the id-less types embedded, the schema from the printed SDL
 * since introspection is off, relayPagination for `transactions`, an update that refetches
 * the list after a payment is initiated), subscriptions over SSE — urql's own
 * `fetchSubscriptions` or graphql-sse's client — and optionally the persisted exchange.
 */
import { Client, fetchExchange, subscriptionExchange, type Exchange, type OperationResult, type OperationResultSource } from '@urql/core';
import { cacheExchange, type Cache, type CacheExchangeOpts } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { persistedExchange } from '@urql/exchange-persisted';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { createClient as createSseClient, type Client as SseClient, type RequestParams } from 'graphql-sse';
import { AS_FRONT_END } from '../support/presets.js';
import { SCHEMA_SDL, typesWithoutId } from './support.js';

export interface UrqlOptions {
  /** How subscriptions travel: urql's own fetch (SSE) or graphql-sse's client. */
  subscriptions?: 'fetch' | 'graphql-sse';
  /** The client's fetch (a test counts requests with it). */
  fetch?: typeof fetch;
  /** The persisted exchange's options, to put it in front of the transports. */
  persisted?: Parameters<typeof persistedExchange>[0];
  /** graphcache without the `keys` of the id-less types (to see what it warns about). */
  withoutEmbeddedKeys?: boolean;
}

const sseClients: SseClient[] = [];

/** graphcache's configuration for this schema. */
export function cacheOptions({ withoutEmbeddedKeys = false } = {}): CacheExchangeOpts {
  return {
    // Introspection is off in production: the front end ships the schema it was built against.
    schema: introspectionFromSchema(buildSchema(SCHEMA_SDL)),
    // Entities are keyed by id (the default); types without one live inside their parent.
    keys: withoutEmbeddedKeys ? {} : Object.fromEntries(typesWithoutId().map((name) => [name, () => null])),
    resolvers: { Query: { transactions: relayPagination() } },
    updates: {
      Mutation: {
        // A new payment: every cached page of the list is stale, so watching queries refetch it.
        initiateTransaction(result: { initiateTransaction?: { __typename?: string } }, _args, cache) {
          if (result.initiateTransaction?.__typename === 'InitiateTransactionSuccess') invalidateTransactions(cache);
        },
      },
    },
  };
}

function invalidateTransactions(cache: Cache): void {
  for (const field of cache.inspectFields('Query')) {
    if (field.fieldName === 'transactions') cache.invalidate('Query', field.fieldName, field.arguments ?? undefined);
  }
}

export function createUrqlClient(gatewayUrl: string, options: UrqlOptions = {}): Client {
  const url = `${gatewayUrl}/graphql`;
  const exchanges: Exchange[] = [cacheExchange(cacheOptions(options))];
  if (options.persisted) exchanges.push(persistedExchange(options.persisted));
  if (options.subscriptions === 'graphql-sse') exchanges.push(sseSubscriptions(url, options.fetch));
  exchanges.push(fetchExchange);
  return new Client({
    url,
    fetch: options.fetch,
    fetchOptions: { headers: AS_FRONT_END },
    // urql's own SSE: subscriptions go by fetch, as POSTs asking for text/event-stream.
    fetchSubscriptions: options.subscriptions !== 'graphql-sse',
    exchanges,
  });
}

/** Subscriptions through graphql-sse's client (distinct connections: one POST per operation). */
function sseSubscriptions(url: string, fetchFn?: typeof fetch): Exchange {
  const sse = createSseClient({ url, headers: AS_FRONT_END, fetchFn, retryAttempts: 0 });
  sseClients.push(sse);
  return subscriptionExchange({
    forwardSubscription: (request) => ({
      subscribe: (sink) => ({ unsubscribe: sse.subscribe(request as RequestParams, sink) }),
    }),
  });
}

export function closeSseClients(): void {
  for (const client of sseClients.splice(0)) client.dispose();
}

/** Every result a source gives (a watched query or a subscription), as they come. */
export function collect<T>(source: OperationResultSource<OperationResult<T>>) {
  const results: OperationResult<T>[] = [];
  const { unsubscribe } = source.subscribe((result) => void results.push(result));
  return { results, latest: () => results.at(-1), stop: unsubscribe };
}
