/** The sandbox's catalog, transaction endpoints and hosted checkout. */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CURRENCY_IDS, DEMO_APP, OTHER_APP, OTHER_APP_CURRENCIES, PAYMENT_METHOD_IDS as PM } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { sandbox, token, call, login, bearer, newReference, initiateBody, initiate, expectError, useSandbox, type Json } from '../support/sandbox-support.js';

useSandbox();

describe('catalog', () => {
  it('GET /currencies lists every currency of the app, inactive ones included', async () => {
    const answer = await call('/currencies', { headers: bearer(token()) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 200, message: 'success' });
    const list = answer.body.result;
    expect(list.map((c: Json) => c.code)).toEqual(['INR', 'USD', 'EUR', 'USDT', 'JPY']);
    expect(list[0]).toEqual({
      id: CURRENCY_IDS.INR,
      name: 'Rupees',
      code: 'INR',
      symbol: 'Rs',
      type: 'FIAT',
      isActive: true,
      userId: DEMO_APP.userId,
      createdAt: '2024-08-03T11:57:59.647Z',
      decimalPlaces: 2,
    });
    expect(list.find((c: Json) => c.code === 'USDT')).toMatchObject({ type: 'CRYPTO', decimalPlaces: 6, symbol: '₮' });
    expect(list.find((c: Json) => c.code === 'JPY')).toMatchObject({ isActive: false, decimalPlaces: 0 });
  });

  it('scopes currencies to the token’s app', async () => {
    const other = await login(sandbox(), OTHER_APP);
    const answer = await call('/currencies', { headers: bearer(other.accessToken) });
    expect(answer.body.result.map((c: Json) => c.id)).toEqual(OTHER_APP_CURRENCIES.map((c) => c.id));
    const foreign = await call(`/${CURRENCY_IDS.INR}/payment-methods`, { headers: bearer(other.accessToken) });
    expectError(foreign, 400, 1052);
  });

  it('GET /{currencyId}/payment-methods lists id, name and isActive', async () => {
    const answer = await call(`/${CURRENCY_IDS.INR}/payment-methods`, { headers: bearer(token()) });
    expect(answer.status).toBe(200);
    expect(answer.body.result).toEqual([
      { id: PM.INR_NET_BANKING, name: 'NET BANKING', isActive: true },
      { id: PM.INR_DEBIT_CARD, name: 'DEBIT CARD', isActive: true },
      { id: PM.INR_UPI, name: 'UPI', isActive: true },
      { id: PM.INR_CREDIT_CARD, name: 'CREDIT CARD', isActive: false },
    ]);
  });

  it('refuses unknown (1052) and malformed (-17) currency ids, and needs a token', async () => {
    expectError(await call('/c_Unknown001/payment-methods', { headers: bearer(token()) }), 400, 1052, "Currency doesn't exist");
    expectError(await call('/INR/payment-methods', { headers: bearer(token()) }), 400, -17);
    expectError(await call(`/${CURRENCY_IDS.INR}/payment-methods`), 400, 9000);
  });
});

describe('POST /transaction/initiate', () => {
  it('creates an INITIATED transaction and answers the full shape', async () => {
    const reference = newReference();
    const answer = await initiate(token(), { referenceNumber: reference });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 201, message: 'success' });
    const result = answer.body.result;
    expect(Object.keys(result).sort()).toEqual(['amount', 'currency', 'pe_txnId', 'providerOrderId', 'signature']);
    expect(result.pe_txnId).toMatch(/^tx_[A-Za-z0-9]{9}$/);
    expect(result.providerOrderId).toMatch(/^order_[A-Za-z0-9]{14}$/);
    expect(result).toMatchObject({ amount: 345.67, currency: 'INR' });
    expect(result.signature).toMatch(/^[0-9a-f]{64}$/);

    const [stored] = sandbox().transactions.byReference(DEMO_APP.id, reference);
    expect(stored).toMatchObject({
      id: result.pe_txnId,
      appId: DEMO_APP.id,
      amount: '345.67',
      status: 'INITIATED',
      currencyId: CURRENCY_IDS.INR,
      providerOrderId: result.providerOrderId,
      providerPaymentId: null,
    });
    expect(new Date(stored!.createdAt).toISOString()).toBe(stored!.createdAt);
    expect(stored!.updatedAt).toBe(stored!.createdAt);
  });

  it('answers only the signature in the signatureOnly shape', async () => {
    sandbox().shapes.set({ initiate: 'signatureOnly' });
    const answer = await initiate(token());
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body.result)).toEqual(['signature']);
  });

  it('accepts a numeric string amount and a form-encoded body', async () => {
    const text = await initiate(token(), { amount: '12.50' });
    expect(text.status).toBe(201);
    expect(text.body.result.amount).toBe(12.5);
    const form = await call('/transaction/initiate', {
      headers: { ...bearer(token()), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(Object.entries(initiateBody({ amount: '99.99' })).map(([k, v]) => [k, String(v)])).toString(),
    });
    expect(form.status).toBe(201);
    expect(form.body.result.amount).toBe(99.99);
  });

  it('counts places on the decimal written: 6 on USDT and a trailing zero on INR pass', async () => {
    const reference = newReference();
    const usdt = await initiate(token(), {
      currencyId: CURRENCY_IDS.USDT,
      paymentMethodId: PM.USDT_WALLET,
      amount: 1.123456,
      referenceNumber: reference,
    });
    expect(usdt.status).toBe(201);
    expect(sandbox().transactions.byReference(DEMO_APP.id, reference)[0]!.amount).toBe('1.123456');
    const tiny = await initiate(token(), { currencyId: CURRENCY_IDS.USDT, paymentMethodId: PM.USDT_WALLET, amount: 0.000001 });
    expect(tiny.body.result.amount).toBe(0.000001);

    const raw = JSON.stringify(initiateBody()).replace('"amount":345.67', '"amount":345.670');
    expect(raw).toContain('345.670');
    const trailingZero = await call('/transaction/initiate', { headers: { ...bearer(token()), 'content-type': 'application/json' }, body: raw });
    expect(trailingZero.status).toBe(201);
  });

  const usdt = { currencyId: CURRENCY_IDS.USDT, paymentMethodId: PM.USDT_WALLET };
  it.each([
    ['a missing currencyId', { currencyId: undefined }, 400, -9],
    ['a missing paymentMethodId', { paymentMethodId: '' }, 400, -9],
    ['a missing appId', { appId: null }, 400, -9],
    ['a malformed currencyId', { currencyId: 'INR' }, 400, -17],
    ['a malformed paymentMethodId', { paymentMethodId: 'pm_short' }, 400, -17],
    ['a malformed appId', { appId: 'ap_DemoApp01!' }, 400, -17],
    ["another app's appId", { appId: OTHER_APP.id }, 403, 13007],
    ['an unknown appId', { appId: 'ap_Unknown01' }, 404, 11002],
    ['an unknown currency', { currencyId: 'c_Unknown001' }, 400, 13007],
    ['an inactive currency', { currencyId: CURRENCY_IDS.JPY, paymentMethodId: PM.JPY_CREDIT_CARD, amount: 100 }, 400, 13007],
    ['an unknown payment method', { paymentMethodId: 'pm_Unknown01' }, 404, 12001],
    ["another currency's payment method", { paymentMethodId: PM.USD_CREDIT_CARD }, 400, 13006],
    ['an inactive payment method', { paymentMethodId: PM.INR_CREDIT_CARD }, 400, 13006],
    ['a zero amount', { amount: 0 }, 400, 25],
    ['a negative amount', { amount: -5 }, 400, 25],
    ['a non-numeric amount', { amount: 'lots' }, 400, 25],
    ['a missing amount', { amount: undefined }, 400, 25],
    ['an amount no JSON number carries exactly', { amount: '12345678901234567.5', ...usdt }, 400, 25],
    ['3 places on INR', { amount: 1.234 }, 400, -19],
    ['7 places on USDT', { amount: 1.1234567, ...usdt }, 400, -19],
    ['a missing referenceNumber', { referenceNumber: undefined }, 400, 25],
    ['a missing redirectUrl', { redirectUrl: '' }, 400, 25],
    ['a non-http redirectUrl', { redirectUrl: 'javascript:alert(1)' }, 400, 25],
  ])('refuses %s and creates nothing', async (_name, overrides, status, code) => {
    const before = sandbox().transactions.list().length;
    expectError(await initiate(token(), overrides), status, code);
    expect(sandbox().transactions.list().length).toBe(before);
  });

  it('does not dedupe referenceNumber (the gateway must)', async () => {
    const referenceNumber = newReference();
    await initiate(token(), { referenceNumber });
    await initiate(token(), { referenceNumber });
    expect(sandbox().transactions.byReference(DEMO_APP.id, referenceNumber)).toHaveLength(2);
  });

  describe('the x-signature variant', () => {
    const send = (raw: string, signature?: string) =>
      call('/transaction/initiate', {
        headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-signature': signature }) },
        body: raw,
      });
    const sign = (raw: string, secret = DEMO_APP.secretKey) => createHmac('sha256', secret).update(raw).digest('hex');

    it('accepts the HMAC-SHA256 of the raw body under the app’s secret key', async () => {
      const raw = JSON.stringify(initiateBody());
      const answer = await send(raw, sign(raw));
      expect(answer.status).toBe(201);
      expect(answer.body.result.pe_txnId).toMatch(/^tx_/);
    });

    it('refuses a wrong HMAC (401 9007), a malformed one (11006) and no auth at all (9000)', async () => {
      const raw = JSON.stringify(initiateBody());
      expectError(await send(raw, sign(raw, OTHER_APP.secretKey)), 401, 9007);
      expectError(await send(raw, sign(`${raw} `)), 401, 9007);
      expectError(await send(raw, 'not-hex'), 400, 11006);
      expectError(await send(raw), 400, 9000);
    });
  });
});

describe('POST /transaction/process', () => {
  it('moves INITIATED to PROCESSING and answers the order; again changes nothing', async () => {
    const started = await initiate(token(), { amount: 10.5 });
    const { pe_txnId: txnId, signature, providerOrderId } = started.body.result;
    const reference = sandbox().transactions.byId(txnId)!.referenceNumber;
    const answer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': signature } });
    expect(answer.status).toBe(201);
    const order = {
      id: providerOrderId,
      amount: 10.5,
      currency: 'INR',
      receipt: reference,
      status: 'created',
      checkoutUrl: `${sandbox().url}/checkout/${txnId}`,
      kspayId: txnId,
    };
    expect(answer.body).toEqual({ status: 201, message: 'success', result: { order } });
    expect(sandbox().transactions.byId(txnId)!.status).toBe('PROCESSING');

    const again = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': signature } });
    expect(again.body.result).toEqual({ order });
    expect(sandbox().transactions.byId(txnId)!.status).toBe('PROCESSING');
  });

  it('refuses a missing or malformed signature with 11006 and an unknown one with 11005', async () => {
    expectError(await call('/transaction/process', { method: 'POST' }), 400, 11006, 'Invalid signature format');
    expectError(await call('/transaction/process', { method: 'POST', headers: { 'x-signature': 'abc' } }), 400, 11006);
    const unknown = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': 'a'.repeat(64) } });
    expectError(unknown, 400, 11005, 'Signature expired');
  });

  it('refuses an expired signature with 11005 and leaves the transaction INITIATED', async () => {
    const box = await startSandbox({ signatureTtlMs: 1 });
    try {
      const { accessToken } = await login(box);
      const started = await initiate(accessToken, {}, box);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': started.body.result.signature }, box });
      expectError(answer, 400, 11005);
      expect(box.transactions.byId(started.body.result.pe_txnId)!.status).toBe('INITIATED');
    } finally {
      await box.close();
    }
  });

  it('answers a bare { order } when the envelope is off', async () => {
    const started = await initiate(token());
    sandbox().shapes.set({ envelope: false });
    const answer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': started.body.result.signature } });
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body)).toEqual(['order']);
    expect(answer.body.order.kspayId).toBe(started.body.result.pe_txnId);
  });
});

describe('GET /transaction/txnId/{txnId}', () => {
  it('answers the transaction with providerPaymentId null until paid', async () => {
    const started = await initiate(token(), { amount: 7 });
    const id = started.body.result.pe_txnId;
    const stored = sandbox().transactions.byId(id)!;
    const answer = await call(`/transaction/txnId/${id}`, { headers: bearer(token()) });
    expect(answer.status).toBe(200);
    expect(answer.body.result).toEqual({
      pe_txnId: id,
      referenceNumber: stored.referenceNumber,
      amount: 7,
      currency: 'INR',
      currencyId: CURRENCY_IDS.INR,
      paymentMethodId: PM.INR_NET_BANKING,
      status: 'INITIATED',
      providerOrderId: stored.providerOrderId,
      providerPaymentId: null,
      redirectUrl: 'https://merchant.example/return?order=42',
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    });
  });

  it('answers 404 24 for unknown and other apps’ ids, and -17 for malformed ones', async () => {
    expectError(await call('/transaction/txnId/tx_Unknown12', { headers: bearer(token()) }), 404, 24);
    expectError(await call('/transaction/txnId/12345', { headers: bearer(token()) }), 400, -17);
    const other = await login(sandbox(), OTHER_APP);
    const started = await initiate(token());
    expectError(await call(`/transaction/txnId/${started.body.result.pe_txnId}`, { headers: bearer(other.accessToken) }), 404, 24);
  });
});

describe('GET /transaction', () => {
  let box: Sandbox;
  let boxToken: string;
  const list = (query = '') => call(`/transaction${query}`, { headers: bearer(boxToken), box });

  beforeAll(async () => {
    box = await startSandbox();
    boxToken = (await login(box)).accessToken;
    for (let i = 0; i < 12; i++) expect((await initiate(boxToken, { amount: i + 1 }, box)).status).toBe(201);
  });
  afterAll(() => box.close());
  afterEach(() => box.shapes.reset());

  it('pages newest first: page 1 of 10 by default, then the rest', async () => {
    const expected = box.transactions.list(DEMO_APP.id).map((t) => t.id);
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.body.result).toMatchObject({ page: 1, limit: 10, total: 12 });
    expect(first.body.result.items.map((t: Json) => t.pe_txnId)).toEqual(expected.slice(0, 10));
    const second = await list('?page=2&limit=10');
    expect(second.body.result.items.map((t: Json) => t.pe_txnId)).toEqual(expected.slice(10));
    const created = first.body.result.items.map((t: Json) => t.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('clamps limit to 100 and answers a bare array of all matching when asked', async () => {
    expect((await list('?limit=500')).body.result).toMatchObject({ limit: 100, total: 12 });
    box.shapes.set({ list: 'bare' });
    const bare = await list('?page=2&limit=3');
    expect(Array.isArray(bare.body.result)).toBe(true);
    expect(bare.body.result).toHaveLength(12);
  });

  it('filters by a date range; a date-only toDate covers its whole day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`?fromDate=${today}&toDate=${today}`)).body.result.total).toBe(12);
    expect((await list('?fromDate=2024-01-01&toDate=2024-02-01')).body.result.total).toBe(0);
  });

  const day = 86_400_000;
  const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();
  it.each([
    ['page 0', '?page=0', 4089],
    ['a non-integer page', '?page=x', 4089],
    ['a negative limit', '?limit=-1', 4056],
    ['a fractional limit', '?limit=1.5', 4056],
    ['fromDate alone', `?fromDate=${iso(-1)}`, 11010],
    ['toDate alone', `?toDate=${iso(-1)}`, 11010],
    ['fromDate after toDate', `?fromDate=${iso(-1)}&toDate=${iso(-2)}`, 11007],
    ['a range over 90 days', `?fromDate=${iso(-91)}&toDate=${iso(0)}`, 11006],
    ['a future fromDate', `?fromDate=${iso(1)}&toDate=${iso(2)}`, 11009],
    ['a future toDate', `?fromDate=${iso(-1)}&toDate=${iso(1)}`, 11011],
    ['a date that is not a date', '?fromDate=yesterday&toDate=today', 25],
    ['a date that does not exist', '?fromDate=2024-02-30&toDate=2024-03-02', 25],
  ])('refuses %s', async (_name, query, code) => {
    expectError(await list(query), 400, code);
  });
});
