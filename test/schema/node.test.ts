/**
 * Relay's Node over the KS Pay ids: node(id:) and nodes(ids:) answer transactions,
 * currencies and payment methods by the ids the gateway already shows, with each type's
 * own scope, batched through the DataLoaders. Schema-level: through yoga's fetch in production
 * mode, against a real sandbox that counts the upstream calls each answer costs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { newReference } from '../support/references.js';
import { startStack, type FetchStack } from '../support/stack.js';
import { INITIATE } from '../support/documents.js';

const ALL = 'node-all-key-0123456789';
const CATALOG = 'node-catalog-key-0123456789';
const TRANSACTIONS = 'node-transactions-key-0123456789';
const as = (key: string) => ({ authorization: `Bearer ${key}` });

const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Transaction { status amount currencyCode }
  ... on Currency { code }
  ... on PaymentMethod { name }
} }`;
const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';

let stack: FetchStack;
const transactionIds: string[] = [];
beforeAll(async () => {
  stack = await startStack({
    transport: 'fetch',
    env: {
      GATEWAY_API_KEYS: JSON.stringify({ [ALL]: ['*'], [CATALOG]: ['catalog:read'], [TRANSACTIONS]: ['transactions:read'] }),
      INTROSPECTION: 'false',
      GRAPHIQL: 'false',
    },
    headers: as(ALL),
  });
  for (let i = 0; i < 3; i++) {
    const { data } = await stack.gql(INITIATE, {
      input: {
        currencyId: CURRENCY_IDS.INR,
        paymentMethodId: PAYMENT_METHOD_IDS.INR_UPI,
        amount: `${i + 3}.50`,
        referenceNumber: newReference('node'),
        redirectUrl: 'https://shop.example/r',
      },
    });
    transactionIds.push(data.initiateTransaction.transaction.id);
  }
  await stack.gql('{ currencies(includeInactive: true) { id paymentMethods { id } } }'); // a warm catalog
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

const withoutTokens = () => ({ ...stack.sandbox.calls.snapshot(), generateToken: 0, refreshToken: 0 });

describe('node(id:)', () => {
  it('answers a transaction by its KS Pay id, read from KS Pay once', async () => {
    const [id] = transactionIds;
    const { data, errors } = await stack.gql(NODE, { id });
    expect(errors).toBeUndefined();
    expect(data.node).toEqual({ __typename: 'Transaction', id, status: 'INITIATED', amount: '3.5', currencyCode: 'INR' });
    expect(stack.sandbox.calls.count('transaction')).toBe(1);
  });

  it('answers a currency and a payment method from the cached catalog, with no upstream call', async () => {
    const currency = await stack.gql(NODE, { id: CURRENCY_IDS.USD });
    const method = await stack.gql(NODE, { id: PAYMENT_METHOD_IDS.JPY_CREDIT_CARD }); // of an inactive currency too
    expect(currency.data.node).toEqual({ __typename: 'Currency', id: CURRENCY_IDS.USD, code: 'USD' });
    expect(method.data.node).toEqual({ __typename: 'PaymentMethod', id: PAYMENT_METHOD_IDS.JPY_CREDIT_CARD, name: 'CREDIT CARD' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('answers null for a well-formed id KS Pay does not know', async () => {
    for (const id of ['tx_Missing01', 'c_Missing001', 'pm_Missing01']) {
      const { data, errors } = await stack.gql(NODE, { id });
      expect(errors, id).toBeUndefined();
      expect(data.node, id).toBeNull();
    }
  });

  it.each([
    ['tx_Short', 'too short'],
    ['us_DemoUser1', 'an id of no Node type'],
    ['VHJhbnNhY3Rpb246dHhfMQ==', 'a base64 Type:id global id'],
    ['tx_Has space', 'not letters and digits'],
  ])('refuses %s (%s) with VALIDATION, before any upstream call', async (id) => {
    const { data, errors } = await stack.gql(NODE, { id });
    expect(data.node).toBeNull();
    expect(errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'id' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});

describe('nodes(ids:)', () => {
  it('answers every id in order, batching transaction loads once per distinct id and the catalog from cache', async () => {
    const ids = [...transactionIds, CURRENCY_IDS.INR, 'tx_Missing02', PAYMENT_METHOD_IDS.INR_UPI, transactionIds[0]];
    const { data, errors } = await stack.gql(NODES, { ids });
    expect(errors).toBeUndefined();
    expect(data.nodes.map((n: { id: string } | null) => n?.id ?? null)).toEqual([
      ...transactionIds,
      CURRENCY_IDS.INR,
      null,
      PAYMENT_METHOD_IDS.INR_UPI,
      transactionIds[0],
    ]);
    expect(data.nodes.map((n: { __typename: string } | null) => n?.__typename ?? null)).toEqual([
      'Transaction',
      'Transaction',
      'Transaction',
      'Currency',
      null,
      'PaymentMethod',
      'Transaction',
    ]);
    expect(withoutTokens()).toMatchObject({ transaction: 4, currencies: 0, paymentMethods: 0 });
  });

  it('refuses the whole list when one id is malformed, before any upstream call', async () => {
    const { data, errors } = await stack.gql(NODES, { ids: [transactionIds[0], 'c_Nope'] });
    expect(data).toBeNull();
    expect(errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'ids[1]' });
    const tooMany = await stack.gql(NODES, { ids: Array.from({ length: 101 }, () => transactionIds[0]) });
    expect(tooMany.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'ids' });
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('costs unknown payment method ids no more than the unknown-currency guard allows', async () => {
    stack.app.cache.clear();
    const { data: cold } = await stack.gql('{ currencies(includeInactive: true) { id } }');
    stack.sandbox.calls.reset();
    const ids = Array.from({ length: 30 }, (_, i) => `pm_Nope${String(i).padStart(5, '0')}`);
    const first = await stack.gql(NODES, { ids });
    expect(first.data.nodes).toEqual(ids.map(() => null));
    // Each currency's method list once (the catalog's normal cold cost), and one guarded list reload.
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(cold.currencies.length);
    expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(1);

    stack.sandbox.calls.reset();
    const again = await stack.gql(NODES, { ids: ids.map((id) => id.replace('Nope', 'Nada')) });
    expect(again.data.nodes).toEqual(ids.map(() => null));
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(0);
    expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(1);
  });
});

describe('scopes through node and nodes', () => {
  it('gives a catalog:read key FORBIDDEN for a transaction, with no upstream call, and its catalog', async () => {
    const single = await stack.gql(NODE, { id: transactionIds[0] }, as(CATALOG));
    expect(single.data.node).toBeNull();
    expect(single.errors?.[0]).toMatchObject({ path: ['node'], extensions: { code: 'FORBIDDEN' } });

    const many = await stack.gql(NODES, { ids: [CURRENCY_IDS.INR, transactionIds[0], PAYMENT_METHOD_IDS.INR_UPI] }, as(CATALOG));
    expect(many.data.nodes).toEqual([{ __typename: 'Currency', id: CURRENCY_IDS.INR }, null, { __typename: 'PaymentMethod', id: PAYMENT_METHOD_IDS.INR_UPI }]);
    expect(many.errors).toHaveLength(1);
    expect(many.errors?.[0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'FORBIDDEN' } });
    expect(stack.sandbox.calls.count('transaction')).toBe(0);
  });

  it('gives a transactions:read key FORBIDDEN for the catalog, and its transactions', async () => {
    for (const id of [CURRENCY_IDS.INR, PAYMENT_METHOD_IDS.INR_UPI]) {
      const { data, errors } = await stack.gql(NODE, { id }, as(TRANSACTIONS));
      expect(data.node, id).toBeNull();
      expect(errors?.[0]!.extensions?.code, id).toBe('FORBIDDEN');
    }
    const many = await stack.gql(NODES, { ids: [transactionIds[1], CURRENCY_IDS.USD] }, as(TRANSACTIONS));
    expect(many.data.nodes).toEqual([{ __typename: 'Transaction', id: transactionIds[1] }, null]);
    expect(many.errors?.[0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'FORBIDDEN' } });
  });
});
