/**
 * No initiate holds its client for a whole quiet period plus a look-up: when they would
 * end past the hold budget (about 25 s), it answers at once, retryable, with
 * `retryAfterMs` the quiet period's end, sends and looks up nothing, and leaves the
 * reference for the next call. (The issue saw a take-over hold ~34 s, past a 30 s client timeout.)
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../src/errors/gateway-errors.js';
import type { KsPayClient } from '../../src/kspay/client.js';
import { Decimal } from '../../src/kspay/money.js';
import { fingerprintOf, KEYLESS_OWNER } from '../../src/payments/idempotency.js';
import { PaymentService } from '../../src/payments/payment-service.js';
import { MemoryIdempotencyStore } from '../../src/stores/memory.js';
import { upstreamTimings } from '../../src/config/upstream-timings.js';

describe('the hold budget', () => {
  it('answers an unknown reference whose quiet period is long at once, with retryAfterMs, and no upstream call', async () => {
    let upstreamCalls = 0;
    const client = {
      appId: 'ap_Unit00001',
      transactions: async () => (upstreamCalls++, { items: [], page: null, limit: null, total: 0 }),
      initiateTransaction: async () => {
        upstreamCalls++;
        throw new Error('not expected');
      },
    } as unknown as KsPayClient;
    const store = new MemoryIdempotencyStore();
    const upstreamTimeoutMs = 20_000;
    const payments = new PaymentService({
      client,
      store,
      ttlMs: 86_400_000,
      timings: upstreamTimings(upstreamTimeoutMs),
      redirectHosts: null,
      logger: pino({ level: 'silent' }),
    });
    const fingerprint = fingerprintOf({ currencyId: 'c_DemoINR001', paymentMethodId: 'pm_InrNetBnk', amount: '10', redirectUrl: 'https://shop.example/r' });
    const now = Date.now();
    // An instance's send went unanswered just now and it gave up: a quiet period of 20 s follows.
    await store.create('ap_Unit00001|quiet', { state: 'unknown', version: 1, owner: KEYLESS_OWNER, fingerprint, createdAt: now, abandonedAt: now }, 86_400_000);

    const args = {
      currencyId: 'c_DemoINR001',
      paymentMethodId: 'pm_InrNetBnk',
      amount: Decimal.parse('10')!,
      referenceNumber: 'quiet',
      redirectUrl: 'https://shop.example/r',
    };
    const answer = await payments.initiate(args, { clientId: null }).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(UpstreamUnavailableError);
    expect(answer).toMatchObject({ retryable: true });
    const { retryAfterMs } = answer as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(upstreamTimeoutMs);
    expect(upstreamCalls).toBe(0);
    // The next call picks the reference up where it was: unknown, from the same unanswered send.
    expect(await store.get('ap_Unit00001|quiet')).toMatchObject({ state: 'unknown', abandonedAt: now });
    store.close();
  });
});
