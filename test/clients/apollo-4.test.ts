/**
 * Apollo Client 4 (installed beside Apollo 3 as `@apollo/client-4`; apollo.test.ts keeps
 * Apollo 3, which many front ends still ship) against the gateway in production mode. Its
 * default request always carries `extensions.clientLibrary`, which must not keep a catalog
 * query out of the response cache (issue 22); nor must its persisted-queries link, by POST
 * or by GET (`useGETForHashedQueries`), in `allow` and in `only` mode.
 */
import { ApolloClient, HttpLink, InMemoryCache, gql, type ApolloLink } from '@apollo/client-4';
import { PersistedQueryLink } from '@apollo/client-4/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/documents/document-id.js';
import { CatalogDocument } from '../../examples/gql/graphql.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_FRONT_END } from '../support/presets.js';
import { countingFetch, possibleTypes, type SentRequest } from './support.js';
import { CATALOG } from './documents.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'front-end' });
});
afterAll(() => stack.close());

function createApollo4Client(gatewayUrl: string, fetch: typeof globalThis.fetch, persisted?: ApolloLink) {
  const http = new HttpLink({ uri: `${gatewayUrl}/graphql`, headers: AS_FRONT_END, fetch });
  return new ApolloClient({ cache: new InMemoryCache({ possibleTypes: possibleTypes() }), link: persisted ? persisted.concat(http) : http });
}

async function responseCacheHits(on: Stack): Promise<number> {
  const metrics = await (await fetch(`${on.url}/metrics`)).text();
  return Number(/kspay_gateway_response_cache_lookups_total\{result="hit"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

/** Two network-only catalog queries; the hits they made, what each request carried, and both answers. */
async function catalogTwice(on: Stack, persisted?: ApolloLink, document = gql(CATALOG)) {
  const counted = countingFetch();
  const client = createApollo4Client(on.url, counted.fetch, persisted);
  const before = await responseCacheHits(on);
  const first = await client.query({ query: document, fetchPolicy: 'network-only' });
  const again = await client.query({ query: document, fetchPolicy: 'network-only' });
  const hits = (await responseCacheHits(on)) - before;
  return { hits, first, again, requests: counted.requests };
}

describe('Apollo Client 4', () => {
  it('its default body (with extensions.clientLibrary) is answered from the response cache', async () => {
    const { hits, first, again, requests } = await catalogTwice(stack);
    const libraryOf = (request: SentRequest) => (request.params.extensions as { clientLibrary?: { name: string } } | undefined)?.clientLibrary?.name;
    expect(requests.map(libraryOf)).toEqual(['@apollo/client', '@apollo/client']);
    expect(first.error).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(hits).toBe(1);
  });

  it('allow: the persisted-queries link registers the query once, then its hash alone is a hit, by GET too', async () => {
    const allow = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'allow' }, sharedSandbox: stack.sandbox });
    try {
      const persisted = new PersistedQueryLink({ sha256: sha256Hex, useGETForHashedQueries: true });
      const { hits, first, again, requests } = await catalogTwice(allow, persisted);
      // Hash alone (not found), hash with the query (registered, stored), then the hash alone by GET: a hit.
      expect(requests.map((request) => [request.method, request.params.query !== undefined])).toEqual([
        ['GET', false],
        ['POST', true],
        ['GET', false],
      ]);
      expect(again.data).toEqual(first.data);
      expect(hits).toBe(1);
    } finally {
      await allow.close();
    }
  });

  it("only: codegen's trusted document by its manifest hash, by GET: one miss, then a hit", async () => {
    const only = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'only' }, sharedSandbox: stack.sandbox });
    try {
      const persisted = new PersistedQueryLink({
        // codegen's client preset puts the manifest hash on each document (persistedDocuments)
        generateHash: (document) => (document as unknown as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, ''),
        useGETForHashedQueries: true,
      });
      const { hits, first, again, requests } = await catalogTwice(only, persisted, CatalogDocument);
      expect(requests.map((request) => [request.method, request.params.query !== undefined])).toEqual([
        ['GET', false],
        ['GET', false],
      ]);
      expect(first.error).toBeUndefined();
      expect(again.data).toEqual(first.data);
      expect(hits).toBe(1);
    } finally {
      await only.close();
    }
  });
});
