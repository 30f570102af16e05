/**
 * Subscription.transactionUpdated over SSE, in one gateway process: the current state
 * first, then every change (from the poll of KS Pay or from the gateway's own
 * verifications), completion after a final status, one poll however many watchers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReference, pressCheckout, startStack, type Stack } from './harness.js';
import { subscribe } from './sse.js';

const WATCH = 'subscription Watch($id: ID!) { transactionUpdated(id: $id) { id status providerPaymentId amount currency { code } } }';

const POLL = { minIntervalMs: 100, maxIntervalMs: 400 };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ overrides: { poll: POLL } });
});

/** Waits until a condition holds; the test's timeout bounds the wait, not a clock. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Waits until `count` stops changing for `quietMs`: how a test sees that something has
 * stopped. Never returns while it keeps changing, so a poll that does not stop fails the
 * test by its timeout; a slow machine only makes the wait longer.
 */
async function untilQuiet(count: () => number, quietMs: number): Promise<void> {
  for (;;) {
    const before = count();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if (count() === before) return;
  }
}
afterAll(() => stack.close());

/** A processed (PROCESSING) transaction and its hosted checkout page. */
async function processedPayment(target: Stack = stack) {
  const { data } = await target.gql('{ currencies { id code paymentMethods { id } } }');
  const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
  const initiated = await target.gql(
    'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { ... on InitiateTransactionSuccess { signature transaction { id } } } }',
    { input: { currencyId: inr.id, paymentMethodId: inr.paymentMethods[0].id, amount: '77.70', referenceNumber: newReference('sub'), redirectUrl: 'https://shop.example/r' } },
  );
  const { signature, transaction } = initiated.data.initiateTransaction;
  const processed = await target.gql('mutation($s: String!) { processTransaction(input: { signature: $s }) { ... on ProcessTransactionSuccess { checkoutUrl } } }', { s: signature });
  return { id: transaction.id as string, checkoutUrl: processed.data.processTransaction.checkoutUrl as string };
}

describe('transactionUpdated', () => {
  it('streams the current state, then the payment completed on the hosted page, then completes', async () => {
    const { id, checkoutUrl } = await processedPayment();
    const stream = subscribe(stack.url, WATCH, { id });
    const first = await stream.next();
    expect(first.data.transactionUpdated).toMatchObject({ id, status: 'PROCESSING', amount: '77.7', currency: { code: 'INR' } });

    await pressCheckout(checkoutUrl, 'pay'); // nothing tells the gateway: its poll must notice
    const second = await stream.next();
    expect(second.data.transactionUpdated).toMatchObject({ id, status: 'SUCCESS' });
    expect(second.data.transactionUpdated.providerPaymentId).toMatch(/^pay_/);
    await stream.completed;
  });

  it('hears a verification by the gateway at once, without waiting for a poll', async () => {
    const slow = await startStack({ sharedSandbox: stack.sandbox, overrides: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } } });
    try {
      const { id, checkoutUrl } = await processedPayment(slow);
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
    const { id, checkoutUrl } = await processedPayment();
    await pressCheckout(checkoutUrl, 'pay');
    const stream = subscribe(stack.url, WATCH, { id });
    expect((await stream.next()).data.transactionUpdated.status).toBe('SUCCESS');
    await stream.completed;
  });

  it('polls once per transaction however many clients watch it, and stops when they leave', async () => {
    const { id } = await processedPayment();
    stack.sandbox.calls.reset();
    const since = performance.now();
    const streams = Array.from({ length: 6 }, () => subscribe(stack.url, WATCH, { id }));
    for (const s of streams) await s.next();
    // Each subscriber's current state costs one load (the poll may start before the last
    // of them); every other call is a poll.
    const polls = () => stack.sandbox.calls.count('transaction') - streams.length;
    await until(() => polls() >= 3);
    // One poll loop waits at least minIntervalMs before each poll, so it cannot have polled
    // more often than this; six loops would have polled about six times as often. A slow
    // machine only loosens the bound.
    expect(polls()).toBeLessThanOrEqual((performance.now() - since) / POLL.minIntervalMs);

    for (const s of streams) s.close();
    // A loop still running would poll at least once in every maxIntervalMs.
    await untilQuiet(() => stack.sandbox.calls.count('transaction'), 3 * POLL.maxIntervalMs);
  });

  it('sends keep-alive pings while the stream is open', async () => {
    const { id } = await processedPayment();
    const stream = subscribe(stack.url, WATCH, { id });
    await stream.next();
    // yoga pings every 300 ms under NODE_ENV=test (12 s otherwise); the test's timeout bounds the wait.
    await until(() => stream.pings() >= 2);
    stream.close();
  });

  it('answers an unknown transaction with NOT_FOUND and a malformed id with VALIDATION', async () => {
    const unknown = subscribe(stack.url, WATCH, { id: 'tx_Unknown01' });
    expect((await unknown.next()).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const malformed = subscribe(stack.url, WATCH, { id: 'nope' });
    expect((await malformed.next()).errors?.[0].extensions).toMatchObject({ code: 'VALIDATION', field: 'id' });
  });

  it('needs the transactions:read scope', async () => {
    const guarded = await startStack({
      sharedSandbox: stack.sandbox,
      env: { GATEWAY_API_KEYS: JSON.stringify({ 'catalog-only-key-0123456': ['catalog:read'], 'reader-key-012345678901': ['transactions:read'] }) },
    });
    try {
      const { id } = await processedPayment();
      const denied = subscribe(guarded.url, WATCH, { id }, { authorization: 'Bearer catalog-only-key-0123456' });
      expect((await denied.next()).errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      const allowed = subscribe(guarded.url, WATCH, { id }, { authorization: 'Bearer reader-key-012345678901' });
      expect((await allowed.next()).data.transactionUpdated.id).toBe(id);
      allowed.close();
    } finally {
      await guarded.close();
    }
  });
});
