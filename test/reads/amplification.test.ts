/**
 * A client must not be able to multiply upstream calls with made-up ids: unknown currency
 * ids are answered from the cached currency list (NOT_FOUND, or null for `currency`), which
 * is refreshed for them at most once per interval. Known currencies keep one cached
 * payment-methods call each. Over HTTP in production mode, counted by the sandbox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CatalogCache } from '../../src/reads/catalog-cache.js';
import type { CatalogEntry, SharedCatalogStore } from '../../src/stores/types.js';
import { startStack, type Stack } from '../support/stack.js';

const CATALOG_ONLY = 'catalog-only-key-0123456789';
const PRODUCTION = { GATEWAY_API_KEYS: JSON.stringify({ [CATALOG_ONLY]: ['catalog:read'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' };
const INR = 'c_DemoINR001';
const USD = 'c_DemoUSD001';

/** `count` aliases of paymentMethods, each on a well-formed id that no currency has. */
function unknownIdsQuery(request: number, count = 30): string {
  const fields = Array.from({ length: count }, (_, i) => `m${i}: paymentMethods(currencyId: "c_Nope${String(request * 100 + i).padStart(6, '0')}") { id }`);
  return `{ ${fields.join(' ')} }`;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: PRODUCTION, headers: { authorization: `Bearer ${CATALOG_ONLY}` } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.app.cache.clear();
  stack.sandbox.calls.reset();
});
afterEach(() => stack.sandbox.faults.reset());

describe('a client fishing with made-up ids: unknown currency ids', () => {
  it('30 aliases on unknown ids cost one currencies call and no payment-methods call, and are NOT_FOUND', async () => {
    const response = await stack.gql(unknownIdsQuery(0));
    // The fields are non-null: the first NOT_FOUND nulls the whole response.
    expect(response.data).toBeNull();
    expect(response.errors?.[0]).toMatchObject({ message: 'Currency c_Nope000000 was not found', extensions: { code: 'NOT_FOUND', resource: 'Currency' } });
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(0);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });

  it('300 unknown ids over 10 requests cost a handful of upstream calls in all', async () => {
    for (let request = 0; request < 10; request += 1) {
      const response = await stack.gql(unknownIdsQuery(request));
      expect(response.errors?.every((e) => e.extensions?.code === 'NOT_FOUND')).toBe(true);
    }
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(0);
    // One load, then at most one refresh per 5 s: only a run slower than 10 s could reach 3.
    expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(3);
  });

  it('concurrent requests on unknown ids share the loads', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, request) => stack.gql(unknownIdsQuery(request))));
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(0);
    expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(2);
  });

  it('currency(id) answers null for an unknown id from the cached list', async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `c${i}: currency(id: "c_Nope${String(i).padStart(6, '0')}") { id }`);
    const response = await stack.gql(`{ ${fields.join(' ')} known: currency(id: "${INR}") { code } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.known).toEqual({ code: 'INR' });
    expect(Object.values(response.data).filter((c) => c === null)).toHaveLength(20);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });
});

describe('a client fishing with made-up ids: known currency ids', () => {
  it('cost one payment-methods call per currency, cached across requests', async () => {
    const query = `{ a: paymentMethods(currencyId: "${INR}") { id } b: paymentMethods(currencyId: "${INR}") { name } c: paymentMethods(currencyId: "${USD}") { id } }`;
    const first = await stack.gql(query);
    expect(first.errors).toBeUndefined();
    expect(first.data.a.length).toBeGreaterThan(0);
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(2);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);

    const again = await stack.gql(query);
    expect(again.data).toEqual(first.data);
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(2);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });

  it('Currency.paymentMethods works for every currency of the list', async () => {
    const response = await stack.gql('{ currencies(includeInactive: true) { id paymentMethods { id } } }');
    expect(response.errors).toBeUndefined();
    const currencies = response.data.currencies as { paymentMethods: unknown[] }[];
    expect(currencies.some((c) => c.paymentMethods.length > 0)).toBe(true);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(currencies.length);
  });

  it('a listed currency whose payment-methods call answers 1052 is still NOT_FOUND', async () => {
    stack.sandbox.faults.set({ forceError: { paymentMethods: { status: 400, code: 1052, message: "Currency doesn't exist" } } });
    const response = await stack.gql(`{ paymentMethods(currencyId: "${INR}") { id } }`);
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'NOT_FOUND', upstreamCode: 1052 });
    expect(stack.sandbox.calls.count('paymentMethods')).toBe(1);
  });
});

describe('a client fishing with made-up ids: CatalogCache.refresh', () => {
  const KEY = 'ap_Test|currencies';
  function counting() {
    let loads = 0;
    return { load: async () => ++loads, loads: () => loads };
  }

  it('reloads at once when the entry is older than the interval, and not again within it', async () => {
    const cache = new CatalogCache({ ttlMs: 60_000, maxStaleMs: 60_000, shared: null });
    const { load, loads } = counting();
    await cache.get(KEY, load);
    expect((await cache.refresh(KEY, load, 0)).value).toBe(2);
    expect((await cache.refresh(KEY, load, 60_000)).value).toBe(2);
    expect(loads()).toBe(2);
  });

  it('shares one load among concurrent refreshes', async () => {
    const cache = new CatalogCache({ ttlMs: 60_000, maxStaleMs: 60_000, shared: null });
    const { load, loads } = counting();
    const entries = await Promise.all(Array.from({ length: 20 }, () => cache.refresh(KEY, load, 60_000)));
    expect(entries.every((e) => e.value === 1)).toBe(true);
    expect(loads()).toBe(1);
  });

  it("takes another instance's shared entry only when it is younger than the interval", async () => {
    const stored = new Map<string, CatalogEntry<unknown>>();
    const shared: SharedCatalogStore = {
      get: async (key) => stored.get(key) ?? null,
      set: async (key, entry) => void stored.set(key, entry),
    };
    const { load, loads } = counting();
    const cache = new CatalogCache({ ttlMs: 60_000, maxStaleMs: 60_000, shared });
    stored.set(KEY, { value: 'from another instance, 30 s ago', fetchedAt: Date.now() - 30_000 });
    expect((await cache.refresh(KEY, load, 5_000)).value).toBe(1);
    stored.set(KEY, { value: 'from another instance, just now', fetchedAt: Date.now() });
    const other = new CatalogCache({ ttlMs: 60_000, maxStaleMs: 60_000, shared });
    expect((await other.refresh(KEY, load, 5_000)).value).toBe('from another instance, just now');
    expect(loads()).toBe(1);
  });
});
