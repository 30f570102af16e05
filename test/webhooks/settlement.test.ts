/**
 * A customer pays on KS Pay's checkout page and never comes back: the settlement watcher
 * finds out, and the merchant's endpoint gets transaction.succeeded once, signed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../examples/web/webhook-receiver.js';
import { startStack, type Stack } from '../support/stack.js';
import { payAndLeave } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';
import { VERIFY } from '../support/documents.js';

let stack: Stack;
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({
    env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET },
    overrides: { webhooks: FAST },
    captureLogs: true,
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

describe('the settlement watcher', () => {
  it('tells the receiver of a payment whose customer never came back: transaction.succeeded once, signed', async () => {
    const payment = await payAndLeave(stack);
    const succeeded = await waitFor('transaction.succeeded', () =>
      receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.succeeded'),
    );

    const verified = verifyWebhook(succeeded.body, succeeded.headers, [SECRET]);
    expect(verified).toMatchObject({
      ok: true,
      event: {
        type: 'transaction.succeeded',
        data: { transaction: { id: payment.id, status: 'SUCCESS', amount: '19.99', referenceNumber: payment.reference } },
      },
    });
    await waitFor('the watch to end', async () => (await stack.app.webhooks.watching()) === 0);

    // The customer's late return reads SUCCESS again: no second event for the same change.
    expect((await stack.gql(VERIFY, { kspayId: payment.id, paymentStatus: 'success' })).data.verifyPaymentReturn.verified).toBe(true);
    await stack.app.webhooks.watcher.tick();
    const forThisPayment = () => receiver.requests.filter((r) => r.transactionId === payment.id);
    expect(forThisPayment().filter((r) => r.type === 'transaction.succeeded')).toHaveLength(1);
    // In order, each status once, each under its own stable id.
    const types = forThisPayment().map((r) => r.type);
    expect(types[0]).toBe('transaction.initiated');
    expect(types.at(-1)).toBe('transaction.succeeded');
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(forThisPayment().map((r) => r.eventId)).size).toBe(types.length);
  });

  it('tells of a declined payment as transaction.failed, and stops polling a final transaction', async () => {
    const payment = await payAndLeave(stack, 'decline');
    await waitFor('transaction.failed', () => receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.failed'));
    await waitFor('the watch to end', async () => (await stack.app.webhooks.watching()) === 0);
    const polls = stack.sandbox.calls.count('transaction');
    await stack.app.webhooks.watcher.tick(Date.now() + 3_600_000);
    expect(stack.sandbox.calls.count('transaction')).toBe(polls);
  });

  it('sends nothing a forged, stale or re-signed request could pass for', async () => {
    const genuine = receiver.delivered()[0];
    expect(verifyWebhook(genuine!.body, genuine!.headers, [SECRET]).ok).toBe(true);
    const tampered = genuine!.body.replace('19.99', '0.01');
    expect(verifyWebhook(tampered, genuine!.headers, [SECRET])).toEqual({ ok: false, reason: 'No matching signature found' });
    const otherSecret = `whsec_${Buffer.from('another-secret-of-32-bytes-long!').toString('base64')}`;
    expect(verifyWebhook(genuine!.body, genuine!.headers, [otherSecret])).toEqual({ ok: false, reason: 'No matching signature found' });
    expect(verifyWebhook(genuine!.body, { ...genuine!.headers, 'webhook-id': 'evt_other' }, [SECRET]).ok).toBe(false);
    const stale = { ...genuine!.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 301) };
    expect(verifyWebhook(genuine!.body, stale, [SECRET])).toEqual({ ok: false, reason: 'Message timestamp too old' });
    expect(verifyWebhook(genuine!.body, {}, [SECRET])).toEqual({ ok: false, reason: 'Missing required headers' });
  });

  it('never writes the webhook secret to a log line or an event', async () => {
    const lines = stack.logs();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(SECRET);
    for (const request of receiver.requests) {
      expect(request.body).not.toContain(SECRET);
      expect(request.body).not.toContain('signature');
    }
  });
});
