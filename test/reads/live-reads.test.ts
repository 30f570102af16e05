/**
 * Live lookups shared among concurrent requests, never stale (src/reads/live-reads.ts).
 * A proxy between gateway and sandbox holds the first GET's answer back after the sandbox
 * has answered it, so "a GET in flight" and "what it will answer" are exact, not timing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Gateway } from '../support/stack.js';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { payment, paymentAt } from '../support/payment-stages.js';

const LOOKUP = 'query($id: ID!) { transaction(id: $id) { id status currency { code } paymentMethod { name } } }';
const PAGE = '{ transactions(first: 5) { edges { node { id status } } } }';
const BY_ID = '/transaction/txnId/';

let sandbox: Sandbox;
let proxy: HoldingProxy;
let gateway: Gateway;
beforeAll(async () => {
  sandbox = await startSandbox();
  proxy = await startHoldingProxy(sandbox.url);
  gateway = await startStack({ upstream: { baseUrl: proxy.url, credentials: sandbox.credentials } });
});
afterAll(async () => {
  proxy.release();
  await gateway?.close();
  await proxy?.close();
  await sandbox?.close();
});
afterEach(() => sandbox.faults.reset());

/** Reads that queued for a GET another read caused, by endpoint. */
async function sharedReads(endpoint: 'transaction' | 'transactions'): Promise<number> {
  const metric = await gateway.app.metrics.registry.getSingleMetric('kspay_gateway_shared_live_reads_total')!.get();
  return metric.values.find((v) => v.labels.endpoint === endpoint)?.value ?? 0;
}

/** Sends `count` lookups while the first GET's answer is held: all of them reach the gateway before it is released. */
async function whileHeld<T>(prefix: string, endpoint: 'transaction' | 'transactions', first: () => Promise<T>, more: (() => Promise<T>)[]) {
  const sharedBefore = await sharedReads(endpoint);
  proxy.holdNext(prefix);
  const firstAnswer = first();
  await vi.waitUntil(() => proxy.held() === 1, { timeout: 10_000, interval: 5 });
  const answers = more.map((send) => send());
  await vi.waitUntil(async () => (await sharedReads(endpoint)) - sharedBefore === more.length, { timeout: 10_000, interval: 5 });
  proxy.release();
  return { first: await firstAnswer, more: await Promise.all(answers) };
}

describe('live lookups of one transaction', () => {
  it('N concurrent lookups of one live id cost at most 2 upstream GETs', async () => {
    const id = await paymentAt(gateway, 'PROCESSING');
    sandbox.calls.reset();
    const lookup = () => gateway.gql(LOOKUP, { id });
    const { first, more } = await whileHeld(
      BY_ID,
      'transaction',
      lookup,
      Array.from({ length: 20 }, () => lookup),
    );
    for (const answer of [first, ...more]) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.transaction).toMatchObject({ id, status: 'PROCESSING' });
    }
    expect(sandbox.calls.count('transaction')).toBe(2);
  });

  it('a lookup that starts after a status change answers the new status, never the one in flight', async () => {
    const { id, checkoutUrl } = await payment(gateway, 'PROCESSING');
    sandbox.calls.reset();
    const lookup = () => gateway.gql(LOOKUP, { id });
    // The first GET has been answered PROCESSING (held); then the customer pays; then the second lookup starts.
    proxy.holdNext(BY_ID);
    const sharedBefore = await sharedReads('transaction');
    const before = lookup();
    await vi.waitUntil(() => proxy.held() === 1, { timeout: 10_000, interval: 5 });
    const after = pressCheckout(checkoutUrl!, 'pay').then(lookup);
    await vi.waitUntil(async () => (await sharedReads('transaction')) - sharedBefore === 1, { timeout: 10_000, interval: 5 });
    proxy.release();
    expect((await before).data.transaction.status).toBe('PROCESSING');
    expect((await after).data.transaction.status).toBe('SUCCESS');
    expect(sandbox.calls.count('transaction')).toBe(2);
  });

  it('an upstream error on the shared GET reaches every joined read as the same typed error', async () => {
    const id = await paymentAt(gateway, 'INITIATED');
    sandbox.calls.reset();
    const lookup = () => gateway.gql(LOOKUP, { id });
    const failing = async () => {
      // The GET these share is the second one: make it fail (the held first has already been answered).
      sandbox.faults.set({ forceError: { transaction: { status: 400, code: 1001, message: 'Bad request', times: 1 } } });
      return lookup();
    };
    const { first, more } = await whileHeld(BY_ID, 'transaction', lookup, [failing, lookup, lookup, lookup]);
    expect(first.data.transaction).toMatchObject({ id, status: 'INITIATED' });
    const codes = more.map((answer) => answer.errors?.[0]?.extensions?.code);
    expect(codes[0]).toEqual(expect.any(String));
    expect(new Set(codes)).toEqual(new Set([codes[0]]));
    for (const answer of more) expect(answer.data?.transaction ?? null).toBeNull();
    expect(sandbox.calls.count('transaction')).toBe(2);
  });

  it('does not coalesce distinct ids', async () => {
    const ids = [await paymentAt(gateway, 'INITIATED'), await paymentAt(gateway, 'INITIATED'), await paymentAt(gateway, 'INITIATED')];
    sandbox.calls.reset();
    const sharedBefore = await sharedReads('transaction');
    const answers = await Promise.all(ids.map((id) => gateway.gql(LOOKUP, { id })));
    expect(answers.map((answer) => answer.data.transaction.id)).toEqual(ids);
    expect(sandbox.calls.count('transaction')).toBe(ids.length);
    expect((await sharedReads('transaction')) - sharedBefore).toBe(0);
  });
});

describe('live pages of the list', () => {
  it('N concurrent reads of the same page cost at most 2 upstream GETs', async () => {
    await paymentAt(gateway, 'INITIATED');
    sandbox.calls.reset();
    const page = () => gateway.gql(PAGE);
    const { first, more } = await whileHeld(
      '/transaction?',
      'transactions',
      page,
      Array.from({ length: 10 }, () => page),
    );
    for (const answer of [first, ...more]) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.transactions.edges.length).toBeGreaterThan(0);
    }
    expect(sandbox.calls.count('transactions')).toBe(2);
  });
});
