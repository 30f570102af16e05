/**
 * urql in Node against the gateway in production mode: @urql/core's Client with graphcache
 * (keyed by id, no warning), relayPagination over Query.transactions, an update after a
 * mutation, subscriptions over SSE both ways a front end does it (urql's own
 * fetchSubscriptions, and graphql-sse's client in subscriptionExchange), and the persisted
 * exchange in `allow`, `off` and `only` mode (the app's own manifest).
 */
import { formatDocument, gql, stringifyDocument, type Client } from '@urql/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/documents/document-id.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_FRONT_END } from '../support/presets.js';
import { captureWarnings, countingFetch, paymentInput, writeManifest, type SentRequest } from './support.js';
import { ALL_OPERATIONS, CATALOG, INITIATE, PROCESS, TRANSACTION, TRANSACTIONS, WATCH } from './documents.js';
import { closeSseClients, collect, createUrqlClient } from './urql-client.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'front-end' });
});
afterAll(async () => {
  closeSseClients();
  await stack.close();
});

let captured: ReturnType<typeof captureWarnings>;
beforeEach(() => {
  captured = captureWarnings();
});
afterEach(() => captured.restore());

/** Catalog → initiate → process, as the front end does it; the transaction and its checkout page. */
async function processedPayment(client: Client) {
  const catalog = await client.query(CATALOG, {}).toPromise();
  const inr = catalog.data.currencies.find((currency: { code: string }) => currency.code === 'INR');
  const initiated = await client.mutation(INITIATE, { input: paymentInput(inr.id, inr.paymentMethods[0].id) }).toPromise();
  const { signature, transaction } = initiated.data.initiateTransaction;
  const processed = await client.mutation(PROCESS, { signature }).toPromise();
  return { id: transaction.id as string, checkoutUrl: processed.data.processTransaction.checkoutUrl as string };
}

/** Follows a payment on the hosted checkout page to SUCCESS through the client's subscription transport. */
async function payAndFollow(client: Client) {
  const { id, checkoutUrl } = await processedPayment(client);
  const watched = collect(client.query(TRANSACTION, { id }));
  const updates = collect(client.subscription(WATCH, { id }));
  await expect.poll(() => updates.results.length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(updates.results[0]!.data.transactionUpdated).toMatchObject({ id, status: 'PROCESSING' });
  await pressCheckout(checkoutUrl, 'pay');
  await expect.poll(() => updates.latest()?.data.transactionUpdated.status, { timeout: 10_000 }).toBe('SUCCESS');
  // graphcache keys the subscription's Transaction by id: the watched query shows it without a refetch.
  await expect.poll(() => watched.latest()?.data?.transaction.status).toBe('SUCCESS');
  updates.stop();
  watched.stop();
  return id;
}

async function responseCacheHits(on: Stack = stack): Promise<number> {
  const metrics = await (await fetch(`${on.url}/metrics`)).text();
  return Number(/kspay_gateway_response_cache_lookups_total\{result="hit"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

const named = (name: string) => (request: SentRequest) => request.params.operationName === name;

describe('urql with graphcache', () => {
  it("pays end to end, following the payment over urql's own SSE (fetchSubscriptions), keyed by id without a warning", async () => {
    const counted = countingFetch();
    const client = createUrqlClient(stack.url, { fetch: counted.fetch });
    await payAndFollow(client);
    expect(counted.requests.filter(named('Transaction'))).toHaveLength(1);
    const stream = counted.requests.find(named('Watch'))!;
    expect([stream.method, stream.headers.get('accept')]).toEqual(['POST', expect.stringMatching(/^text\/event-stream/)]);
    expect(captured.warnings).toEqual([]);
  });

  it("follows a payment with graphql-sse's client in subscriptionExchange (the key in its headers)", async () => {
    const counted = countingFetch();
    const client = createUrqlClient(stack.url, { fetch: counted.fetch, subscriptions: 'graphql-sse' });
    await payAndFollow(client);
    const stream = counted.requests.find((request) => request.params.query?.includes('subscription Watch'))!;
    expect(stream.headers.get('authorization')).toBe(AS_FRONT_END.authorization);
    expect(captured.warnings).toEqual([]);
  });

  it('merges two pages of transactions with relayPagination: no duplicates, newest first', async () => {
    const client = createUrqlClient(stack.url);
    for (let i = 0; i < 5; i += 1) await processedPayment(client);
    const expected = await stack.gql('{ transactions(first: 4) { edges { node { id } } } }', undefined, AS_FRONT_END);
    const newestFour = expected.data.transactions.edges.map((edge: { node: { id: string } }) => edge.node.id);

    const first = await client.query(TRANSACTIONS, { first: 2 }).toPromise();
    expect(first.data.transactions.edges).toHaveLength(2);
    const merged = await client.query(TRANSACTIONS, { first: 2, after: first.data.transactions.pageInfo.endCursor }).toPromise();
    const ids = merged.data.transactions.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFour);
    expect(merged.data.transactions.pageInfo.hasNextPage).toBe(true);
    expect(captured.warnings).toEqual([]);
  });

  it('updates after a mutation: a new payment invalidates the cached list, and the watched list refetches with it on top', async () => {
    const client = createUrqlClient(stack.url);
    const list = collect(client.query(TRANSACTIONS, { first: 3 }));
    await expect.poll(() => list.latest()?.data?.transactions).toBeTruthy();
    const initiated = await client.mutation(INITIATE, { input: paymentInput('c_DemoINR001', 'pm_InrUpi001') }).toPromise();
    const id = initiated.data.initiateTransaction.transaction.id;
    await expect.poll(() => list.latest()?.data?.transactions.edges[0].node.id).toBe(id);
    list.stop();
    expect(captured.warnings).toEqual([]);
  });

  it("reads the catalog from the response cache: urql's GET queries accept JSON first (beside SSE), so they are answered from stored bytes", async () => {
    const counted = countingFetch();
    const client = createUrqlClient(stack.url, { fetch: counted.fetch });
    // A query no other test sends, so the first answer is stored here and the second is the hit.
    const codes = 'query CurrencyCodes { currencies { code symbol } }';
    const before = await responseCacheHits();
    const first = await client.query(codes, {}, { requestPolicy: 'network-only' }).toPromise();
    const again = await client.query(codes, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(again.data).toEqual(first.data);
    expect(counted.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
    expect(counted.requests[0]!.headers.get('accept')).toMatch(/^application\/graphql-response\+json,.*text\/event-stream/);
    expect((await responseCacheHits()) - before).toBe(1);
  });

  it("warns about an id-less type without a `keys` entry (the capture sees graphcache's warnings)", async () => {
    const client = createUrqlClient(stack.url, { withoutEmbeddedKeys: true });
    const verify = 'query Verify($id: ID!) { verifyPaymentReturn(kspayId: $id, paymentStatus: "success") { verified mismatch } }';
    await client.query(verify, { id: 'tx_NotKnown1' }).toPromise();
    expect(captured.warnings.join('\n')).toMatch(/Invalid key.*PaymentReturnVerification/s);
  });
});

/** What urql sends for a document: graphcache adds __typename, then urql prints it its own way. */
const asUrqlSendsIt = (text: string) => stringifyDocument(formatDocument(gql(text)));
const carried = ({ params }: SentRequest) => ({ query: params.query !== undefined, hash: params.extensions?.persistedQuery?.sha256Hash });

describe("urql's persisted exchange", () => {
  it('allow: the first use registers the query (two requests), a repeat is one request with the hash alone', async () => {
    const allow = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'allow' }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const client = createUrqlClient(allow.url, { fetch: counted.fetch, persisted: {} });
      const hash = sha256Hex(asUrqlSendsIt(CATALOG));
      const hitsBefore = await responseCacheHits(allow);
      const first = await client.query(CATALOG, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(counted.requests.map(carried)).toEqual([
        { query: false, hash },
        { query: true, hash },
      ]);
      const again = await client.query(CATALOG, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(counted.requests.slice(2).map(carried)).toEqual([{ query: false, hash }]);
      expect(again.data).toEqual(first.data);
      // The repeat, by hash alone, is answered from the response cache (issue 22).
      expect((await responseCacheHits(allow)) - hitsBefore).toBe(1);
      expect(captured.warnings).toEqual([]);
    } finally {
      await allow.close();
    }
  });

  it('off: the gateway says PersistedQueryNotSupported, so the exchange sends the query instead', async () => {
    const off = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'off' }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const client = createUrqlClient(off.url, { fetch: counted.fetch, persisted: {} });
      const result = await client.query(CATALOG, {}).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data.currencies.length).toBeGreaterThan(0);
      expect(counted.requests.map(carried).at(-1)).toEqual({ query: true, hash: undefined });
    } finally {
      await off.close();
    }
  });

  it("only: the app's own manifest, of its documents as urql sends them, runs the app end to end, subscription included", async () => {
    const manifest = writeManifest(ALL_OPERATIONS.map(asUrqlSendsIt));
    const only = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'only', TRUSTED_DOCUMENTS: manifest }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const persisted = { enforcePersistedQueries: true, enableForMutation: true, enableForSubscriptions: true };
      const client = createUrqlClient(only.url, { fetch: counted.fetch, persisted });
      await payAndFollow(client);
      expect(counted.requests.length).toBeGreaterThanOrEqual(5);
      expect(counted.requests.map(carried).every(({ query, hash }) => !query && /^[0-9a-f]{64}$/.test(hash!))).toBe(true);
      expect(captured.warnings).toEqual([]);
    } finally {
      await only.close();
    }
  });

  it('only: a catalog query by its trusted hash is answered from the response cache on repeat', async () => {
    const manifest = writeManifest([asUrqlSendsIt(CATALOG)]);
    const only = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'only', TRUSTED_DOCUMENTS: manifest }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const client = createUrqlClient(only.url, { fetch: counted.fetch, persisted: { enforcePersistedQueries: true } });
      const before = await responseCacheHits(only);
      const first = await client.query(CATALOG, {}, { requestPolicy: 'network-only' }).toPromise();
      const again = await client.query(CATALOG, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(first.error).toBeUndefined();
      expect(again.data).toEqual(first.data);
      expect(counted.requests.map(carried).every(({ query }) => !query)).toBe(true);
      expect(counted.requests).toHaveLength(2);
      expect((await responseCacheHits(only)) - before).toBe(1);
    } finally {
      await only.close();
    }
  });
});
