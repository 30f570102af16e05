/**
 * Issue 22, items 3 and 5: lookups of settled transactions answered by the response cache
 * (src/http/response-cache.ts). An answer to `transaction(id)`, `node(id)` or `nodes(ids)` that
 * served only transactions in a final status, with no error, is stored and served from its bytes:
 * no yoga execution, no upstream call. A live transaction is never stored; the scope set is part
 * of the key, so a caller with other scopes misses and one without `transactions:read` is refused.
 * Counts, never times.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { payment, paymentAt, settle } from '../support/payment-stages.js';

const ALL = 'settled-answers-key-all-0123';
const TX_ONLY = 'settled-answers-key-tx-01234';
const CATALOG = 'settled-answers-key-catalog-0';
const as = (key: string) => ({ authorization: `Bearer ${key}` });

const LOOKUP = 'query Lookup($id: ID!) { transaction(id: $id) { id status amount } }';
const NODE = 'query Node($id: ID!) { node(id: $id) { id ... on Transaction { status amount } } }';
const NODES = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id ... on Transaction { status } } }';
const WITH_CURRENCY = 'query WithCurrency($id: ID!) { transaction(id: $id) { id status currency { code } } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    headers: as(ALL),
    env: {
      GATEWAY_API_KEYS: JSON.stringify({ [ALL]: ['*'], [TX_ONLY]: ['transactions:read'], [CATALOG]: ['catalog:read'] }),
      INTROSPECTION: 'false',
      GRAPHIQL: 'false',
    },
  });
});
afterAll(() => stack?.close());
beforeEach(() => stack.sandbox.calls.reset());

async function counts() {
  const metrics = await (await fetch(`${stack.url}/metrics`)).text();
  const sum = (series: string) =>
    [...metrics.matchAll(new RegExp(`^${series}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce((total, match) => total + Number(match[1]), 0);
  return {
    hits: sum('kspay_gateway_response_cache_lookups_total\\{result="hit"\\}'),
    misses: sum('kspay_gateway_response_cache_lookups_total\\{result="miss"\\}'),
    writes: sum('kspay_gateway_response_cache_writes_total'),
    operations: sum('kspay_gateway_graphql_operations_total'),
    upstream: stack.sandbox.calls.count(),
  };
}

/** Runs `work`, then the change in each count. */
async function delta(work: () => Promise<unknown>) {
  const before = await counts();
  await work();
  const after = await counts();
  return {
    hits: after.hits - before.hits,
    misses: after.misses - before.misses,
    writes: after.writes - before.writes,
    /** Operations yoga executed: every operation counted that was not a cache hit. */
    executed: after.operations - before.operations - (after.hits - before.hits),
    upstream: after.upstream - before.upstream,
  };
}

describe('a settled transaction', () => {
  it('is stored after its first answer, then served with 0 upstream calls and 0 yoga executions', async () => {
    const id = await paymentAt(stack, 'SUCCESS', '10.05');
    let first: unknown;
    const stored = await delta(async () => {
      first = await stack.gql(LOOKUP, { id });
    });
    expect(first).toMatchObject({ data: { transaction: { id, status: 'SUCCESS', amount: '10.05' } } });
    expect(stored).toEqual({ hits: 0, misses: 1, writes: 1, executed: 1, upstream: 1 });

    const answers: unknown[] = [];
    const served = await delta(async () => {
      for (let i = 0; i < 5; i++) answers.push(await stack.gql(LOOKUP, { id }));
    });
    expect(served).toEqual({ hits: 5, misses: 0, writes: 0, executed: 0, upstream: 0 });
    for (const answer of answers) expect(answer).toEqual(first);
  });

  it('by node and nodes too: FAILED is final', async () => {
    const id = await paymentAt(stack, 'FAILED');
    await stack.gql(NODE, { id });
    await stack.gql(NODES, { ids: [id, id] });
    const served = await delta(async () => {
      expect((await stack.gql(NODE, { id })).data.node).toEqual({ id, status: 'FAILED', amount: '12.5' });
      expect((await stack.gql(NODES, { ids: [id, id] })).data.nodes).toEqual([
        { id, status: 'FAILED' },
        { id, status: 'FAILED' },
      ]);
    });
    expect(served).toEqual({ hits: 2, misses: 0, writes: 0, executed: 0, upstream: 0 });
  });

  it('is not retired when the catalog reloads; an answer that also read the catalog is', async () => {
    const id = await paymentAt(stack, 'SUCCESS');
    await stack.gql(LOOKUP, { id });
    await stack.gql(WITH_CURRENCY, { id });
    stack.app.cache.clear(); // a new catalog generation
    const after = await delta(async () => {
      await stack.gql(LOOKUP, { id });
      expect((await stack.gql(WITH_CURRENCY, { id })).data.transaction).toMatchObject({ id, status: 'SUCCESS', currency: { code: 'INR' } });
    });
    expect(after).toMatchObject({ hits: 1, misses: 1, writes: 1, executed: 1 });
  });
});

describe('a settled lookup by GET', () => {
  it('carries an ETag, private Cache-Control, and answers 304 to If-None-Match', async () => {
    const id = await paymentAt(stack, 'SUCCESS');
    const url = `${stack.url}/graphql?${new URLSearchParams({ query: LOOKUP, variables: JSON.stringify({ id }) })}`;
    const headers = { ...as(TX_ONLY), accept: 'application/graphql-response+json' };
    const first = await fetch(url, { headers });
    expect(await first.json()).toMatchObject({ data: { transaction: { id, status: 'SUCCESS' } } });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"s-/);
    expect(first.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const revalidated = await delta(async () => {
      const again = await fetch(url, { headers: { ...headers, 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    });
    expect(revalidated).toEqual({ hits: 1, misses: 0, writes: 0, executed: 0, upstream: 0 });
  });
});

describe('a live transaction', () => {
  it('is never stored: 1 upstream call each time, and its change of status is seen', async () => {
    const { id, checkoutUrl } = await payment(stack, 'PROCESSING');
    const live = await delta(async () => {
      for (let i = 0; i < 3; i++) expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('PROCESSING');
    });
    expect(live).toEqual({ hits: 0, misses: 3, writes: 0, executed: 3, upstream: 3 });

    await settle(checkoutUrl!, 'SUCCESS');
    expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('SUCCESS');
    const settled = await delta(async () => {
      expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('SUCCESS');
    });
    expect(settled).toEqual({ hits: 1, misses: 0, writes: 0, executed: 0, upstream: 0 });
  });

  it('keeps a whole answer out: nodes of one settled and one live transaction, and an unknown id, are never stored', async () => {
    const settledId = await paymentAt(stack, 'SUCCESS');
    const liveId = await paymentAt(stack, 'INITIATED');
    await stack.gql(NODES, { ids: [settledId, liveId] });
    const mixed = await delta(async () => {
      for (let i = 0; i < 2; i++) await stack.gql(NODES, { ids: [settledId, liveId] });
    });
    expect(mixed).toMatchObject({ hits: 0, misses: 2, writes: 0, upstream: 2 });

    const unknown = await delta(async () => {
      for (let i = 0; i < 2; i++) expect((await stack.gql(LOOKUP, { id: 'no-such-transaction' })).data?.transaction ?? null).toBeNull();
    });
    expect(unknown).toMatchObject({ hits: 0, writes: 0 });
  });
});

describe('the scope set is part of the key', () => {
  it('a key with another scope set misses; then it has an entry of its own', async () => {
    const id = await paymentAt(stack, 'SUCCESS');
    await stack.gql(LOOKUP, { id }); // stored for '*'
    const other = await delta(async () => {
      for (let i = 0; i < 2; i++) expect((await stack.gql(LOOKUP, { id }, as(TX_ONLY))).data.transaction).toMatchObject({ id, status: 'SUCCESS' });
    });
    // The settled-transaction cache spares the upstream call; the response cache keeps one entry per scope set.
    expect(other).toEqual({ hits: 1, misses: 1, writes: 1, executed: 1, upstream: 0 });
  });

  it('a key without transactions:read gets FORBIDDEN every time, never a stored answer', async () => {
    const id = await paymentAt(stack, 'SUCCESS');
    await stack.gql(LOOKUP, { id });
    await stack.gql(LOOKUP, { id }, as(TX_ONLY));
    const refused = await delta(async () => {
      for (let i = 0; i < 3; i++) {
        const answer = await stack.gql(LOOKUP, { id }, as(CATALOG));
        expect(answer.data?.transaction ?? null).toBeNull();
        expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    });
    expect(refused).toEqual({ hits: 0, misses: 3, writes: 0, executed: 3, upstream: 0 });
  });
});
