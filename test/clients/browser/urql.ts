/** The urql front end of the browser test: graphcache, queries by GET, subscriptions over SSE (fetchSubscriptions). */
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { CATALOG, INITIATE, PROCESS, WATCH } from '../documents.js';
import { expose, readConfig, watching } from './page.js';

const config = readConfig();
const client = new Client({
  url: `${config.gatewayUrl}/graphql`,
  fetchOptions: { headers: { authorization: `Bearer ${config.apiKey}` } },
  fetchSubscriptions: true,
  exchanges: [
    cacheExchange({
      schema: config.introspection as never,
      keys: Object.fromEntries(config.typesWithoutId.map((name) => [name, () => null])),
    }),
    fetchExchange,
  ],
});

/** The data of a one-off operation, or its error as thrown. */
async function dataOf(result: Promise<{ data?: any; error?: Error }>) {
  const { data, error } = await result;
  if (error) throw error;
  return data;
}

expose({
  client: 'urql',
  catalog: () => dataOf(client.query(CATALOG, {}).toPromise()),
  initiate: (input) => dataOf(client.mutation(INITIATE, { input }).toPromise()),
  process: (signature) => dataOf(client.mutation(PROCESS, { signature }).toPromise()),
  watch(id) {
    const sink = watching(id);
    client.subscription(WATCH, { id }).subscribe((result) => (result.error ? sink.error(result.error) : sink.next(result.data)));
  },
});
