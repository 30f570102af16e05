/**
 * Settled transactions answered from cache (src/reads/settled-transactions.ts): a SUCCESS or
 * FAILED transaction, once read, costs no upstream call for `transaction`, `node` and `nodes`;
 * a page of the list fills the cache with its settled rows; any other status is read from
 * KS Pay every time. Counted on the sandbox, over real HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { payment, paymentAt, settle } from '../support/payment-stages.js';
import { LOOKUP, NODE, NODES } from '../support/documents.js';

const PAGE = '{ transactions(first: 50) { edges { node { id status } } } }';

let stack: Stack;
let succeeded: string;
let failed: string;
let initiated: string;
let processing: string;

beforeAll(async () => {
  stack = await startStack();
  succeeded = await paymentAt(stack, 'SUCCESS', '10.05');
  failed = await paymentAt(stack, 'FAILED');
  initiated = await paymentAt(stack, 'INITIATED');
  processing = await paymentAt(stack, 'PROCESSING');
});
afterAll(() => stack?.close());
beforeEach(() => stack.sandbox.calls.reset());

const lookupCalls = () => stack.sandbox.calls.count('transaction');

describe('a settled transaction', () => {
  it('is read from KS Pay once, then answered by transaction, node and nodes with 0 upstream calls', async () => {
    const first = await stack.gql(LOOKUP, { id: succeeded });
    expect(first.data.transaction).toEqual({ id: succeeded, status: 'SUCCESS', amount: '10.05' });
    expect(lookupCalls()).toBe(1);
    stack.sandbox.calls.reset();

    for (let i = 0; i < 3; i++) expect((await stack.gql(LOOKUP, { id: succeeded })).data.transaction).toEqual(first.data.transaction);
    expect((await stack.gql(NODE, { id: succeeded })).data.node).toEqual({ id: succeeded, status: 'SUCCESS', amount: '10.05' });
    expect((await stack.gql(NODES, { ids: [succeeded, succeeded] })).data.nodes).toEqual([
      { id: succeeded, status: 'SUCCESS' },
      { id: succeeded, status: 'SUCCESS' },
    ]);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('FAILED is final too: one upstream read, then none', async () => {
    await stack.gql(LOOKUP, { id: failed });
    await stack.gql(LOOKUP, { id: failed });
    const again = await stack.gql(NODE, { id: failed });
    expect(again.data.node.status).toBe('FAILED');
    expect(lookupCalls()).toBe(1);
  });
});

describe('a transaction that is not settled', () => {
  it('is read from KS Pay on every lookup: INITIATED and PROCESSING, 1 call each time', async () => {
    for (let i = 1; i <= 3; i++) {
      expect((await stack.gql(LOOKUP, { id: initiated })).data.transaction.status).toBe('INITIATED');
      expect((await stack.gql(NODE, { id: processing })).data.node.status).toBe('PROCESSING');
      expect(lookupCalls()).toBe(2 * i);
    }
  });

  it('is answered in its new status once it settles: never from an earlier read', async () => {
    const { id, checkoutUrl } = await payment(stack, 'PROCESSING');
    stack.sandbox.calls.reset();
    expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('PROCESSING');
    expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('PROCESSING');
    expect(lookupCalls()).toBe(2);
    await settle(checkoutUrl!, 'SUCCESS');
    expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('SUCCESS');
    expect(lookupCalls()).toBe(3);
    expect((await stack.gql(LOOKUP, { id })).data.transaction.status).toBe('SUCCESS');
    expect(lookupCalls()).toBe(3);
  });
});

describe('a page of transactions', () => {
  it('fills the cache with its settled rows: looking them up afterwards costs 0 calls, the open ones 1 each', async () => {
    const settledOnPage = [await paymentAt(stack, 'SUCCESS'), await paymentAt(stack, 'FAILED')];
    stack.sandbox.calls.reset();
    const page = await stack.gql(PAGE);
    const rows: { id: string; status: string }[] = page.data.transactions.edges.map((e: { node: unknown }) => e.node);
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([...settledOnPage, initiated, processing]));
    expect(stack.sandbox.calls.count()).toBe(1);
    stack.sandbox.calls.reset();

    const open = rows.filter((r) => r.status !== 'SUCCESS' && r.status !== 'FAILED');
    const settledRows = rows.filter((r) => r.status === 'SUCCESS' || r.status === 'FAILED');
    const looked = await stack.gql(NODES, { ids: rows.map((r) => r.id) });
    expect(looked.data.nodes).toEqual(rows);
    expect(settledRows.length).toBeGreaterThanOrEqual(4);
    expect(lookupCalls()).toBe(open.length);
    expect(stack.sandbox.calls.count()).toBe(open.length);
  });
});

describe('metrics', () => {
  it('count hits and misses of the settled-transaction cache', async () => {
    await stack.gql(LOOKUP, { id: succeeded });
    await stack.gql(LOOKUP, { id: initiated });
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toMatch(/kspay_gateway_settled_transaction_lookups_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/kspay_gateway_settled_transaction_lookups_total\{result="miss"\} [1-9]/);
  });
});
