/**
 * One API key may hold at most MAX_SUBSCRIPTIONS_PER_KEY open subscription streams (each
 * is a poll of KS Pay). Beyond it: RATE_LIMITED, with no upstream call. A place is given
 * back when a stream ends, however it ends, and a transaction that is already final holds
 * none. Over SSE in production mode.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { subscribe, type SseSubscription } from '../support/sse.js';
import { WATCH } from '../support/documents.js';
import { processedPayment } from '../support/payment-stages.js';

const CAP = 3;
const KEY_A = 'subscriber-key-a-0123456789';
const KEY_B = 'subscriber-key-b-0123456789';
// Polls far apart: the streams here end by their own events, never by a poll's timing.
const QUIET_POLL = { live: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } } };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      GATEWAY_API_KEYS: JSON.stringify({ [KEY_A]: ['*'], [KEY_B]: ['*'] }),
      INTROSPECTION: 'false',
      GRAPHIQL: 'false',
      MAX_SUBSCRIPTIONS_PER_KEY: String(CAP),
    },
    headers: { authorization: `Bearer ${KEY_A}` },
    overrides: QUIET_POLL,
  });
});
afterAll(() => stack.close());

const as = (key: string) => ({ authorization: `Bearer ${key}` });

/** Opens a stream and waits for its first event: the transaction, or an error. */
async function open(id: string, key = KEY_A, target: Stack = stack) {
  const stream = subscribe(target.url, WATCH, { id }, as(key));
  const first = await stream.next();
  return { stream, first };
}

async function openAccepted(id: string, key = KEY_A, target: Stack = stack): Promise<SseSubscription> {
  const { stream, first } = await open(id, key, target);
  expect(first.errors).toBeUndefined();
  expect(first.data.transactionUpdated.id).toBe(id);
  return stream;
}

async function expectRefused(id: string, key = KEY_A, target: Stack = stack) {
  const before = target.sandbox.calls.count();
  const { stream, first } = await open(id, key, target);
  expect(first.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: CAP } });
  expect(first.errors?.[0]!.message).toMatch(/close one/);
  expect(target.sandbox.calls.count()).toBe(before);
  await stream.completed;
}

/** A slot freed by a disconnect comes back once the server notices the closed connection. */
async function eventuallyAccepted(id: string): Promise<SseSubscription> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { stream, first } = await open(id);
    if (first.data) return stream;
    expect(first.errors?.[0]!.extensions?.code).toBe('RATE_LIMITED');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the slot was never released');
}

describe('a key hoarding subscriptions: MAX_SUBSCRIPTIONS_PER_KEY', () => {
  it('refuses the stream beyond the cap without an upstream call, per key; a closed stream gives its place back', async () => {
    const { id } = await processedPayment(stack, '12.50');
    const held = [await openAccepted(id), await openAccepted(id), await openAccepted(id)];
    await expectRefused(id);

    // Another key has its own allowance.
    const other = await openAccepted(id, KEY_B);
    other.close();

    held.shift()!.close();
    held.push(await eventuallyAccepted(id));
    await expectRefused(id);
    for (const stream of held) stream.close();
    await eventuallyAccepted(id).then((s) => s.close());
  });

  it('gives the place back when the client leaves before its stream has started', async () => {
    const { id } = await processedPayment(stack, '12.50');
    const held = [await openAccepted(id), await openAccepted(id)];
    stack.sandbox.faults.set({ latencyMs: 500 });
    const before = stack.sandbox.calls.count('transaction');
    const leaving = subscribe(stack.url, WATCH, { id }, as(KEY_A));
    await vi.waitUntil(() => stack.sandbox.calls.count('transaction') > before, { timeout: 5_000, interval: 10 }); // its first read is under way
    leaving.close();
    stack.sandbox.faults.reset();

    held.push(await eventuallyAccepted(id));
    await expectRefused(id);
    for (const stream of held) stream.close();
  });

  it('gives the places back when the transaction reaches a final status', async () => {
    const { id, checkoutUrl } = await processedPayment(stack, '12.50');
    const held = [await openAccepted(id), await openAccepted(id), await openAccepted(id)];
    await expectRefused(id);

    const back = await pressCheckout(checkoutUrl, 'pay');
    // The verification publishes the new status to every watcher at once.
    await stack.gql('query($id: ID!, $s: String!) { verifyPaymentReturn(kspayId: $id, paymentStatus: $s) { verified } }', {
      id,
      s: back.searchParams.get('payment_status'),
    });
    for (const stream of held) {
      expect((await stream.next()).data.transactionUpdated.status).toBe('SUCCESS');
      await stream.completed;
    }

    const next = await processedPayment(stack, '12.50');
    const again = [await openAccepted(next.id), await openAccepted(next.id), await openAccepted(next.id)];
    for (const stream of again) stream.close();
  });

  it('holds no place for a transaction that is already final, nor for a refused one', async () => {
    const { id, checkoutUrl } = await processedPayment(stack, '12.50');
    await pressCheckout(checkoutUrl, 'pay');
    const live = await processedPayment(stack, '12.50');
    const held = [await openAccepted(live.id), await openAccepted(live.id)];

    for (let i = 0; i < CAP + 2; i += 1) {
      const { stream, first } = await open(id);
      expect(first.data.transactionUpdated.status).toBe('SUCCESS');
      await stream.completed;
    }
    for (let i = 0; i < CAP + 2; i += 1) {
      const { first } = await open('tx_Unknown01');
      expect(first.errors?.[0]!.extensions?.code).toBe('NOT_FOUND');
    }

    held.push(await openAccepted(live.id));
    await expectRefused(live.id);
    for (const stream of held) stream.close();
    await eventuallyAccepted(live.id).then((s) => s.close());
  });

  it('is one shared allowance when client auth is off', async () => {
    const open_ = await startStack({ sharedSandbox: stack.sandbox, env: { MAX_SUBSCRIPTIONS_PER_KEY: '2' }, overrides: QUIET_POLL });
    try {
      const { id } = await processedPayment(open_, '12.50');
      const held = [await openAccepted(id, KEY_A, open_), await openAccepted(id, KEY_B, open_)];
      const { first } = await open(id, KEY_A, open_);
      expect(first.errors?.[0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 2 });
      for (const stream of held) stream.close();
    } finally {
      await open_.close();
    }
  });

  it('is off by default (subscriptions are limited per address instead) and must be a positive whole number', () => {
    expect(loadConfig({}).live.subscriptions.perKey).toBeNull(); // per key only when set (issue 26): per address by default
    expect(() => loadConfig({ MAX_SUBSCRIPTIONS_PER_KEY: '0' })).toThrow(/MAX_SUBSCRIPTIONS_PER_KEY/);
  });
});
