/**
 * The `transactions` connection's cursors hold still while transactions arrive: page 1,
 * new payments, page 2 repeats nothing and skips nothing. Over real HTTP against the
 * sandbox, in each list shape the contract allows, with the upstream calls each page costs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { CATALOG, INITIATE } from '../support/documents.js';

const PAGE = `query($first: Int, $after: String, $from: DateTime) {
  transactions(first: $first, after: $after, from: $from) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } }
  }
}`;

let stack: Stack;
let inr: { currencyId: string; paymentMethodId: string };
beforeAll(async () => {
  stack = await startStack();
  const { data } = await stack.gql(CATALOG);
  const currency = data.currencies.find((c: { code: string }) => c.code === 'INR');
  inr = { currencyId: currency.id, paymentMethodId: currency.paymentMethods[0].id };
  await initiate(7);
});
afterAll(() => stack.close());
afterEach(() => stack.sandbox.shapes.reset());

/** `count` new payments, one after another, through the gateway. */
async function initiate(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { data } = await stack.gql(INITIATE, {
      input: { ...inr, amount: `${i + 1}.25`, referenceNumber: newReference('pages'), redirectUrl: 'https://shop.example/r' },
    });
    expect(data.initiateTransaction.__typename).toBe('InitiateTransactionSuccess');
  }
}

/** The sandbox's own list, newest first: what the pages must add up to. */
const upstreamIds = () => stack.sandbox.transactions.list(stack.sandbox.credentials.appId).map((t) => t.id);

/** One page, and the upstream list calls it cost. */
async function page(variables: { first: number; after?: string | null; from?: string }) {
  stack.sandbox.calls.reset();
  const response = await stack.gql(PAGE, variables);
  expect(response.errors).toBeUndefined();
  const connection = response.data.transactions;
  return { ...connection, ids: connection.edges.map((e: { node: { id: string } }) => e.node.id) as string[], calls: stack.sandbox.calls.count('transactions') };
}

describe('transactions cursors while payments arrive', () => {
  it('pages on after new payments with no row repeated or skipped: 1 call a page, 2 after growth', async () => {
    const before = upstreamIds();
    const first = await page({ first: 3 });
    expect(first.ids).toEqual(before.slice(0, 3));
    expect(first.calls).toBe(1);

    await initiate(2);
    const second = await page({ first: 3, after: first.pageInfo.endCursor });
    expect(second.ids).toEqual(before.slice(3, 6));
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    expect(second.calls).toBe(2); // the cursor's row, 2 rows further down than its hint: found, then the page filled

    const third = await page({ first: 3, after: second.pageInfo.endCursor });
    expect(third.ids).toEqual(before.slice(6, 9));
    expect(third.calls).toBe(1);
    expect(third.totalCount).toBe(upstreamIds().length);
  });

  it("finds the cursor's row in a bare-array list in one call per page", async () => {
    stack.sandbox.shapes.set({ list: 'bare' });
    const before = upstreamIds();
    const first = await page({ first: 4 });
    expect(first.ids).toEqual(before.slice(0, 4));
    await initiate(3);
    const second = await page({ first: 4, after: first.pageInfo.endCursor });
    expect(second.ids).toEqual(before.slice(4, 8));
    expect([first.calls, second.calls]).toEqual([1, 1]);
    expect(second.totalCount).toBe(before.length + 3);
  });

  it('holds still in a date-filtered connection whose window grows (from, no to)', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const before = upstreamIds();
    const first = await page({ first: 2, from });
    expect(first.ids).toEqual(before.slice(0, 2));
    await initiate(5); // more than a page: one corrected fetch
    const second = await page({ first: 2, after: first.pageInfo.endCursor, from });
    expect(second.ids).toEqual(before.slice(2, 4));
    expect(second.calls).toBe(2);
  });

  it('holds still when the upstream sends no createdAt, by id and the growth of total', async () => {
    const withoutOptional = () => stack.sandbox.shapes.set({ omitOptional: true });
    const before = upstreamIds();
    withoutOptional();
    const first = await page({ first: 3 });
    stack.sandbox.shapes.reset(); // initiate needs its full answer
    await initiate(1);
    withoutOptional();
    const second = await page({ first: 3, after: first.pageInfo.endCursor });
    expect([...first.ids, ...second.ids]).toEqual(before.slice(0, 6));
    expect(second.calls).toBe(2);
    expect(JSON.parse(Buffer.from(first.pageInfo.endCursor, 'base64url').toString()).c).toBeNull(); // the cursor knew no createdAt
  });
});

describe("transactions cursors that are not this connection's", () => {
  it('refuses them with VALIDATION on after, before any upstream call', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const { pageInfo } = await page({ first: 2, from });
    const wire = JSON.parse(Buffer.from(pageInfo.endCursor, 'base64url').toString());
    const cases: [string, string | undefined][] = [
      [Buffer.from('txoffset:3').toString('base64url'), from], // the old offset cursors
      [Buffer.from(JSON.stringify({ ...wire, p: wire.p + 1 })).toString('base64url'), from], // altered
      [pageInfo.endCursor, undefined], // made for another filter
      ['%%%', from],
      ['A'.repeat(300), from],
    ];
    for (const [after, withFrom] of cases) {
      stack.sandbox.calls.reset();
      const response = await stack.gql(PAGE, { first: 2, after, from: withFrom });
      expect(response.data).toBeNull();
      expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'after' });
      expect(stack.sandbox.calls.count()).toBe(0);
    }
  });
});
