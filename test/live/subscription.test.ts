/**
 * Subscription.transactionUpdated over SSE, in one gateway process: the current state
 * first, then every change (from the poll of KS Pay or from the gateway's own
 * verifications), completion after a final status, one poll however many watchers.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { openEventStream, subscribe } from '../support/sse.js';
import { PROCESS } from '../support/documents.js';
import { payment, processedPayment } from '../support/payment-stages.js';

const WATCH = 'subscription Watch($id: ID!) { transactionUpdated(id: $id) { id status providerPaymentId amount currency { code } } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ overrides: { live: { poll: { minIntervalMs: 100, maxIntervalMs: 400 } } } });
});
afterAll(() => stack.close());

describe('transactionUpdated', () => {
  it('streams the current state, then the payment completed on the hosted page, then completes', async () => {
    const { id, checkoutUrl } = await processedPayment(stack, '77.70');
    const stream = subscribe(stack.url, WATCH, { id });
    const first = await stream.next();
    expect(first.data.transactionUpdated).toMatchObject({ id, status: 'PROCESSING', amount: '77.7', currency: { code: 'INR' } });

    await pressCheckout(checkoutUrl, 'pay'); // nothing tells the gateway: its poll must notice
    const second = await stream.next();
    expect(second.data.transactionUpdated).toMatchObject({ id, status: 'SUCCESS' });
    expect(second.data.transactionUpdated.providerPaymentId).toMatch(/^pay_/);
    await stream.completed;
  });

  it('hears processTransaction at once: PROCESSING without waiting for a poll', async () => {
    const slow = await startStack({ sharedSandbox: stack.sandbox, overrides: { live: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } } } });
    try {
      const { id, signature } = await payment(slow, 'INITIATED', '77.70');
      const stream = subscribe(slow.url, WATCH, { id });
      expect((await stream.next()).data.transactionUpdated.status).toBe('INITIATED');
      const polledBefore = stack.sandbox.calls.count('transaction');
      await slow.gql(PROCESS, { input: { signature } });
      expect((await stream.next()).data.transactionUpdated).toMatchObject({ id, status: 'PROCESSING' });
      // Told by the gateway's own write, not found by a poll (the poll waits a minute here).
      expect(stack.sandbox.calls.count('transaction')).toBe(polledBefore);
      stream.close();
    } finally {
      await slow.close();
    }
  });

  it('hears a verification by the gateway at once, without waiting for a poll', async () => {
    const slow = await startStack({ sharedSandbox: stack.sandbox, overrides: { live: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } } } });
    try {
      const { id, checkoutUrl } = await processedPayment(slow, '77.70');
      const stream = subscribe(slow.url, WATCH, { id });
      await stream.next();
      const back = await pressCheckout(checkoutUrl, 'decline');
      await slow.gql('query($id: ID!, $s: String!) { verifyPaymentReturn(kspayId: $id, paymentStatus: $s) { verified } }', {
        id,
        s: back.searchParams.get('payment_status'),
      });
      expect((await stream.next()).data.transactionUpdated.status).toBe('FAILED');
      await stream.completed;
    } finally {
      await slow.close();
    }
  });

  it('completes at once for a transaction that is already final', async () => {
    const { id, checkoutUrl } = await processedPayment(stack, '77.70');
    await pressCheckout(checkoutUrl, 'pay');
    const stream = subscribe(stack.url, WATCH, { id });
    expect((await stream.next()).data.transactionUpdated.status).toBe('SUCCESS');
    await stream.completed;
  });

  it('polls once per transaction however many clients watch it, and stops when they leave', async () => {
    const { id } = await processedPayment(stack, '77.70');
    stack.sandbox.calls.reset();
    const streams = Array.from({ length: 6 }, () => subscribe(stack.url, WATCH, { id }));
    for (const s of streams) await s.next();
    const loads = () => stack.sandbox.calls.count('transaction');
    // Each subscriber is sent the current state, read live (concurrent reads share GETs:
    // src/reads/live-reads.ts); polls may already have begun meanwhile.
    const initial = loads();
    expect(initial).toBeGreaterThanOrEqual(1);
    // Wait (bounded, by condition) until the poll has run three times past the initial reads.
    for (let waited = 0; loads() < initial + 3 && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const polls = loads() - initial;
    expect(polls).toBeGreaterThanOrEqual(3);
    // Six separate pollers would have made six calls in their first tick alone.
    expect(polls).toBeLessThan(6);
    for (const s of streams) s.close();
    // Once every watcher has left, the count stops moving (a poll in flight may still land).
    let stable = false;
    for (let tries = 0; !stable && tries < 20; tries++) {
      const before = loads();
      await new Promise((resolve) => setTimeout(resolve, 600));
      stable = loads() === before;
    }
    expect(stable).toBe(true);
  });

  it('sends keep-alive pings while the stream is open', async () => {
    const { id } = await processedPayment(stack, '77.70');
    const stream = openEventStream(stack.url, WATCH, { id });
    try {
      await vi.waitUntil(() => stream.events.length > 0, { timeout: 10_000, interval: 20 });
      expect(stream.events[0]!.event).toBe('next');
      expect(JSON.parse(stream.events[0]!.data).data.transactionUpdated).toMatchObject({ id, status: 'PROCESSING' });
      // Beyond the one yoga sends as it opens the stream: two more while it stays open (every
      // 300 ms under NODE_ENV=test, 12 s otherwise). The test's timeout bounds the wait.
      const atFirstEvent = stream.pings();
      await vi.waitUntil(() => stream.pings() >= atFirstEvent + 2, { timeout: 20_000, interval: 20 });
      expect(stream.events).toHaveLength(1); // nothing else was sent meanwhile: the pings kept it alive
    } finally {
      stream.close();
    }
  });

  it('answers an unknown transaction with NOT_FOUND and a malformed id with VALIDATION', async () => {
    const unknown = subscribe(stack.url, WATCH, { id: 'tx_Unknown01' });
    expect((await unknown.next()).errors?.[0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const malformed = subscribe(stack.url, WATCH, { id: 'nope' });
    expect((await malformed.next()).errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'id' });
  });

  it('needs the transactions:read scope', async () => {
    const guarded = await startStack({
      sharedSandbox: stack.sandbox,
      env: { GATEWAY_API_KEYS: JSON.stringify({ 'catalog-only-key-0123456': ['catalog:read'], 'reader-key-012345678901': ['transactions:read'] }) },
    });
    try {
      const { id } = await processedPayment(stack, '77.70');
      const denied = subscribe(guarded.url, WATCH, { id }, { authorization: 'Bearer catalog-only-key-0123456' });
      expect((await denied.next()).errors?.[0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
      const allowed = subscribe(guarded.url, WATCH, { id }, { authorization: 'Bearer reader-key-012345678901' });
      expect((await allowed.next()).data.transactionUpdated.id).toBe(id);
      allowed.close();
    } finally {
      await guarded.close();
    }
  });
});
