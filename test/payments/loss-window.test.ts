/**
 * The look-up window after a data loss, on the in-process store with a scripted KS Pay:
 * how long it stays open, that one shared index (one scan, then only its tail) answers
 * every look-up, single-flight per reference, and what each look-up outcome leads to.
 * Also the bounded wait behind another caller's claim (nextStep's `busy`).
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { UpstreamUnavailableError } from '../../src/errors/gateway-errors.js';
import type { KsPayClient } from '../../src/kspay/client.js';
import { KsPayError } from '../../src/kspay/kspay-error.js';
import { Decimal } from '../../src/kspay/money.js';
import type { InitiatedTransaction, Transaction, TransactionList, TransactionListArgs } from '../../src/kspay/models.js';
import { CLAIM_WAIT_MS, fingerprintOf, nextStep, KEYLESS_OWNER, type IdempotencyRecord } from '../../src/payments/idempotency.js';
import { LossLookup, LossWindow } from '../../src/payments/loss-window.js';
import { PaymentService } from '../../src/payments/payment-service.js';
import { ReferenceIndex } from '../../src/payments/reference-index.js';
import { MemoryIdempotencyStore } from '../../src/stores/memory.js';
import { upstreamTimings } from '../../src/config/upstream-timings.js';

const TTL = 86_400_000;

describe('the loss window', () => {
  it('is closed until a loss, then reaches back a TTL before it and lasts a TTL after the last one', () => {
    const window = new LossWindow(TTL);
    expect(window.lookUpFrom(1_000)).toBeNull();
    window.open(10_000);
    expect(window.lookUpFrom(10_000)).toBe(10_000 - TTL);
    expect(window.lookUpFrom(10_000 + TTL - 1)).toBe(10_000 - TTL);
    window.open(20_000); // a second loss extends it; look-ups still reach back from the first
    expect(window.lookUpFrom(10_000 + TTL)).toBe(10_000 - TTL);
    expect(window.lookUpFrom(20_000 + TTL)).toBeNull();
  });
});

/** KS Pay over `upstream`: its list (counting calls, failing the first `failures`) and initiates (counted, added to the list). */
function listClient(upstream: Transaction[], options: { failures?: number } = {}) {
  const calls: TransactionListArgs[] = [];
  let failures = options.failures ?? 0;
  let sends = 0;
  const client = {
    appId: 'ap_Unit00001',
    async transactions(args: TransactionListArgs): Promise<TransactionList> {
      calls.push(args);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failures > 0) {
        failures -= 1;
        throw new KsPayError('down', { endpoint: 'transactions', reason: 'network', outcomeUnknown: false });
      }
      const page = args.page ?? 1;
      const limit = args.limit ?? 100;
      const from = args.fromDate ? Date.parse(args.fromDate) : -Infinity;
      const listed = upstream.filter((t) => t.createdAt === null || Date.parse(t.createdAt) >= from);
      return { items: listed.slice((page - 1) * limit, page * limit), page, limit, total: listed.length };
    },
    async initiateTransaction(args: { referenceNumber: string; amount: Decimal }): Promise<InitiatedTransaction> {
      sends += 1;
      const id = `tx_Sent${String(sends).padStart(5, '0')}`;
      upstream.unshift(transaction(args.referenceNumber, id));
      return { signature: `sig-${id}`, transactionId: id, providerOrderId: null, amount: args.amount, currencyCode: 'INR' };
    },
  };
  return { client: client as unknown as KsPayClient, calls, sends: () => sends };
}

function transaction(referenceNumber: string, id = `tx_${referenceNumber}`, createdAt: string | null = null): Transaction {
  return { id, referenceNumber, status: 'INITIATED', signature: null, createdAt } as unknown as Transaction;
}

describe('the reference index', () => {
  const upstream = Array.from({ length: 250 }, (_, i) => transaction(`old-${i}`));

  it('scans the window once for any number of concurrent look-ups, then refreshes only its tail', async () => {
    const { client, calls } = listClient(upstream);
    const index = new ReferenceIndex({ client, overlapMs: 1_000 });
    const claimedAt = Date.now();
    const found = await Promise.all(Array.from({ length: 20 }, (_, i) => index.find(`old-${i * 10}`, claimedAt - TTL, claimedAt)));
    expect(found.map((t) => t?.id)).toEqual(Array.from({ length: 20 }, (_, i) => `tx_old-${i * 10}`));
    expect(calls).toHaveLength(3); // 250 transactions, 100 a page: one scan for all twenty
    expect(await index.find('old-1', claimedAt - TTL, claimedAt)).toMatchObject({ id: 'tx_old-1' });
    expect(calls).toHaveLength(3); // covered already

    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = Date.now();
    expect(await index.find('never-used', claimedAt - TTL, later)).toBeNull();
    expect(calls.length).toBeGreaterThan(3);
    // The tail refresh starts just before the last scan's end, not at the window's start.
    expect(Date.parse(calls[3]!.fromDate!)).toBeGreaterThan(claimedAt - TTL);
  });

  it('fails every waiting look-up when KS Pay cannot answer, and scans again for the next', async () => {
    const { client, calls } = listClient(upstream, { failures: 1 });
    const index = new ReferenceIndex({ client });
    const now = Date.now();
    const failed = await Promise.allSettled(Array.from({ length: 5 }, () => index.find('old-3', now - TTL, now)));
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    expect(calls).toHaveLength(1);
    expect(await index.find('old-3', now - TTL, now)).toMatchObject({ id: 'tx_old-3' });
  });
});

/** A payment service on the in-process store, with a loss detected just before (its quiet period over). */
function afterLoss(upstream: Transaction[], options: { failures?: number } = {}) {
  const kspay = listClient(upstream, options);
  const window = new LossWindow(TTL);
  const lookup = new LossLookup({ window, index: new ReferenceIndex({ client: kspay.client }), quietMs: 0 });
  lookup.lost(Date.now() - 1);
  const store = new MemoryIdempotencyStore();
  const payments = new PaymentService({
    client: kspay.client,
    store,
    ttlMs: TTL,
    timings: upstreamTimings(100),
    redirectHosts: null,
    logger: pino({ level: 'silent' }),
    lossLookup: lookup,
  });
  return { ...kspay, payments, store };
}

const args = (referenceNumber: string) => ({
  currencyId: 'c_DemoINR001',
  paymentMethodId: 'pm_InrNetBnk',
  amount: Decimal.parse('10')!,
  referenceNumber,
  redirectUrl: 'https://shop.example/r',
});

describe('an initiate while the window is open', () => {
  it('adopts what KS Pay already has for a forgotten reference: SIGNATURE_INVALID LOST, never a second send', async () => {
    const { payments, sends } = afterLoss([transaction('forgotten')]);
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => payments.initiate(args('forgotten'), { clientId: null })));
    expect(answers.every((a) => a.status === 'rejected' && (a.reason as { reason?: string }).reason === 'LOST')).toBe(true);
    expect(sends()).toBe(0);
  });

  it('sends a reference KS Pay does not have, once for concurrent callers', async () => {
    const { payments, sends } = afterLoss([transaction('other')]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => payments.initiate(args('new-one'), { clientId: null })));
    expect(new Set(answers.map((a) => a.transaction.id)).size).toBe(1);
    expect(sends()).toBe(1);
  });

  it('has the taker of a lapsed claim made after the loss look over the whole window too', async () => {
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const { payments, sends, store } = afterLoss([transaction('forgotten', 'tx_forgotten', anHourAgo)]);
    const key = `ap_Unit00001|forgotten`;
    const fingerprint = fingerprintOf({ currencyId: 'c_DemoINR001', paymentMethodId: 'pm_InrNetBnk', amount: '10', redirectUrl: 'https://shop.example/r' });
    const died = Date.now() - 10_000; // its holder died before looking, long past its lease
    await store.create(
      key,
      { state: 'claimed', version: 1, owner: KEYLESS_OWNER, fingerprint, createdAt: died, claimedAt: died, abandonedAt: null, lookUpFrom: died - TTL },
      TTL,
    );
    await expect(payments.initiate(args('forgotten'), { clientId: null })).rejects.toMatchObject({ reason: 'LOST' });
    expect(sends()).toBe(0);
  });

  it('sends nothing when KS Pay cannot answer the look-up (retryable), and looks again on the retry', async () => {
    const { payments, sends, calls } = afterLoss([], { failures: 1 });
    const refused = await payments.initiate(args('unsure'), { clientId: null }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamUnavailableError);
    expect(refused).toMatchObject({ retryable: true });
    expect(sends()).toBe(0);
    await payments.initiate(args('unsure'), { clientId: null });
    expect(calls).toHaveLength(2);
    expect(sends()).toBe(1);
  });
});

describe('the look-ups of one loss', () => {
  it('read the list once: past the quiet period and the clocks margin, a look-up makes no KS Pay call', async () => {
    const { client, calls } = listClient([transaction('forgotten')]);
    const lookup = new LossLookup({ window: new LossWindow(TTL), index: new ReferenceIndex({ client }), quietMs: 0 });
    lookup.lost(Date.now() - 61_000);
    const from = lookup.lookUpFrom(Date.now())!;
    expect(await lookup.find('forgotten', from, Date.now())).toMatchObject({ id: 'tx_forgotten' });
    for (let i = 0; i < 10; i++) expect(await lookup.find(`new-${i}`, from, Date.now())).toBeNull();
    expect(calls).toHaveLength(1);
  });
});

describe('waiting behind a live claim', () => {
  const caller = { owner: 'a', fingerprint: 'f' };
  const claimed: IdempotencyRecord = { version: 1, owner: 'a', fingerprint: 'f', createdAt: 0, state: 'claimed', claimedAt: 1_000, abandonedAt: null };
  const leaseMs = 30_000;

  it('waits up to CLAIM_WAIT_MS, then is busy until the lease ends', () => {
    expect(nextStep(claimed, caller, 1_100, leaseMs, { waitingSince: 1_100 })).toEqual({ kind: 'wait', untilMs: 31_000 });
    const now = 1_100 + CLAIM_WAIT_MS;
    expect(nextStep(claimed, caller, now, leaseMs, { waitingSince: 1_100 })).toEqual({ kind: 'busy', retryAfterMs: 31_000 - now });
    expect(nextStep(claimed, caller, 31_000, leaseMs, { waitingSince: 1_100 }).kind).toBe('take-over');
  });

  it('claims a free reference with a look-up first while a loss window is open', () => {
    expect(nextStep(null, caller, 5, leaseMs, { lookUpFrom: -TTL })).toEqual({ kind: 'claim', lookUpFrom: -TTL });
    expect(nextStep(null, caller, 5, leaseMs, { lookUpFrom: null })).toEqual({ kind: 'claim' });
  });
});
