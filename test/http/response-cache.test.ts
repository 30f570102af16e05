/**
 * The response cache in front of yoga (src/http/response-cache.ts): catalog-only answers
 * are served from stored bytes, correctly. Counts, never times.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const ALL = 'cache-test-key-all-0123456789';
const CATALOG = 'cache-test-key-catalog-01234';
const TX_ONLY = 'cache-test-key-transactions-0';
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const WARM = '{ currencies { code name paymentMethods { id name } } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      GATEWAY_API_KEYS: JSON.stringify({ [ALL]: ['*'], [CATALOG]: ['catalog:read'], [TX_ONLY]: ['transactions:read'] }),
      INTROSPECTION: 'false',
      GRAPHIQL: 'false',
    },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

async function cacheCount(result: 'hit' | 'miss' | 'store'): Promise<number> {
  const series = result === 'store' ? 'kspay_gateway_response_cache_writes_total' : `kspay_gateway_response_cache_lookups_total\\{result="${result}"\\}`;
  const metrics = await (await fetch(`${stack.url}/metrics`)).text();
  return Number(new RegExp(`^${series} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
}

describe('catalog answers from the response cache', () => {
  it('serves a repeat from the cache: counted exactly, with its own request id, no upstream call', async () => {
    const first = await stack.gql(WARM, undefined, as(ALL)); // stored (the Accept header is part of the key)
    expect(first.errors).toBeUndefined();
    const hitsBefore = await cacheCount('hit');
    stack.sandbox.calls.reset();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...as(ALL) },
        body: JSON.stringify({ query: WARM }),
      });
      expect(await response.json()).toEqual({ data: first.data });
      ids.add(response.headers.get('x-request-id')!);
    }
    expect(ids.size).toBe(5);
    expect((await cacheCount('hit')) - hitsBefore).toBe(5);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('still checks the API key on every request', async () => {
    await stack.gql(WARM, undefined, as(ALL));
    const stranger = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: WARM }),
    });
    expect(stranger.status).toBe(401);
  });

  it('never gives one scope set the answer of another', async () => {
    const query = '{ currencies { id code } }';
    const forbidden = await stack.gql(query, undefined, as(TX_ONLY));
    expect(forbidden.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.gql(query, undefined, as(ALL))).errors).toBeUndefined();
    expect((await stack.gql(query, undefined, as(CATALOG))).errors).toBeUndefined();
    const again = await stack.gql(query, undefined, as(TX_ONLY));
    expect(again.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    expect(again.data).toBeNull();
  });

  it('retires every answer the moment the catalog is cleared or reloads', async () => {
    await stack.gql(WARM, undefined, as(ALL));
    await stack.gql(WARM, undefined, as(ALL)); // a hit
    const misses = await cacheCount('miss');
    stack.app.cache.clear();
    stack.sandbox.calls.reset();
    await stack.gql(WARM, undefined, as(ALL));
    expect((await cacheCount('miss')) - misses).toBe(1);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });

  it('never caches an operation that touches transactions, alone or beside the catalog', async () => {
    const hits = await cacheCount('hit');
    for (const query of ['{ transactions(first: 1) { edges { node { id } } } }', '{ currencies { id } transactions(first: 1) { totalCount } }']) {
      stack.sandbox.calls.reset();
      await stack.gql(query, undefined, as(ALL));
      await stack.gql(query, undefined, as(ALL));
      expect(stack.sandbox.calls.count('transactions')).toBe(2);
    }
    expect(await cacheCount('hit')).toBe(hits);
  });

  it('keys on variables in canonical form and on the operation name', async () => {
    const query = 'query One($id: ID, $code: String) { currency(id: $id, code: $code) { code } } query Two { currencies { code } }';
    const one = await stack.gql(query, { code: 'INR', id: null }, { ...as(ALL) });
    expect(one.errors?.[0]).toBeDefined(); // two operations and no operationName: refused, not cached
    const post = (variables: object, operationName: string) =>
      fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...as(ALL) },
        body: JSON.stringify({ query, variables, operationName }),
      }).then((r) => r.json());
    const inr = await post({ code: 'INR' }, 'One');
    const usd = await post({ code: 'USD' }, 'One');
    expect(inr.data.currency.code).toBe('INR');
    expect(usd.data.currency.code).toBe('USD');
    const hits = await cacheCount('hit');
    expect(await post({ code: 'INR' }, 'One')).toEqual(inr);
    expect((await post({ code: 'USD' }, 'Two')).data.currencies.length).toBeGreaterThan(1);
    expect((await cacheCount('hit')) - hits).toBe(1);
  });
});

describe('hits in the log', () => {
  it('logs one hit in 100, saying so, while the metrics count every one', async () => {
    const logged = await startStack({ sharedSandbox: stack.sandbox, captureLogs: true, env: { GATEWAY_API_KEYS: JSON.stringify({ [ALL]: ['*'] }) } });
    try {
      await logged.gql('query Warm { currencies { code } }', undefined, as(ALL)); // stored
      for (let i = 0; i < 200; i++) await logged.gql('query Warm { currencies { code } }', undefined, as(ALL));
      const hitLines = logged
        .logs()
        .map((line) => JSON.parse(line))
        .filter((line) => line.msg === 'graphql operation' && line.cached);
      expect(hitLines).toHaveLength(2);
      for (const line of hitLines) {
        expect(line).toMatchObject({ operation: 'Warm', outcome: 'ok', upstreamCalls: 0, cached: true, sampled: 100 });
        expect(line.requestId).toMatch(/^[\w.:-]+$/);
      }
      const metrics = await (await fetch(`${logged.url}/metrics`)).text();
      expect(metrics).toMatch(/kspay_gateway_response_cache_lookups_total\{result="hit"\} 200\b/);
      expect(metrics).toMatch(/kspay_gateway_graphql_operations_total\{operation="Warm",outcome="ok"\} 201\b/);
    } finally {
      await logged.close();
    }
  });
});

describe('GET with an ETag', () => {
  it('answers with Cache-Control and an ETag, and 304 to If-None-Match', async () => {
    const url = `${stack.url}/graphql?query=${encodeURIComponent('{ currencies { code } }')}`;
    const first = await fetch(url, { headers: as(CATALOG) });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"c\d+-/);
    // A catalog-only key's answer is every such caller's: a CDN may share it (keyed by the key, through Vary).
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(first.headers.get('vary')).toBe('Accept, Authorization, X-Api-Key');
    const wider = await fetch(url, { headers: as(ALL) });
    expect(wider.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const again = await fetch(url, { headers: { ...as(CATALOG), 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    stack.app.cache.clear();
    const afterReload = await fetch(url, { headers: { ...as(CATALOG), 'if-none-match': etag! } });
    expect(afterReload.status).toBe(200);
    expect(afterReload.headers.get('etag')).not.toBe(etag);
  });
});

describe('a stale catalog', () => {
  it('keeps its extensions.catalog flag when served from the cache', async () => {
    const staleStack = await startStack({ sharedSandbox: stack.sandbox, env: { CATALOG_TTL_MS: '50', GATEWAY_API_KEYS: JSON.stringify({ [ALL]: ['*'] }) } });
    try {
      await staleStack.gql(WARM, undefined, as(ALL));
      stack.sandbox.faults.set({ forceError: { currencies: { status: 500, code: 26 }, paymentMethods: { status: 500, code: 26 } } });
      await new Promise((resolve) => setTimeout(resolve, 120)); // at least past the 50 ms TTL
      const stale = await staleStack.gql(WARM, undefined, as(ALL));
      expect(stale.extensions?.catalog).toMatchObject({ stale: true });
      const repeat = await staleStack.gql(WARM, undefined, as(ALL));
      expect(repeat.extensions?.catalog).toMatchObject({ stale: true });
      expect(repeat.data).toEqual(stale.data);
    } finally {
      stack.sandbox.faults.reset();
      await staleStack.close();
    }
  });
});
