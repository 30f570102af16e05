/**
 * The idempotency state machine (src/payments/idempotency.ts) and the payment service
 * walking it, against the in-process store and a scripted KS Pay client: no HTTP, no
 * clock luck (the quiet period is 1 ms).
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { IdempotencyConflictError, UpstreamUnavailableError } from '../../src/errors/gateway-errors.js';
import type { KsPayClient } from '../../src/kspay/client.js';
import { KsPayError } from '../../src/kspay/kspay-error.js';
import { Decimal } from '../../src/kspay/money.js';
import type { InitiatedTransaction, Transaction, TransactionList } from '../../src/kspay/models.js';
import { nextStep, transition, TRANSITIONS, type IdempotencyRecord } from '../../src/payments/idempotency.js';
import { PaymentService } from '../../src/payments/payment-service.js';
import { MemoryIdempotencyStore } from '../../src/stores/memory.js';
import { upstreamTimings } from '../../src/config/upstream-timings.js';

const base = { version: 1, owner: 'a', fingerprint: 'f', createdAt: 0 };

describe('the transition table', () => {
  it('allows exactly the listed transitions', () => {
    for (const [from, events] of Object.entries(TRANSITIONS)) {
      for (const [event, to] of Object.entries(events)) expect(transition(from as never, event as never)).toBe(to);
    }
    expect(() => transition('succeeded', 'claim')).toThrow(/no transition claim from succeeded/);
    expect(() => transition('unknown', 'answered')).toThrow();
    expect(() => transition('none', 'takeOver')).toThrow();
  });

  it('settled states are final', () => {
    expect(TRANSITIONS.succeeded).toEqual({});
    expect(TRANSITIONS.rejected).toEqual({});
  });
});

describe('nextStep', () => {
  const caller = { owner: 'a', fingerprint: 'f' };
  const claimed: IdempotencyRecord = { ...base, state: 'claimed', claimedAt: 1_000, abandonedAt: null };

  it('claims a free reference', () => expect(nextStep(null, caller, 0, 100)).toEqual({ kind: 'claim' }));
  it('refuses another owner or other input, whatever the state', () => {
    expect(nextStep(claimed, { ...caller, owner: 'b' }, 0, 100).kind).toBe('conflict');
    expect(nextStep(claimed, { ...caller, fingerprint: 'g' }, 0, 100).kind).toBe('conflict');
  });
  it('waits for a live claim, and takes over a lapsed one as unanswered at its lease end', () => {
    expect(nextStep(claimed, caller, 1_050, 100)).toEqual({ kind: 'wait', untilMs: 1_100 });
    expect(nextStep(claimed, caller, 1_100, 100)).toEqual({ kind: 'take-over', record: claimed, abandonedAt: 1_100 });
  });
  it('takes over an unknown reference from when its send was abandoned', () => {
    const unknown: IdempotencyRecord = { ...base, state: 'unknown', abandonedAt: 42 };
    expect(nextStep(unknown, caller, 5_000, 100)).toEqual({ kind: 'take-over', record: unknown, abandonedAt: 42 });
  });
  it('replays a settled reference', () => {
    const rejected: IdempotencyRecord = { ...base, state: 'rejected', error: { type: 'UpstreamRejectedError', message: 'no', fields: {} } };
    expect(nextStep(rejected, caller, 0, 100)).toEqual({ kind: 'replay', record: rejected });
  });
});

describe('the in-process store compares and sets by version', () => {
  it('creates only a free key, replaces only the next version, removes only the held version', async () => {
    const store = new MemoryIdempotencyStore();
    const claim: IdempotencyRecord = { ...base, state: 'claimed', claimedAt: 0, abandonedAt: null };
    expect(await store.create('k', claim, 60_000)).toBe(true);
    expect(await store.create('k', claim, 60_000)).toBe(false);
    expect(await store.replace('k', { ...claim, version: 3 }, 60_000)).toBe(false);
    expect(await store.replace('k', { ...claim, version: 2 }, 60_000)).toBe(true);
    expect(await store.replace('k', { ...claim, version: 2 }, 60_000)).toBe(false);
    expect(await store.remove('k', 1)).toBe(false);
    expect(await store.remove('k', 2)).toBe(true);
    expect(await store.get('k')).toBeNull();
    store.close();
  });
});

/** A KS Pay client that answers initiates as scripted and keeps what was created. */
function scriptedClient(script: Array<'ok' | 'lost-after-commit' | 'no-answer' | 'rate-limited'>) {
  const created: Transaction[] = [];
  let sends = 0;
  let lookups = 0;
  const client = {
    appId: 'ap_Unit00001',
    async initiateTransaction(args: { referenceNumber: string; amount: Decimal }): Promise<InitiatedTransaction> {
      const step = script[sends++] ?? 'ok';
      const transaction = {
        id: `tx_Unit${String(sends).padStart(5, '0')}`,
        referenceNumber: args.referenceNumber,
        amount: args.amount,
        status: 'INITIATED',
        signature: null,
      } as unknown as Transaction;
      if (step === 'rate-limited') throw new KsPayError('429', { endpoint: 'initiate', reason: 'rate-limited', httpStatus: 429 });
      if (step === 'no-answer') throw new KsPayError('timeout', { endpoint: 'initiate', reason: 'timeout', outcomeUnknown: true });
      created.push(transaction);
      if (step === 'lost-after-commit') throw new KsPayError('reset', { endpoint: 'initiate', reason: 'network', outcomeUnknown: true });
      return { signature: `sig-${transaction.id}`, transactionId: transaction.id, providerOrderId: null, amount: args.amount, currencyCode: 'INR' };
    },
    async transactions(): Promise<TransactionList> {
      lookups += 1;
      return { items: created.map((t) => ({ ...t, signature: `sig-${t.id}` })), page: null, limit: null, total: created.length };
    },
  };
  return { client: client as unknown as KsPayClient, created, sends: () => sends, lookups: () => lookups };
}

function service(client: KsPayClient) {
  return new PaymentService({
    client,
    store: new MemoryIdempotencyStore(),
    ttlMs: 60_000,
    timings: upstreamTimings(1),
    redirectHosts: null,
    logger: pino({ level: 'silent' }),
  });
}

const args = (referenceNumber: string) => ({
  currencyId: 'c_DemoINR001',
  paymentMethodId: 'pm_InrNetBnk',
  amount: Decimal.parse('10')!,
  referenceNumber,
  redirectUrl: 'https://shop.example/r',
});

describe('the payment service walking the machine', () => {
  it('sends once for 20 concurrent callers and gives them one answer', async () => {
    const upstream = scriptedClient(['ok']);
    const payments = service(upstream.client);
    const answers = await Promise.all(Array.from({ length: 20 }, () => payments.initiate(args('r1'), { clientId: 'a' })));
    expect(new Set(answers.map((a) => a.transaction.id)).size).toBe(1);
    expect(upstream.sends()).toBe(1);
  });

  it('adopts a transaction whose answer was lost, found by the look-up: never a second send', async () => {
    const upstream = scriptedClient(['lost-after-commit']);
    const answer = await service(upstream.client).initiate(args('r2'), { clientId: 'a' });
    expect(answer.transaction.id).toBe(upstream.created[0]!.id);
    expect(upstream.sends()).toBe(1);
    expect(upstream.lookups()).toBe(1);
  });

  it('looks up before sending again, and gives up retryable after two unanswered sends; the next call resolves it', async () => {
    const upstream = scriptedClient(['no-answer', 'no-answer', 'ok']);
    const payments = service(upstream.client);
    const first = await payments.initiate(args('r3'), { clientId: 'a' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(UpstreamUnavailableError);
    expect(first).toMatchObject({ retryable: true });
    expect([upstream.sends(), upstream.lookups()]).toEqual([2, 1]);
    const later = await payments.initiate(args('r3'), { clientId: 'a' });
    expect([upstream.sends(), upstream.lookups()]).toEqual([3, 2]);
    expect(upstream.created).toHaveLength(1);
    expect(await payments.initiate(args('r3'), { clientId: 'a' })).toEqual(later);
    expect(upstream.sends()).toBe(3);
  });

  it('frees the reference when KS Pay certainly did nothing, and keeps it for its owner only', async () => {
    const upstream = scriptedClient(['rate-limited', 'ok']);
    const payments = service(upstream.client);
    await expect(payments.initiate(args('r4'), { clientId: 'a' })).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await payments.initiate(args('r4'), { clientId: 'a' });
    await expect(payments.initiate(args('r4'), { clientId: 'b' })).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(upstream.created).toHaveLength(1);
  });
});
