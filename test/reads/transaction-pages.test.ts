/**
 * The `transactions` connection's keyset paging over an offset-paged upstream, against an
 * in-memory list that pages as docs/kspay-api.md describes (newest first, `page`/`limit`,
 * `{ items, page, limit, total }` or a bare array). Rows arrive and vanish between pages;
 * every page is checked for the exact rows it must hold and the upstream calls it made.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import type { Transaction, TransactionList, TransactionListArgs } from '../../src/kspay/models.js';
import { MAX_CURSOR_LENGTH, TransactionCursors } from '../../src/reads/transaction-cursor.js';
import { MAX_CALLS_PER_PAGE, pageCovering } from '../../src/reads/transaction-pages.js';
import { pageOfTransactions } from '../../src/schema/transaction-page.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

interface UpstreamOptions {
  /** The largest limit the server honours; it reports the one it used. */
  maxLimit?: number;
  /** `{ items, page, limit }` without a total. */
  noTotal?: boolean;
  /** A bare array of every row. */
  bare?: boolean;
  /** Rows without createdAt. */
  noCreatedAt?: boolean;
}

/** An upstream list, newest first, with a clock that makes every new row newer. */
function upstream(options: UpstreamOptions = {}) {
  let clock = 0;
  let rows: Transaction[] = [];
  const calls: TransactionListArgs[] = [];
  const make = (): Transaction => {
    clock += 1;
    const id = `tx_Row${String(clock).padStart(6, '0')}`;
    const createdAt = options.noCreatedAt ? null : new Date(T0 + clock * 1000).toISOString();
    return { id, createdAt } as Transaction;
  };
  const list = (args: TransactionListArgs): TransactionList => {
    calls.push(args);
    if (options.bare) return { items: [...rows], page: null, limit: null, total: null };
    const limit = Math.min(args.limit ?? 10, options.maxLimit ?? 100);
    const page = args.page ?? 1;
    const items = rows.slice((page - 1) * limit, page * limit);
    return { items, page, limit, total: options.noTotal ? null : rows.length };
  };
  return {
    calls,
    ids: () => rows.map((t) => t.id),
    /** `count` new rows, newest first, as KS Pay lists them. */
    arrive(count: number) {
      for (let i = 0; i < count; i++) rows = [make(), ...rows];
    },
    remove(id: string) {
      rows = rows.filter((t) => t.id !== id);
    },
    context(): Context {
      // A fresh DataLoader cache per request, as the gateway has: here, none at all.
      const loaders = { transactionPage: { load: async (args: TransactionListArgs) => list(args) } };
      return { loaders, cursors: new TransactionCursors(Buffer.alloc(32, 7)) } as unknown as Context;
    },
  };
}

type Upstream = ReturnType<typeof upstream>;

async function page(list: Upstream, first: number, after: string | null = null, args: { from?: Date; to?: Date } = {}) {
  const before = list.calls.length;
  const connection = await pageOfTransactions({ first, after, ...args }, list.context());
  return {
    ids: connection.edges.map((e) => e.node.id),
    end: connection.pageInfo.endCursor,
    hasNextPage: connection.pageInfo.hasNextPage,
    calls: list.calls.length - before,
  };
}

/** Every row once, newest first, walking `first` at a time; `between` runs before each later page. */
async function walk(list: Upstream, first: number, between: (pageIndex: number) => void = () => {}) {
  const seen: string[] = [];
  const calls: number[] = [];
  let after: string | null = null;
  for (let index = 0; index < 100; index++) {
    if (index > 0) between(index);
    const next = await page(list, first, after);
    seen.push(...next.ids);
    calls.push(next.calls);
    if (!next.hasNextPage) break;
    after = next.end;
  }
  return { seen, calls };
}

describe('keyset pages over an offset-paged list', () => {
  it('walks every row once, newest first, one upstream call a page when nothing changes', async () => {
    const list = upstream();
    list.arrive(25);
    const { seen, calls } = await walk(list, 10);
    expect(seen).toEqual(list.ids());
    expect(calls).toEqual([1, 1, 1]);
  });

  it('repeats nothing and skips nothing while rows arrive between pages', async () => {
    const list = upstream();
    list.arrive(20);
    const original = list.ids();
    const { seen, calls } = await walk(list, 3, (index) => list.arrive(index % 3));
    expect(seen).toEqual(original); // the rows that arrived are newer than the first page: not part of this walk
    expect(Math.max(...calls)).toBeLessThanOrEqual(2);
  });

  it('finds a row pushed down by more rows than a page with one corrected fetch', async () => {
    const list = upstream();
    list.arrive(10);
    const first = await page(list, 4);
    list.arrive(30);
    const second = await page(list, 4, first.end);
    expect(second.ids).toEqual(list.ids().slice(34, 38));
    expect(second.calls).toBe(2);
  });

  it.each<[string, UpstreamOptions]>([
    ['caps the limit (and says so)', { maxLimit: 7 }],
    ['reports no total', { noTotal: true }],
    ['sends no createdAt', { noCreatedAt: true }],
    ['answers a bare array', { bare: true }],
  ])('stays exact when the upstream %s', async (_name, options) => {
    const list = upstream(options);
    list.arrive(23);
    const original = list.ids();
    const { seen, calls } = await walk(list, 5, () => list.arrive(2));
    expect(seen).toEqual(original);
    expect(Math.max(...calls)).toBeLessThanOrEqual(MAX_CALLS_PER_PAGE);
    if (options.bare) expect(calls.every((n) => n === 1)).toBe(true);
  });

  it("resumes at the first row older than the cursor's when its row is gone", async () => {
    const list = upstream();
    list.arrive(12);
    const first = await page(list, 4);
    list.remove(first.ids[3]!);
    list.arrive(2);
    const second = await page(list, 4, first.end);
    // The two new rows and the first page's three are newer; everything older follows, nothing skipped.
    expect(second.ids).toEqual(list.ids().slice(5, 9));
    expect(second.calls).toBe(2);
  });

  it("resumes at the top of what is left when rows far around the cursor's are gone", async () => {
    const list = upstream();
    list.arrive(400);
    const first = await page(list, 10);
    for (const id of list.ids().slice(0, 300)) list.remove(id);
    const second = await page(list, 10, first.end);
    expect(second.ids).toEqual(list.ids().slice(0, 10));
    expect(second.calls).toBe(1);
  });

  it('answers VALIDATION on after when the row is gone and nothing says where it was', async () => {
    const list = upstream({ noCreatedAt: true });
    list.arrive(12);
    const first = await page(list, 4);
    list.remove(first.ids[3]!);
    list.arrive(1);
    const calls = list.calls.length;
    const failure = await page(list, 4, first.end).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'VALIDATION', field: 'after', message: expect.stringMatching(/no longer in the list/) });
    expect(list.calls.length - calls).toBe(1); // no total moved, no createdAt to go by: nothing more to try
  });

  it('searches by createdAt, MAX_CALLS_PER_PAGE calls at most, when no total says how far the row moved', async () => {
    const list = upstream({ noTotal: true });
    list.arrive(20);
    const first = await page(list, 5);
    list.arrive(150); // within reach: one page of 100 below the hint, then the row
    const second = await page(list, 5, first.end);
    expect(second.ids).toEqual(list.ids().slice(155, 160));
    expect(second.calls).toBeLessThanOrEqual(MAX_CALLS_PER_PAGE);

    list.arrive(1000); // out of reach: refused, never guessed
    const calls = list.calls.length;
    await expect(page(list, 5, second.end)).rejects.toMatchObject({ code: 'VALIDATION', field: 'after' });
    expect(list.calls.length - calls).toBe(MAX_CALLS_PER_PAGE);
  });

  it('refuses malformed, forged and re-scoped cursors with VALIDATION on after, before any upstream call', async () => {
    const list = upstream();
    list.arrive(8);
    const from = new Date(Date.now() - 86_400_000);
    const { end } = await page(list, 3, null, { from });
    const wire = JSON.parse(Buffer.from(end!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...wire, p: 0 })).toString('base64url');
    const older = Buffer.from(JSON.stringify({ ...wire, v: 0 })).toString('base64url');
    const calls = list.calls.length;
    for (const [after, args] of [
      ['bm9wZQ', { from }],
      ['not base64url!', { from }],
      ['A'.repeat(MAX_CURSOR_LENGTH + 1), { from }],
      [forged, { from }],
      [older, { from }],
      [end!, {}], // made for another filter
      [end!, { from: new Date(from.getTime() + 1) }],
    ] as const) {
      await expect(page(list, 3, after, args)).rejects.toMatchObject({ code: 'VALIDATION', field: 'after' });
    }
    expect(list.calls.length).toBe(calls);
    expect(end!.length).toBeLessThan(MAX_CURSOR_LENGTH);
  });

  it('costs one call for the first page, and checks first', async () => {
    const list = upstream();
    list.arrive(30);
    expect(await page(list, 12)).toMatchObject({ calls: 1, hasNextPage: true });
    expect(list.calls[0]).toEqual({ page: 1, limit: 12 });
    await expect(page(list, 101)).rejects.toMatchObject({ code: 'VALIDATION', field: 'first' });
  });
});

describe('pageCovering', () => {
  it('picks one upstream page holding the positions whenever one of at most 100 rows can', () => {
    for (let from = 0; from < 600; from += 7) {
      for (const width of [1, 2, 5, 11, 21, 50, 100, 101]) {
        const to = from + width - 1;
        const { page, limit } = pageCovering(from, to);
        const start = (page - 1) * limit;
        const end = start + limit - 1;
        expect(limit).toBeLessThanOrEqual(100);
        expect(start).toBeLessThanOrEqual(from);
        expect(end).toBeGreaterThanOrEqual(from);
        const possible = Array.from({ length: 100 }, (_, i) => i + 1).some((l) => Math.floor(from / l) === Math.floor(to / l));
        expect(end >= to, `${from}..${to}`).toBe(possible);
      }
    }
  });
});
