/**
 * Deliveries are signed by the Standard Webhooks specification: the standard's own library
 * (npm `standardwebhooks`) verifies a real delivery, under each secret of a rotation; the
 * deprecated KSPay-Gateway-Signature header still comes along for one release.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../examples/web/webhook-receiver.js';
import { loadConfig } from '../../src/config.js';
import { startStack, type Stack } from '../support/stack.js';
import { initiate } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type ReceivedRequest, type TestReceiver } from '../support/webhook-receiver.js';

const NEW_SECRET = `whsec_${Buffer.from('the-rotated-in-secret-32-bytes!!').toString('base64')}`;
const OLD_RAW_SECRET = 'a-pre-standard-secret-0123456789';

let stack: Stack;
let receiver: TestReceiver;
let delivery: ReceivedRequest;

beforeAll(async () => {
  receiver = await startReceiver();
  // Mid-rotation: the new secret first, then the two it replaces (one of the old, raw form).
  stack = await startStack({ env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: `${NEW_SECRET}, ${SECRET},${OLD_RAW_SECRET}` }, overrides: { webhooks: FAST } });
  const payment = await initiate(stack);
  delivery = await waitFor('transaction.initiated', () => receiver.delivered().find((r) => r.transactionId === payment.id));
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

const headersOf = (request: ReceivedRequest) => request.headers as Record<string, string>;

describe('Standard Webhooks signatures', () => {
  it('verify with the standard library under every configured secret, the event id as webhook-id', () => {
    const headers = headersOf(delivery);
    expect(headers['webhook-id']).toBe(delivery.eventId);
    expect(headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(3);
    for (const verifier of [new Webhook(NEW_SECRET), new Webhook(SECRET), new Webhook(OLD_RAW_SECRET, { format: 'raw' })]) {
      expect(verifier.verify(delivery.body, headers)).toMatchObject({ id: delivery.eventId, type: 'transaction.initiated' });
    }
  });

  it('do not verify under a secret that is not configured, nor over a changed body', () => {
    const stranger = new Webhook(`whsec_${Buffer.from('a-secret-the-gateway-never-held!').toString('base64')}`);
    expect(() => stranger.verify(delivery.body, headersOf(delivery))).toThrow('No matching signature found');
    expect(() => new Webhook(NEW_SECRET).verify(delivery.body.replace('transaction.initiated', 'transaction.succeeded'), headersOf(delivery))).toThrow(
      'No matching signature found',
    );
  });

  it('still send the deprecated KSPay-Gateway-Signature, one v1 per secret over "<t>.<body>"', () => {
    const headers = headersOf(delivery);
    const timestamp = headers['webhook-timestamp'];
    const expected = [NEW_SECRET, SECRET, OLD_RAW_SECRET].map(
      (secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`,
    );
    expect(headers['kspay-gateway-signature']).toBe(`t=${timestamp},${expected.join(',')}`);
    expect(headers['kspay-gateway-event-id']).toBe(delivery.eventId);
  });
});

describe('the example receiver (examples/web/webhook-receiver.ts)', () => {
  it('accepts real deliveries signed with the secret it holds, mid-rotation, and refuses them under another', async () => {
    const rotated = await startWebhookReceiver({ secrets: [NEW_SECRET] });
    const stranger = await startWebhookReceiver({ secrets: [`whsec_${Buffer.from('a-secret-the-gateway-never-held!').toString('base64')}`] });
    const gateway = await startStack({
      env: { WEBHOOK_URL: `${rotated.url},${stranger.url}`, WEBHOOK_SECRET: `${NEW_SECRET},${SECRET}` },
      overrides: { webhooks: FAST },
    });
    try {
      const payment = await initiate(gateway);
      await waitFor('the rotated receiver to accept the event', () => rotated.seen.size > 0);
      const deliveries = await waitFor('the stranger’s refusal', async () => {
        const [event] = await gateway.app.webhooks.list({ transactionId: payment.id, limit: 1 });
        return event?.deliveries.find((d) => d.lastStatusCode === 400);
      });
      expect(deliveries.lastError).toBe('HTTP 400');
      expect(stranger.seen.size).toBe(0);
    } finally {
      await gateway.close();
      await rotated.close();
      await stranger.close();
    }
  });
});

describe('WEBHOOK_SECRET', () => {
  const base = { WEBHOOK_URL: 'https://shop.example/hooks' };
  it('takes several comma-separated secrets, in order', () => {
    expect(loadConfig({ ...base, WEBHOOK_SECRET: ` ${NEW_SECRET} ,${OLD_RAW_SECRET}` }).webhooks.secrets).toEqual([NEW_SECRET, OLD_RAW_SECRET]);
  });

  it.each([
    ['whsec_not*base64', "WEBHOOK_SECRET: a 'whsec_' secret must be base64 of 24 to 64 bytes after the prefix"],
    [`whsec_${Buffer.from('only-16-bytes!!!').toString('base64')}`, "WEBHOOK_SECRET: a 'whsec_' secret must be base64 of 24 to 64 bytes after the prefix"],
    [`${NEW_SECRET},short`, 'WEBHOOK_SECRET: each secret must be at least 16 characters'],
    [' , ', 'WEBHOOK_SECRET: has no secrets'],
  ])('refuses %s with a one-line error', (value, message) => {
    expect(() => loadConfig({ ...base, WEBHOOK_SECRET: value })).toThrow(message);
  });
});
