/**
 * What the sandbox keeps over a long run: the store is driven directly, on a clock
 * moved by hand, so nothing here depends on real time.
 */
import { describe, expect, it } from 'vitest';
import { ArrivalQueue } from '../../src/sandbox/arrival-queue.js';
import { ExpiringRecords } from '../../src/sandbox/expiring.js';
import { CURRENCY_IDS, DEMO_APP, FIXTURE_SEED, OTHER_APP, OTHER_APP_CURRENCIES, PAYMENT_METHOD_IDS as PM } from '../../src/sandbox/fixtures.js';
import { ISSUED_TOKENS_KEPT } from '../../src/sandbox/handle.js';
import { RecentValues } from '../../src/sandbox/recent.js';
import { SandboxStore, type StoreOptions } from '../../src/sandbox/store.js';
import { EXPIRED_TOKENS_KEPT_MS, MAX_KEPT_CREDENTIALS } from '../../src/sandbox/tokens.js';
import { MAX_TRANSACTIONS_PER_APP } from '../../src/sandbox/transaction-log.js';
import { processTransaction } from '../../src/sandbox/transactions.js';
import { ShapeState } from '../../src/sandbox/views.js';
import { ApiError } from '../../src/sandbox/api.js';
import { newReference } from '../support/references.js';

const MINUTE = 60_000;

/** A clock that moves only when told. */
function handClock(start = Date.parse('2025-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function storeWith(options: Partial<StoreOptions> = {}) {
  const clock = handClock();
  const store = new SandboxStore(FIXTURE_SEED, {
    accessTokenTtlMs: 15 * MINUTE,
    refreshTokenTtlMs: 60 * MINUTE,
    signatureTtlMs: 15 * MINUTE,
    now: clock.now,
    ...options,
  });
  return { store, clock };
}

const inr = FIXTURE_SEED[0]!.currencies.find((c) => c.id === CURRENCY_IDS.INR)!;

function create(store: SandboxStore, appId = DEMO_APP.id) {
  const currency = appId === DEMO_APP.id ? inr : OTHER_APP_CURRENCIES[0]!;
  const paymentMethodId = appId === DEMO_APP.id ? PM.INR_NET_BANKING : currency!.paymentMethods[0]!.id;
  return store.createTransaction({
    appId,
    referenceNumber: newReference('bound'),
    amount: '1.00',
    currency,
    paymentMethodId,
    redirectUrl: 'https://shop.example/r',
  });
}

function settle(store: SandboxStore, txnId: string) {
  store.transition(txnId, 'PROCESSING');
  return store.transition(txnId, 'SUCCESS');
}

describe('defaults', () => {
  it('keeps the last 10,000 issued tokens, 100,000 transactions per app and 100,000 credentials of each kind', () => {
    expect(ISSUED_TOKENS_KEPT).toBe(10_000);
    expect(MAX_TRANSACTIONS_PER_APP).toBe(100_000);
    expect(MAX_KEPT_CREDENTIALS).toBe(100_000);
    expect(EXPIRED_TOKENS_KEPT_MS).toBe(60 * MINUTE);
  });
});

describe('issued tokens', () => {
  it('a long run of logins keeps only the most recent ones, oldest first', () => {
    const issued = new RecentValues<string>(ISSUED_TOKENS_KEPT);
    const { store } = storeWith({ onTokensIssued: (pair) => issued.push(pair.accessToken, pair.refreshToken) });
    const all: string[] = [];
    for (let i = 0; i < 7_500; i++) {
      const pair = store.tokens.issue(DEMO_APP.id);
      all.push(pair.accessToken, pair.refreshToken);
    }
    expect(issued.values()).toEqual(all.slice(-ISSUED_TOKENS_KEPT));
  });

  it('the ring wraps in order and refuses a useless capacity', () => {
    const ring = new RecentValues<number>(3);
    ring.push(1, 2);
    expect(ring.values()).toEqual([1, 2]);
    ring.push(3, 4, 5, 6, 7);
    expect(ring.values()).toEqual([5, 6, 7]);
    expect(() => new RecentValues(0)).toThrow(RangeError);
  });
});

describe('access and refresh tokens', () => {
  it('an expired access token answers "expired" for an hour, then is dropped', () => {
    const { store, clock } = storeWith();
    const { accessToken } = store.tokens.issue(DEMO_APP.id);
    clock.advance(15 * MINUTE);
    expect(store.tokens.checkAccess(accessToken)).toEqual({ ok: false, reason: 'expired' });
    clock.advance(EXPIRED_TOKENS_KEPT_MS - 1);
    expect(store.tokens.checkAccess(accessToken)).toEqual({ ok: false, reason: 'expired' });
    clock.advance(1);
    expect(store.tokens.checkAccess(accessToken)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('a long run keeps only live and recently expired tokens', () => {
    const { store, clock } = storeWith();
    const pairs = [];
    for (let i = 0; i < 2_000; i++) {
      pairs.push(store.tokens.issue(DEMO_APP.id));
      clock.advance(10_000); // 2,000 logins over five and a half hours
    }
    const ageOf = (i: number) => (pairs.length - i) * 10_000;
    const oldest = pairs[0];
    expect(ageOf(0)).toBeGreaterThan(15 * MINUTE + EXPIRED_TOKENS_KEPT_MS);
    expect(store.tokens.checkAccess(oldest!.accessToken)).toEqual({ ok: false, reason: 'unknown' });
    expect(store.tokens.refreshTokenApp(oldest!.refreshToken)).toBeNull();
    const halfHourOld = pairs[pairs.length - 180];
    expect(store.tokens.checkAccess(halfHourOld!.accessToken)).toEqual({ ok: false, reason: 'expired' });
    expect(store.tokens.refreshTokenApp(halfHourOld!.refreshToken)).toBe(DEMO_APP.id);
    expect(store.tokens.checkAccess(pairs.at(-1)!.accessToken)).toEqual({ ok: true, appId: DEMO_APP.id });
  });

  it('expireAll still works on what is kept', () => {
    const { store } = storeWith();
    const { accessToken } = store.tokens.issue(DEMO_APP.id);
    store.tokens.expireAllAccessTokens();
    expect(store.tokens.checkAccess(accessToken)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('signatures', () => {
  it('an expired signature is dropped, and a long run keeps only live ones', () => {
    const { store, clock } = storeWith();
    const signatures: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      clock.advance(10_000);
      signatures.push(store.signatures.issue(DEMO_APP.id, `tx_Signed${String(i).padStart(3, '0')}`));
    }
    // 15 minutes of signatures at one per 10 s: the last 90 are live.
    expect(signatures.filter((s) => store.signatures.check(s).ok)).toEqual(signatures.slice(-90));
    expect(store.signatures.check(signatures[0]!)).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('expiring records', () => {
  const live = (now: number) => ({ expiresAt: now + 5_000 });

  it('a long run holds what is live or in its grace period, never more', () => {
    const clock = handClock();
    const records = new ExpiringRecords<{ expiresAt: number }>({ keepExpiredMs: 2_000, maxSize: 1_000_000, now: clock.now });
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      records.set(`r${i}`, live(clock.now()));
      clock.advance(100);
      largest = Math.max(largest, records.size);
    }
    // Alive 5 s plus 2 s of grace, one record per 100 ms.
    expect(largest).toBeLessThanOrEqual(71);
    expect(records.get('r0')).toBeUndefined();
    expect(records.get('r99999')).toBeDefined();
  });

  it('a record deleted and set again counts from its new arrival', () => {
    const clock = handClock();
    const records = new ExpiringRecords<{ expiresAt: number }>({ keepExpiredMs: 0, maxSize: 2, now: clock.now });
    records.set('a', live(clock.now()));
    records.delete('a');
    records.set('b', live(clock.now()));
    records.set('a', live(clock.now()));
    records.set('c', live(clock.now()));
    expect([...records.values()]).toEqual([records.get('a'), records.get('c')]);
    expect(records.get('b')).toBeUndefined();
  });

  it('past maxSize the oldest goes first, live or not', () => {
    const clock = handClock();
    const records = new ExpiringRecords<{ expiresAt: number }>({ keepExpiredMs: 0, maxSize: 3, now: clock.now });
    for (const key of ['a', 'b', 'c', 'd']) records.set(key, live(clock.now()));
    expect(records.size).toBe(3);
    expect(records.get('a')).toBeUndefined();
    expect(records.get('d')).toBeDefined();
  });
});

describe('arrival queue', () => {
  it('answers the oldest item still kept, in order, across many dropped ones', () => {
    const gone = new Set<number>();
    const kept = (i: number) => !gone.has(i);
    const queue = new ArrivalQueue<number>(kept, () => 10_000 - gone.size);
    for (let i = 0; i < 10_000; i++) queue.push(i);
    const taken: number[] = [];
    for (let n = 0; n < 9_000; n++) {
      const oldest = queue.oldest()!;
      taken.push(oldest);
      gone.add(oldest);
    }
    expect(taken).toEqual(Array.from({ length: 9_000 }, (_, i) => i));
    queue.push(10_000);
    gone.add(9_000);
    expect(queue.oldest()).toBe(9_001);
    for (let i = 9_001; i <= 10_000; i++) gone.add(i);
    expect(queue.oldest()).toBeUndefined();
    queue.push(7);
    gone.delete(7);
    expect(queue.oldest()).toBe(7);
  });

  it('an item held at the front does not keep those dropped behind it: the queue stays about twice what is held', () => {
    // The sandbox's case: one payment never settles while a million others settle and are forgotten.
    const held = new Set<number>([0]);
    const queue = new ArrivalQueue<number>(
      (i) => held.has(i),
      () => held.size,
    );
    queue.push(0);
    let longest = 0;
    for (let i = 1; i <= 1_000_000; i++) {
      held.add(i);
      queue.push(i);
      held.delete(i - 1 || -1);
      longest = Math.max(longest, queue.length);
    }
    // At most three held at a push (the first, the last, the new one): never more than twice that and the 1,024 of slack, plus the new one.
    expect(longest).toBeLessThanOrEqual(2 * 3 + 1024 + 1);
    expect(queue.oldest()).toBe(0);
  });
});

describe('transactions', () => {
  it('a full log forgets as a plain list would, over a run far longer than it holds', () => {
    const { store } = storeWith({ maxTransactionsPerApp: 100 });
    // The rule as the simplest model: the longest settled goes first, else the oldest.
    const model: { id: string; settledAt: number | null }[] = [];
    for (let i = 0; i < 5_000; i++) {
      const { id } = create(store);
      model.push({ id, settledAt: null });
      if (model.length > 100) {
        const settled = model.filter((t) => t.settledAt !== null).sort((a, b) => a.settledAt! - b.settledAt!);
        model.splice(model.indexOf(settled[0] ?? model[0]!), 1);
      }
      if (i % 3 === 0) {
        settle(store, id);
        model.find((t) => t.id === id)!.settledAt = i;
      }
    }
    expect(new Set(store.transactions(DEMO_APP.id).map((t) => t.id))).toEqual(new Set(model.map((t) => t.id)));
  });

  it('a long run keeps at most maxTransactionsPerApp, forgetting the longest settled first', () => {
    const { store } = storeWith({ maxTransactionsPerApp: 50 });
    const open = Array.from({ length: 10 }, () => create(store).id);
    const settled = Array.from({ length: 1_000 }, () => settle(store, create(store).id).id);

    const kept = store.transactions(DEMO_APP.id).map((t) => t.id);
    expect(kept).toHaveLength(50);
    expect(new Set(kept)).toEqual(new Set([...open, ...settled.slice(-40)]));
    expect(store.transactionById(settled[0]!)).toBeUndefined();
    for (const id of open) expect(store.transactionById(id)?.status).toBe('INITIATED');
  });

  it('forgets the oldest open one when none is settled, and counts per app', () => {
    const { store } = storeWith({ maxTransactionsPerApp: 5 });
    const other = create(store, OTHER_APP.id).id;
    const ids = Array.from({ length: 8 }, () => create(store).id);
    expect(
      store
        .transactions(DEMO_APP.id)
        .map((t) => t.id)
        .sort(),
    ).toEqual(ids.slice(-5).sort());
    expect(store.transaction(OTHER_APP.id, other)).toBeDefined();
    expect(() => store.transition(ids[0]!, 'PROCESSING')).toThrow(`No transaction ${ids[0]}`);
  });

  it('processing a forgotten transaction answers 11005, as an expired signature does', () => {
    const { store } = storeWith({ maxTransactionsPerApp: 1 });
    const first = create(store);
    const signature = store.signatures.issue(DEMO_APP.id, first.id);
    create(store);
    const request = { params: {}, query: new URLSearchParams(), headers: { 'x-signature': signature }, body: {}, rawBody: '' };
    const context = { store, shapes: new ShapeState().current(), publicUrl: 'http://sandbox.test' };
    const refusal = (() => {
      try {
        processTransaction(request, context);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 400, code: 11005, message: 'Signature expired' });
  });

  it('hands out frozen records', () => {
    const { store } = storeWith();
    const created = create(store);
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(store.transactionById(created.id))).toBe(true);
  });
});
