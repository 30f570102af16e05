/**
 * relay-runtime (Environment, Network, RecordSource, Store) in Node against the gateway in
 * production mode (API keys required, no introspection, no GraphiQL): a Transaction refetched
 * through node(id:) as @refetchable makes it, the `transactions` @connection paged while new
 * payments arrive, and a subscription over graphql-sse followed to SUCCESS. The documents are
 * compiled by relay-compiler (./relay/relay.config.json); the store must normalise every
 * record by its KS Pay id without a single warning.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-sse';
import {
  createOperationDescriptor,
  Environment,
  fetchQuery,
  getSelector,
  Network,
  Observable,
  RecordSource,
  requestSubscription,
  Store,
  type FetchFunction,
  type GraphQLResponse,
  type ReaderFragment,
  type SubscribeFunction,
} from 'relay-runtime';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import {
  TransactionFragment,
  TransactionQuery,
  TransactionRefetchQuery,
  TransactionsFragment,
  TransactionsPaginationQuery,
  TransactionsQuery,
  TransactionUpdatedSubscription,
  type paymentsTransactionQuery,
  type paymentsTransactionRefetchQuery,
  type paymentsTransactionsPaginationQuery,
  type paymentsTransactionsQuery,
  type paymentsTransactionUpdatedSubscription,
  type TransactionKey,
  type TransactionsKey,
} from './relay/payments.js';
import { INITIATE, PROCESS } from '../support/documents.js';

const KEY = 'relay-client-key-0123456789';
const RELAY_DIR = fileURLToPath(new URL('./relay/', import.meta.url));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' },
    headers: { authorization: `Bearer ${KEY}` },
    overrides: { live: { poll: { minIntervalMs: 100, maxIntervalMs: 400 } } },
  });
});
afterAll(() => stack.close());

/** Every answer the network layer received, for assertions on what the gateway sent. */
const answers: { data?: any; errors?: unknown[] }[] = [];

/** A Relay environment as a front end sets it up: fetch for operations, graphql-sse for subscriptions. */
function relayEnvironment(url: string, apiKey: string): { environment: Environment; dispose(): void } {
  const headers = { authorization: `Bearer ${apiKey}` };
  const fetchFn: FetchFunction = async (request, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: request.text, variables }),
    });
    const answer = (await response.json()) as { data?: any; errors?: unknown[] };
    answers.push(answer);
    return answer as GraphQLResponse;
  };
  const sse = createClient({ url, headers });
  const subscribeFn: SubscribeFunction = (request, variables) =>
    Observable.create<GraphQLResponse>((sink) =>
      sse.subscribe(
        { operationName: request.name, query: request.text!, variables },
        {
          next: (value) => sink.next(value as GraphQLResponse),
          error: (error) => sink.error(error instanceof Error ? error : new Error(String(error))),
          complete: () => sink.complete(),
        },
      ),
    );
  const environment = new Environment({ network: Network.create(fetchFn, subscribeFn), store: new Store(new RecordSource()) });
  return { environment, dispose: () => sse.dispose() };
}

let relay: ReturnType<typeof relayEnvironment>;
const warnings: unknown[][] = [];
beforeEach(() => {
  relay = relayEnvironment(`${stack.url}/graphql`, KEY);
  answers.length = 0;
  warnings.length = 0;
  // relay-runtime reports every normalisation problem (a missing field, an id of two types) on the console.
  for (const method of ['warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args) => void warnings.push(args));
});
afterEach(() => {
  relay.dispose();
  vi.restoreAllMocks();
  expect(warnings).toEqual([]);
});

/** A payment processed and waiting on the hosted checkout. */
async function processedPayment(amount: string): Promise<{ id: string; checkoutUrl: string }> {
  const initiated = await stack.gql(INITIATE, {
    input: {
      currencyId: CURRENCY_IDS.INR,
      paymentMethodId: PAYMENT_METHOD_IDS.INR_UPI,
      amount,
      referenceNumber: newReference('relay'),
      redirectUrl: 'https://shop.example/r',
    },
  });
  const { signature, transaction } = initiated.data.initiateTransaction;
  const processed = await stack.gql(PROCESS, { input: { signature } });
  return { id: transaction.id, checkoutUrl: processed.data.processTransaction.checkoutUrl };
}

/** A fragment's data, read from the store through the reference a query left there (as useFragment reads it). */
function readFragment<TKey extends { readonly ' $data'?: unknown }>(environment: Environment, fragment: ReaderFragment, reference: TKey | null | undefined) {
  const selector = getSelector(fragment, reference);
  if (selector?.kind !== 'SingularReaderSelector') throw new Error('no fragment reference');
  return environment.lookup(selector).data as NonNullable<TKey[' $data']>;
}

/** The store's record for an id: Relay files every Node under its id. */
const recordOf = (environment: Environment, id: string) => environment.getStore().getSource().get(id);

describe('Relay', () => {
  it('uses artifacts that are exactly what relay-compiler makes of the documents (else: cd test/clients/relay && npx relay-compiler)', () => {
    const compiler = fileURLToPath(new URL('../../node_modules/.bin/relay-compiler', import.meta.url));
    expect(() => execFileSync(compiler, ['--validate', '--output', 'quiet-with-errors'], { cwd: RELAY_DIR, stdio: 'pipe' })).not.toThrow();
  });

  it('refetches a Transaction through node(id:), as @refetchable does, into the same record', async () => {
    const { environment } = relay;
    const { id, checkoutUrl } = await processedPayment('21.50');
    const query = await fetchQuery<paymentsTransactionQuery>(environment, TransactionQuery, { id }).toPromise();
    const before = readFragment<TransactionKey>(environment, TransactionFragment, query?.transaction);
    expect(before).toMatchObject({
      id,
      status: 'PROCESSING',
      amount: '21.5',
      currency: { id: CURRENCY_IDS.INR, code: 'INR' },
      paymentMethod: { id: PAYMENT_METHOD_IDS.INR_UPI },
    });

    await pressCheckout(checkoutUrl, 'pay');
    const refetched = await fetchQuery<paymentsTransactionRefetchQuery>(environment, TransactionRefetchQuery, { id }).toPromise();
    const after = readFragment<TransactionKey>(environment, TransactionFragment, refetched?.node);
    expect(after).toMatchObject({ id, status: 'SUCCESS' });
    // One record per id, whichever field brought it: the refetch updated what transaction(id:) stored.
    expect(recordOf(environment, id)).toMatchObject({ __id: id, __typename: 'Transaction', status: 'SUCCESS' });
    expect(recordOf(environment, CURRENCY_IDS.INR)).toMatchObject({ __typename: 'Currency', code: 'INR' });
    expect(answers.at(-1)).toEqual({ data: { node: expect.objectContaining({ __typename: 'Transaction', id, status: 'SUCCESS' }) } });
  });

  it('pages the transactions @connection while payments arrive: no edge repeated, none skipped', async () => {
    const { environment } = relay;
    for (let i = 0; i < 6; i++) await processedPayment(`${i + 1}.75`);
    const listed = () => stack.sandbox.transactions.list(stack.sandbox.credentials.appId).map((t) => t.id);
    const before = listed();

    const variables = { count: 3 };
    // Kept in the store as a mounted list would keep it.
    const retained = environment.retain(createOperationDescriptor(TransactionsQuery, variables));
    const root = await fetchQuery<paymentsTransactionsQuery>(environment, TransactionsQuery, variables).toPromise();
    const page1 = readFragment<TransactionsKey>(environment, TransactionsFragment, root).transactions;
    const idsOf = (connection: typeof page1) => connection.edges?.map((edge) => edge?.node?.id);
    expect(idsOf(page1)).toEqual(before.slice(0, 3));

    await processedPayment('99.00'); // newer than page 1: not part of this walk
    await processedPayment('98.00');
    await fetchQuery<paymentsTransactionsPaginationQuery>(environment, TransactionsPaginationQuery, { count: 3, cursor: page1.pageInfo.endCursor }).toPromise();
    const sent = answers.at(-1)?.data.transactions.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(sent).toEqual(before.slice(3, 6));

    // Relay's connection handler appended page 2 to the connection the first query stored.
    const merged = readFragment<TransactionsKey>(environment, TransactionsFragment, root).transactions;
    expect(idsOf(merged)).toEqual(before.slice(0, 6));
    expect(merged.pageInfo.hasNextPage).toBe(true);
    for (const id of before.slice(0, 6)) expect(recordOf(environment, id)).toMatchObject({ __typename: 'Transaction' });
    retained.dispose();
  });

  it('follows a payment to SUCCESS over a subscription (graphql-sse in Network.create), updating the store', async () => {
    const { environment } = relay;
    const { id, checkoutUrl } = await processedPayment('33.00');
    const statuses: string[] = [];
    let completed = false;
    let failure: unknown = null;
    const subscription = requestSubscription<paymentsTransactionUpdatedSubscription>(environment, {
      subscription: TransactionUpdatedSubscription,
      variables: { id },
      onNext: () => statuses.push(String(recordOf(environment, id)?.status)),
      onError: (error) => (failure = error),
      onCompleted: () => (completed = true),
    });
    try {
      await expect.poll(() => statuses, { timeout: 10_000 }).toContain('PROCESSING');
      await pressCheckout(checkoutUrl, 'pay');
      await expect.poll(() => completed || failure, { timeout: 10_000 }).toBe(true);
      expect(failure).toBeNull();
      expect(statuses.at(-1)).toBe('SUCCESS');
      expect(recordOf(environment, id)).toMatchObject({ __typename: 'Transaction', status: 'SUCCESS', amount: '33' });
    } finally {
      subscription.dispose();
    }
  });
});
