/**
 * Apollo Client 3 in Node against the gateway in production mode: the payment flow with
 * codegen's typed documents, InMemoryCache normalisation without a warning, result unions
 * narrowed by __typename, relayStylePagination with fetchMore, and subscriptions over
 * GraphQLWsLink (graphql-ws) with the key in connectionParams; then the persisted-queries
 * link in `allow` and `only` mode, with codegen's hashes and with the app's own manifest.
 */
import { gql } from '@apollo/client/core';
import { loadDevMessages, loadErrorMessages } from '@apollo/client/dev';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { print } from 'graphql';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CatalogDocument,
  InitiatePaymentDocument,
  ProcessPaymentDocument,
  RecentTransactionsDocument,
  TransactionUpdatedDocument,
  type InitiatePaymentMutation,
} from '../../examples/gql/graphql.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_FRONT_END } from '../support/presets.js';
import { captureWarnings, countingFetch, ERROR_CODES, paymentInput, writeManifest, type SentRequest } from './support.js';
import { closeApolloSockets, createApolloClient, follow, watchResults, type FrontEndClient } from './apollo-client.js';
import { ALL_OPERATIONS, CATALOG, INITIATE, PROCESS, TRANSACTION, WATCH } from './documents.js';

loadDevMessages(); // Apollo's warnings in full, not as error codes
loadErrorMessages();

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'front-end' });
});
afterAll(async () => {
  await closeApolloSockets();
  await stack.close();
});

let captured: ReturnType<typeof captureWarnings>;
beforeEach(() => {
  captured = captureWarnings();
});
afterEach(() => captured.restore());

/** What a front end makes of any result of the initiate: every failure has a code, by `... on Error`. */
function outcome(result: InitiatePaymentMutation['initiateTransaction']) {
  switch (result.__typename) {
    case 'InitiateTransactionSuccess':
      return { ok: true as const, transactionId: result.transaction.id, signature: result.signature };
    case 'ValidationError':
      return { ok: false as const, code: result.code, field: result.field };
    default:
      return { ok: false as const, code: result.code, message: result.message };
  }
}

async function initiatedPayment(client: FrontEndClient, amount = '12.5') {
  const catalog = await client.query({ query: CatalogDocument });
  const inr = catalog.data.currencies.find((currency) => currency.code === 'INR')!;
  const method = inr.paymentMethods.find((candidate) => candidate.isActive)!;
  const initiated = await client.mutate({ mutation: InitiatePaymentDocument, variables: { input: paymentInput(inr.id, method.id, amount) } });
  return outcome(initiated.data!.initiateTransaction);
}

describe('Apollo Client 3', () => {
  it('pays end to end and follows the payment to SUCCESS over GraphQLWsLink, normalised in the cache, without a warning', async () => {
    const client = createApolloClient(stack.url);
    const initiated = await initiatedPayment(client);
    if (!initiated.ok) throw new Error(`initiate failed: ${initiated.code}`);
    const processed = await client.mutate({ mutation: ProcessPaymentDocument, variables: { input: { signature: initiated.signature } } });
    const process = processed.data!.processTransaction;
    if (process.__typename !== 'ProcessTransactionSuccess') throw new Error(`process failed: ${process.code}`);

    const watch = follow(client, TransactionUpdatedDocument, initiated.transactionId);
    await expect.poll(() => watch.results.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(watch.results[0]!.data!.transactionUpdated).toMatchObject({ id: initiated.transactionId, status: 'PROCESSING' });
    await pressCheckout(process.checkoutUrl!, 'pay');
    const results = await watch.done;
    expect(results.at(-1)!.data!.transactionUpdated.status).toBe('SUCCESS');

    // The subscription's results land on the one normalised Transaction the mutation wrote.
    const cached = client.cache.readFragment({
      id: client.cache.identify({ __typename: 'Transaction', id: initiated.transactionId }),
      fragment: gql`fragment Settled on Transaction { status providerPaymentId referenceNumber }`,
    });
    expect(cached).toMatchObject({ status: 'SUCCESS', providerPaymentId: expect.any(String), referenceNumber: expect.stringMatching(/^front-end-/) });
    expect(Object.keys(client.cache.extract())).toEqual(expect.arrayContaining(['Currency:c_DemoINR001', 'PaymentMethod:pm_InrNetBnk']));
    expect(captured.warnings).toEqual([]);
  });

  it('narrows a failure by __typename: ... on Error gives its code, a value of the ErrorCode enum', async () => {
    const client = createApolloClient(stack.url);
    stack.sandbox.calls.reset();
    const refused = await initiatedPayment(client, '0');
    expect(refused).toEqual({ ok: false, code: 'VALIDATION', field: 'input.amount' });
    expect(ERROR_CODES).toContain(refused.code);
    expect(stack.sandbox.calls.count('initiate')).toBe(0);

    const processed = await client.mutate({ mutation: ProcessPaymentDocument, variables: { input: { signature: 'not-a-signature-of-ours' } } });
    expect(processed.data!.processTransaction).toMatchObject({ __typename: 'SignatureInvalidError', code: 'SIGNATURE_INVALID', reason: 'MALFORMED' });
    expect(captured.warnings).toEqual([]);
  });

  it("sees the cache's own warnings (the capture works): a result missing a field", () => {
    const client = createApolloClient(stack.url);
    client.cache.writeQuery({ query: gql`{ currency(code: "INR") { id code name } }`, data: { currency: { __typename: 'Currency', id: 'c_X', code: 'X' } } });
    expect(captured.warnings.join('\n')).toMatch(/Missing field 'name'/);
  });

  it('merges two pages of transactions with relayStylePagination and fetchMore: no duplicates, in order', async () => {
    const client = createApolloClient(stack.url);
    for (let i = 0; i < 5; i += 1) expect((await initiatedPayment(client, `${i + 1}`)).ok).toBe(true);
    const expected = await stack.gql('{ transactions(first: 4) { edges { node { id } } } }', undefined, AS_FRONT_END);
    const newestFour = expected.data.transactions.edges.map((edge: { node: { id: string } }) => edge.node.id);

    const page = client.watchQuery({ query: RecentTransactionsDocument, variables: { first: 2 } });
    const watched = watchResults(page);
    await expect.poll(watched.loaded).toBe(true);
    const first = page.getCurrentResult().data!.transactions;
    expect(first.edges).toHaveLength(2);
    await page.fetchMore({ variables: { after: first.pageInfo.endCursor } });

    const merged = page.getCurrentResult().data!.transactions;
    const ids = merged.edges.map((edge) => edge.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFour);
    expect(merged.pageInfo.hasNextPage).toBe(true);
    watched.stop();
    expect(captured.warnings).toEqual([]);
  });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** What a request carried: the query text or not, and the hash. */
const carried = ({ params }: SentRequest) => ({ query: params.query !== undefined, hash: params.extensions?.persistedQuery?.sha256Hash });

describe("Apollo's persisted-queries link", () => {
  it('allow: the first use registers the query (two requests), a repeat is one request with the hash alone', async () => {
    const allow = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'allow' }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const client = createApolloClient(allow.url, { fetch: counted.fetch, persisted: createPersistedQueryLink({ sha256 }) });
      const catalog = gql(CATALOG);
      const hash = sha256(print(addTypenameToDocument(catalog)));
      const first = await client.query({ query: catalog, fetchPolicy: 'network-only' });
      expect(counted.requests.map(carried)).toEqual([
        { query: false, hash },
        { query: true, hash },
      ]);
      const again = await client.query({ query: catalog, fetchPolicy: 'network-only' });
      expect(counted.requests.slice(2).map(carried)).toEqual([{ query: false, hash }]);
      expect(again.data).toEqual(first.data);
      expect(captured.warnings).toEqual([]);
    } finally {
      await allow.close();
    }
  });

  it("only: runs codegen's trusted documents by their manifest hashes (generateHash), one request each, subscription included", async () => {
    const only = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'only' }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const persisted = createPersistedQueryLink({
        // codegen's client preset puts the manifest hash on each document (persistedDocuments)
        generateHash: (document) => (document as unknown as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, ''),
      });
      const client = createApolloClient(only.url, { fetch: counted.fetch, persisted });
      const initiated = await initiatedPayment(client);
      if (!initiated.ok) throw new Error(`initiate failed: ${initiated.code}`);
      const processed = await client.mutate({ mutation: ProcessPaymentDocument, variables: { input: { signature: initiated.signature } } });
      const process = processed.data!.processTransaction;
      if (process.__typename !== 'ProcessTransactionSuccess') throw new Error(`process failed: ${process.code}`);
      expect(counted.requests.map(carried)).toEqual([CatalogDocument, InitiatePaymentDocument, ProcessPaymentDocument].map(hashOnly));

      const watch = follow(client, TransactionUpdatedDocument, initiated.transactionId);
      await expect.poll(() => watch.results.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await pressCheckout(process.checkoutUrl!, 'pay');
      expect((await watch.done).at(-1)!.data!.transactionUpdated.status).toBe('SUCCESS');
      expect(captured.warnings).toEqual([]);
    } finally {
      await only.close();
    }
  });

  it("only: the app's own manifest, of its documents as Apollo sends them (with __typename), runs the app end to end", async () => {
    const manifest = writeManifest(ALL_OPERATIONS.map((text) => print(addTypenameToDocument(gql(text)))));
    const only = await startStack({ preset: 'front-end', env: { PERSISTED_OPERATIONS: 'only', TRUSTED_DOCUMENTS: manifest }, sharedSandbox: stack.sandbox });
    try {
      const counted = countingFetch();
      const client = createApolloClient(only.url, { fetch: counted.fetch, persisted: createPersistedQueryLink({ sha256 }) });
      const { data } = await client.query({ query: gql(CATALOG) });
      const inr = data.currencies.find((currency: { code: string }) => currency.code === 'INR');
      const initiated = await client.mutate({ mutation: gql(INITIATE), variables: { input: paymentInput(inr.id, inr.paymentMethods[0].id) } });
      const { signature, transaction } = initiated.data.initiateTransaction;
      const processed = await client.mutate({ mutation: gql(PROCESS), variables: { signature } });
      const watch = follow<{ transactionUpdated: { status: string } }>(client, gql(WATCH), transaction.id);
      await expect.poll(() => watch.results.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await pressCheckout(processed.data.processTransaction.checkoutUrl, 'pay');
      expect((await watch.done).at(-1)!.data!.transactionUpdated.status).toBe('SUCCESS');
      const settled = await client.query({ query: gql(TRANSACTION), variables: { id: transaction.id }, fetchPolicy: 'network-only' });
      expect(settled.data.transaction.status).toBe('SUCCESS');
      // Every request named its document by hash alone, and each was trusted the first time.
      expect(counted.requests.map(carried).every(({ query, hash }) => !query && /^[0-9a-f]{64}$/.test(hash!))).toBe(true);
      expect(counted.requests).toHaveLength(4);

      stack.sandbox.calls.reset();
      const outside = await client
        .query({ query: gql`query NotShipped { currencies { code } }`, fetchPolicy: 'network-only' })
        .catch((error: unknown) => error);
      expect((outside as { graphQLErrors: { extensions: { code: string } }[] }).graphQLErrors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
      expect(stack.sandbox.calls.count()).toBe(0);
      expect(captured.warnings).toEqual([]);
    } finally {
      await only.close();
    }
  });
});

function hashOnly(document: unknown) {
  return { query: false, hash: (document as { __meta__: { hash: string } }).__meta__.hash.replace(/^sha256:/, '') };
}
