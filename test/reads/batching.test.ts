/**
 * Upstream calls per query, counted by the sandbox: the catalog is cached across
 * requests, payment methods are fetched in parallel, and a page of transactions
 * costs one list call however many relations it asks for.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { INITIATE } from '../support/documents.js';

const CATALOG = '{ currencies { id code paymentMethods { id name } } }';
const PAGE = `query($first: Int) { transactions(first: $first) { edges { node {
  id amount currency { code symbol } paymentMethod { name } } } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
afterEach(() => stack.sandbox.faults.reset());

function nonTokenCalls() {
  const calls = stack.sandbox.calls.snapshot();
  return { ...calls, generateToken: 0, refreshToken: 0 };
}

describe('catalog caching', () => {
  it('costs 1 currencies call + 1 per currency cold, and 0 warm', async () => {
    stack.app.cache.clear();
    stack.sandbox.calls.reset();
    const cold = await stack.gql(CATALOG);
    const currencies = cold.data.currencies.length;
    expect(currencies).toBeGreaterThanOrEqual(4);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(currencies);

    stack.sandbox.calls.reset();
    const warm = await stack.gql(CATALOG);
    expect(warm.data).toEqual(cold.data);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('coalesces concurrent cold requests into one load per key', async () => {
    stack.app.cache.clear();
    stack.sandbox.calls.reset();
    stack.sandbox.faults.set({ latencyMs: 30 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => stack.gql(CATALOG)));
    expect(responses.every((r) => r.data.currencies.length === responses[0]!.data.currencies.length)).toBe(true);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(responses[0]!.data.currencies.length);
  });

  it('fetches all payment methods at once, not one currency after another', async () => {
    // Its own stack, whose payment-methods calls the sandbox never answers, and whose timeout
    // outlasts the test. Fetched one after another, only the first call would ever arrive;
    // fetched at once, they all do. Closing the stack ends the held requests.
    const held = await startStack({ env: { KSPAY_TIMEOUT_MS: '600000' } });
    let pending: Promise<unknown> | undefined;
    try {
      const { currencies } = (await held.gql('{ currencies { id } }')).data;
      expect(currencies.length).toBeGreaterThanOrEqual(4);
      held.sandbox.faults.set({ hang: { paymentMethods: 1000 } });
      pending = held.gql(CATALOG).catch(() => undefined);
      await vi.waitUntil(() => held.sandbox.calls.count('paymentMethods') === currencies.length, { timeout: 20_000, interval: 5 });
    } finally {
      await held.close();
      await pending;
    }
  });
});

describe('a page of transactions', () => {
  beforeAll(async () => {
    const { data } = await stack.gql(CATALOG);
    for (const currency of data.currencies) {
      for (let i = 0; i < 3; i++) {
        const r = await stack.gql(INITIATE, {
          input: {
            currencyId: currency.id,
            paymentMethodId: currency.paymentMethods[0].id,
            amount: `${i + 1}`,
            referenceNumber: newReference(),
            redirectUrl: 'https://shop.example/r',
          },
        });
        expect(r.data.initiateTransaction.__typename).toBe('InitiateTransactionSuccess');
      }
    }
  });

  it.each([1, 5, 12])('costs exactly 1 list call once the catalog is warm (first: %i)', async (first) => {
    await stack.gql(CATALOG); // warm
    stack.sandbox.calls.reset();
    const response = await stack.gql(PAGE, { first });
    const edges = response.data.transactions.edges;
    expect(edges).toHaveLength(first);
    expect(edges.every((e: any) => e.node.currency?.code && e.node.paymentMethod?.name)).toBe(true);
    expect(nonTokenCalls()).toMatchObject({ transactions: 1, transaction: 0, currencies: 0, paymentMethods: 0 });
    expect(stack.sandbox.calls.count()).toBe(1);
  });

  it('loads several transactions by id in parallel, once each', async () => {
    const { data } = await stack.gql(PAGE, { first: 3 });
    const ids = data.transactions.edges.map((e: any) => e.node.id);
    stack.sandbox.calls.reset();
    const response = await stack.gql(
      `query($a: ID!, $b: ID!, $c: ID!) { a: transaction(id: $a) { id } b: transaction(id: $b) { id } again: transaction(id: $a) { id } c: transaction(id: $c) { id } }`,
      { a: ids[0], b: ids[1], c: ids[2] },
    );
    expect(response.data.again.id).toBe(ids[0]);
    expect(stack.sandbox.calls.count('transaction')).toBe(3);
  });
});
