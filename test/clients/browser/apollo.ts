/** The Apollo Client 3 front end of the browser test: HTTP for queries and mutations, graphql-ws for subscriptions. */
import { ApolloClient, gql, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import { CATALOG, INITIATE, PROCESS, WATCH } from '../documents.js';
import { expose, readConfig, watching } from './page.js';

const config = readConfig();
const authorization = `Bearer ${config.apiKey}`;
const http = new HttpLink({ uri: `${config.gatewayUrl}/graphql`, headers: { authorization } });
// Browsers cannot set headers on a WebSocket: the key goes in connectionParams.
const socket = createClient({ url: `${config.gatewayUrl.replace(/^http/, 'ws')}/graphql`, connectionParams: { authorization } });
const link = split(
  ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  },
  new GraphQLWsLink(socket),
  http,
);
const client = new ApolloClient({
  link,
  cache: new InMemoryCache({ possibleTypes: config.possibleTypes }),
  // Sent as apollographql-client-name and -version: the preflight must allow them.
  clientAwareness: { name: 'browser-test', version: '1.0.0' },
});

expose({
  client: 'apollo',
  catalog: async () => (await client.query({ query: gql(CATALOG) })).data,
  initiate: async (input) => (await client.mutate({ mutation: gql(INITIATE), variables: { input } })).data,
  process: async (signature) => (await client.mutate({ mutation: gql(PROCESS), variables: { signature } })).data,
  watch(id) {
    const sink = watching(id);
    client
      .subscribe({ query: gql(WATCH), variables: { id } })
      .subscribe({ next: (result) => sink.next(result.data), error: sink.error, complete: sink.complete });
  },
});
