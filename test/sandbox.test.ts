/**
 * The built-in KS Pay sandbox over real HTTP: the contract of shared/kspay-api.md
 * (paths, envelope, codes, statuses), the hosted checkout, fault injection, call
 * counting, response shapes and the /__sandbox/ control API.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormedId, KSPAY_ENDPOINTS } from '../src/kspay/types.js';
import {
  CURRENCY_IDS,
  DEMO_APP,
  FIXTURE_CURRENCIES,
  OTHER_APP,
  OTHER_APP_CURRENCIES,
  PAYMENT_METHOD_IDS as PM,
  type FixtureApp,
} from '../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../src/sandbox/server.js';

// Response bodies are arbitrary JSON; the assertions say what they must hold.
type Json = any;

interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  signal?: AbortSignal;
  box?: Sandbox;
}

let sandbox: Sandbox;

async function call(path: string, options: CallOptions = {}): Promise<Answer> {
  const { method = options.body === undefined ? 'GET' : 'POST', headers = {}, body, signal, box = sandbox } = options;
  const isText = typeof body === 'string';
  const response = await fetch(box.url + path, {
    method,
    headers: { ...(body === undefined || isText ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
    signal,
    redirect: 'manual',
  });
  const text = await response.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML or empty: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const keysOf = (app: FixtureApp) => ({ accessKey: app.accessKey, secretKey: app.secretKey });

async function login(box = sandbox, app: FixtureApp = DEMO_APP): Promise<{ accessToken: string; refreshToken: string }> {
  const answer = await call(`/auth/generate-token/${app.id}`, { body: keysOf(app), box });
  expect(answer.status).toBe(201);
  return answer.body.result;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let referenceCounter = 0;
const newReference = () => `ref-${Date.now().toString(36)}-${++referenceCounter}`;

function initiateBody(overrides: Record<string, unknown> = {}) {
  return {
    currencyId: CURRENCY_IDS.INR,
    paymentMethodId: PM.INR_NET_BANKING,
    amount: 345.67,
    referenceNumber: newReference(),
    appId: DEMO_APP.id,
    redirectUrl: 'https://merchant.example/return?order=42',
    ...overrides,
  };
}

async function initiate(token: string, overrides: Record<string, unknown> = {}, box = sandbox): Promise<Answer> {
  return call('/transaction/initiate', { body: initiateBody(overrides), headers: bearer(token), box });
}

/** Initiates and processes a transaction; answers its id and signature. */
async function processed(token: string, overrides: Record<string, unknown> = {}) {
  const started = await initiate(token, overrides);
  expect(started.status).toBe(201);
  const { pe_txnId: txnId, signature } = started.body.result;
  const processedAnswer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': signature } });
  expect(processedAnswer.status).toBe(201);
  return { txnId: txnId as string, signature: signature as string };
}

function expectError(answer: Answer, status: number, code: number, message?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ status, code });
  expect(typeof answer.body.message).toBe('string');
  expect(answer.body).not.toHaveProperty('result');
  if (message) expect(answer.body.message).toBe(message);
}

let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login()).accessToken;
});

afterAll(() => sandbox.close());

afterEach(() => {
  sandbox.faults.reset();
  sandbox.shapes.reset();
});

describe('fixtures', () => {
  it('uses well-formed, fixed ids and a long secret', () => {
    expect(isWellFormedId('app', DEMO_APP.id)).toBe(true);
    expect(isWellFormedId('user', DEMO_APP.userId)).toBe(true);
    expect(DEMO_APP.secretKey.length).toBeGreaterThanOrEqual(32);
    const all = [...FIXTURE_CURRENCIES, ...OTHER_APP_CURRENCIES];
    for (const currency of all) {
      expect(isWellFormedId('currency', currency.id)).toBe(true);
      expect(currency.paymentMethods.length).toBeGreaterThanOrEqual(1);
      expect(currency.paymentMethods.length).toBeLessThanOrEqual(4);
      for (const method of currency.paymentMethods) expect(isWellFormedId('paymentMethod', method.id)).toBe(true);
    }
    expect(all.flatMap((c) => c.paymentMethods).some((m) => !m.isActive)).toBe(true);
    expect(sandbox.credentials).toEqual({ appId: DEMO_APP.id, ...keysOf(DEMO_APP) });
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('POST /auth/generate-token/{appId}', () => {
  it('answers 201 with two fresh opaque tokens', async () => {
    const answer = await call(`/auth/generate-token/${DEMO_APP.id}`, { body: keysOf(DEMO_APP) });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 201, message: 'success' });
    const { accessToken, refreshToken } = answer.body.result;
    expect(accessToken).toMatch(/^[0-9a-f]{48}$/);
    expect(refreshToken).toMatch(/^[0-9a-f]{48}$/);
    expect(accessToken).not.toBe(refreshToken);
  });

  it('accepts the `accesskey` spelling and form-encoded bodies', async () => {
    const lower = await call(`/auth/generate-token/${DEMO_APP.id}`, {
      body: { accesskey: DEMO_APP.accessKey, secretKey: DEMO_APP.secretKey },
    });
    expect(lower.status).toBe(201);
    const form = await call(`/auth/generate-token/${DEMO_APP.id}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(keysOf(DEMO_APP)).toString(),
    });
    expect(form.status).toBe(201);
  });

  it.each([
    ['a malformed app id', 'ap_short', keysOf(DEMO_APP), 400, -17],
    ['an unknown app', 'ap_Unknown01', keysOf(DEMO_APP), 404, 11002],
    ['missing keys', DEMO_APP.id, { accessKey: DEMO_APP.accessKey }, 400, 9002],
    ['a wrong access key', DEMO_APP.id, { ...keysOf(DEMO_APP), accessKey: 'ak_wrong' }, 400, 11008],
    ['a wrong secret key', DEMO_APP.id, { ...keysOf(DEMO_APP), secretKey: 'sk_wrong' }, 400, 11004],
    ["another app's keys", DEMO_APP.id, keysOf(OTHER_APP), 400, 11008],
  ])('refuses %s', async (_name, appId, body, status, code) => {
    expectError(await call(`/auth/generate-token/${appId}`, { body }), status, code);
  });

  it('says what a well-formed app id looks like', async () => {
    const answer = await call('/auth/generate-token/xx_DemoApp01', { body: keysOf(DEMO_APP) });
    expectError(answer, 400, -17, "ID must start with 'ap_' and be 12 characters long");
  });
});

describe('POST /auth/refresh-token', () => {
  it('gives a new pair once; the spent refresh token answers 401 9008', async () => {
    const first = await login();
    const refreshed = await call('/auth/refresh-token', { headers: { authorization: first.refreshToken }, body: keysOf(DEMO_APP) });
    expect(refreshed.status).toBe(201);
    const next = refreshed.body.result;
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect((await call('/currencies', { headers: bearer(next.accessToken) })).status).toBe(200);

    const again = await call('/auth/refresh-token', { headers: { authorization: first.refreshToken }, body: keysOf(DEMO_APP) });
    expectError(again, 401, 9008);
  });

  it('tolerates a Bearer prefix', async () => {
    const { refreshToken } = await login();
    const answer = await call('/auth/refresh-token', { headers: bearer(refreshToken), body: keysOf(DEMO_APP) });
    expect(answer.status).toBe(201);
  });

  it('refuses unknown and missing refresh tokens and missing keys', async () => {
    const unknown = await call('/auth/refresh-token', { headers: { authorization: 'f'.repeat(48) }, body: keysOf(DEMO_APP) });
    expectError(unknown, 401, 9008);
    expectError(await call('/auth/refresh-token', { body: keysOf(DEMO_APP) }), 401, 9008);
    const { refreshToken } = await login();
    expectError(await call('/auth/refresh-token', { headers: { authorization: refreshToken }, body: {} }), 400, 9002);
  });

  it('checks the keys against the token’s app and spends nothing on failure', async () => {
    const { refreshToken } = await login();
    const headers = { authorization: refreshToken };
    expectError(await call('/auth/refresh-token', { headers, body: { ...keysOf(DEMO_APP), secretKey: 'sk_nope' } }), 400, 11004);
    expectError(await call('/auth/refresh-token', { headers, body: keysOf(OTHER_APP) }), 400, 11008);
    expect((await call('/auth/refresh-token', { headers, body: keysOf(DEMO_APP) })).status).toBe(201);
  });

  it('refuses an expired refresh token', async () => {
    const box = await startSandbox({ refreshTokenTtlMs: 1 });
    try {
      const { refreshToken } = await login(box);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await call('/auth/refresh-token', { headers: { authorization: refreshToken }, body: keysOf(DEMO_APP), box });
      expectError(answer, 401, 9008);
    } finally {
      await box.close();
    }
  });
});

describe('access tokens', () => {
  it('refuses a missing, non-Bearer or unknown token with 400 9000', async () => {
    expectError(await call('/currencies'), 400, 9000);
    expectError(await call('/currencies', { headers: { authorization: token } }), 400, 9000);
    expectError(await call('/currencies', { headers: bearer('0'.repeat(48)) }), 400, 9000);
  });

  it('answers 401 9009 once tokens.expireAll() ran, and a refresh recovers', async () => {
    const pair = await login();
    sandbox.tokens.expireAll();
    expectError(await call('/currencies', { headers: bearer(pair.accessToken) }), 401, 9009, 'Token has expired.');
    const refreshed = await call('/auth/refresh-token', { headers: { authorization: pair.refreshToken }, body: keysOf(DEMO_APP) });
    expect((await call('/currencies', { headers: bearer(refreshed.body.result.accessToken) })).status).toBe(200);
    token = refreshed.body.result.accessToken; // the shared token expired too
  });

  it('expires by itself after accessTokenTtlMs', async () => {
    const box = await startSandbox({ accessTokenTtlMs: 1 });
    try {
      const { accessToken } = await login(box);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expectError(await call('/currencies', { headers: bearer(accessToken), box }), 401, 9009);
    } finally {
      await box.close();
    }
  });
});

describe('catalog', () => {
  it('GET /currencies lists every currency of the app, inactive ones included', async () => {
    const answer = await call('/currencies', { headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 200, message: 'success' });
    const list = answer.body.result;
    expect(list.map((c: Json) => c.code)).toEqual(['INR', 'USD', 'EUR', 'USDT', 'JPY']);
    expect(list[0]).toEqual({
      id: CURRENCY_IDS.INR, name: 'Rupees', code: 'INR', symbol: 'Rs', type: 'FIAT', isActive: true,
      userId: DEMO_APP.userId, createdAt: '2024-08-03T11:57:59.647Z', decimalPlaces: 2,
    });
    expect(list.find((c: Json) => c.code === 'USDT')).toMatchObject({ type: 'CRYPTO', decimalPlaces: 6, symbol: '₮' });
    expect(list.find((c: Json) => c.code === 'JPY')).toMatchObject({ isActive: false, decimalPlaces: 0 });
  });

  it('scopes currencies to the token’s app', async () => {
    const other = await login(sandbox, OTHER_APP);
    const answer = await call('/currencies', { headers: bearer(other.accessToken) });
    expect(answer.body.result.map((c: Json) => c.id)).toEqual(OTHER_APP_CURRENCIES.map((c) => c.id));
    const foreign = await call(`/${CURRENCY_IDS.INR}/payment-methods`, { headers: bearer(other.accessToken) });
    expectError(foreign, 400, 1052);
  });

  it('GET /{currencyId}/payment-methods lists id, name and isActive', async () => {
    const answer = await call(`/${CURRENCY_IDS.INR}/payment-methods`, { headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(answer.body.result).toEqual([
      { id: PM.INR_NET_BANKING, name: 'NET BANKING', isActive: true },
      { id: PM.INR_DEBIT_CARD, name: 'DEBIT CARD', isActive: true },
      { id: PM.INR_UPI, name: 'UPI', isActive: true },
      { id: PM.INR_CREDIT_CARD, name: 'CREDIT CARD', isActive: false },
    ]);
  });

  it('refuses unknown (1052) and malformed (-17) currency ids, and needs a token', async () => {
    expectError(await call('/c_Unknown001/payment-methods', { headers: bearer(token) }), 400, 1052, "Currency doesn't exist");
    expectError(await call('/INR/payment-methods', { headers: bearer(token) }), 400, -17);
    expectError(await call(`/${CURRENCY_IDS.INR}/payment-methods`), 400, 9000);
  });
});

describe('POST /transaction/initiate', () => {
  it('creates an INITIATED transaction and answers the full shape', async () => {
    const reference = newReference();
    const answer = await initiate(token, { referenceNumber: reference });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: 201, message: 'success' });
    const result = answer.body.result;
    expect(Object.keys(result).sort()).toEqual(['amount', 'currency', 'pe_txnId', 'providerOrderId', 'signature']);
    expect(result.pe_txnId).toMatch(/^tx_[A-Za-z0-9]{9}$/);
    expect(result.providerOrderId).toMatch(/^order_[A-Za-z0-9]{14}$/);
    expect(result).toMatchObject({ amount: 345.67, currency: 'INR' });
    expect(result.signature).toMatch(/^[0-9a-f]{64}$/);

    const [stored] = sandbox.store.findByReference(DEMO_APP.id, reference);
    expect(stored).toMatchObject({
      id: result.pe_txnId, appId: DEMO_APP.id, amount: '345.67', status: 'INITIATED',
      currencyId: CURRENCY_IDS.INR, providerOrderId: result.providerOrderId, providerPaymentId: null,
    });
    expect(new Date(stored.createdAt).toISOString()).toBe(stored.createdAt);
    expect(stored.updatedAt).toBe(stored.createdAt);
  });

  it('answers only the signature in the signatureOnly shape', async () => {
    sandbox.shapes.set({ initiate: 'signatureOnly' });
    const answer = await initiate(token);
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body.result)).toEqual(['signature']);
  });

  it('accepts a numeric string amount and a form-encoded body', async () => {
    const text = await initiate(token, { amount: '12.50' });
    expect(text.status).toBe(201);
    expect(text.body.result.amount).toBe(12.5);
    const form = await call('/transaction/initiate', {
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(Object.entries(initiateBody({ amount: '99.99' })).map(([k, v]) => [k, String(v)])).toString(),
    });
    expect(form.status).toBe(201);
    expect(form.body.result.amount).toBe(99.99);
  });

  it('counts places on the decimal written: 6 on USDT and a trailing zero on INR pass', async () => {
    const reference = newReference();
    const usdt = await initiate(token, {
      currencyId: CURRENCY_IDS.USDT, paymentMethodId: PM.USDT_WALLET, amount: 1.123456, referenceNumber: reference,
    });
    expect(usdt.status).toBe(201);
    expect(sandbox.store.findByReference(DEMO_APP.id, reference)[0].amount).toBe('1.123456');
    const tiny = await initiate(token, { currencyId: CURRENCY_IDS.USDT, paymentMethodId: PM.USDT_WALLET, amount: 0.000001 });
    expect(tiny.body.result.amount).toBe(0.000001);

    const raw = JSON.stringify(initiateBody()).replace('"amount":345.67', '"amount":345.670');
    expect(raw).toContain('345.670');
    const trailingZero = await call('/transaction/initiate', { headers: { ...bearer(token), 'content-type': 'application/json' }, body: raw });
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
    const before = sandbox.store.transactions().length;
    expectError(await initiate(token, overrides), status, code);
    expect(sandbox.store.transactions().length).toBe(before);
  });

  it('does not dedupe referenceNumber (the gateway must)', async () => {
    const referenceNumber = newReference();
    await initiate(token, { referenceNumber });
    await initiate(token, { referenceNumber });
    expect(sandbox.store.findByReference(DEMO_APP.id, referenceNumber)).toHaveLength(2);
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
    const started = await initiate(token, { amount: 10.5 });
    const { pe_txnId: txnId, signature, providerOrderId } = started.body.result;
    const reference = sandbox.store.transactionById(txnId)!.referenceNumber;
    const answer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': signature } });
    expect(answer.status).toBe(201);
    const order = {
      id: providerOrderId, amount: 10.5, currency: 'INR', receipt: reference, status: 'created',
      checkoutUrl: `${sandbox.url}/checkout/${txnId}`, kspayId: txnId,
    };
    expect(answer.body).toEqual({ status: 201, message: 'success', result: { order } });
    expect(sandbox.store.transactionById(txnId)!.status).toBe('PROCESSING');

    const again = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': signature } });
    expect(again.body.result).toEqual({ order });
    expect(sandbox.store.transactionById(txnId)!.status).toBe('PROCESSING');
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
      expect(box.store.transactionById(started.body.result.pe_txnId)!.status).toBe('INITIATED');
    } finally {
      await box.close();
    }
  });

  it('answers a bare { order } when the envelope is off', async () => {
    const started = await initiate(token);
    sandbox.shapes.set({ envelope: false });
    const answer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': started.body.result.signature } });
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body)).toEqual(['order']);
    expect(answer.body.order.kspayId).toBe(started.body.result.pe_txnId);
  });
});

describe('GET /transaction/txnId/{txnId}', () => {
  it('answers the transaction with providerPaymentId null until paid', async () => {
    const started = await initiate(token, { amount: 7 });
    const id = started.body.result.pe_txnId;
    const stored = sandbox.store.transactionById(id)!;
    const answer = await call(`/transaction/txnId/${id}`, { headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(answer.body.result).toEqual({
      pe_txnId: id, referenceNumber: stored.referenceNumber, amount: 7, currency: 'INR', currencyId: CURRENCY_IDS.INR,
      paymentMethodId: PM.INR_NET_BANKING, status: 'INITIATED', providerOrderId: stored.providerOrderId,
      providerPaymentId: null, redirectUrl: 'https://merchant.example/return?order=42',
      createdAt: stored.createdAt, updatedAt: stored.updatedAt,
    });
  });

  it('answers 404 24 for unknown and other apps’ ids, and -17 for malformed ones', async () => {
    expectError(await call('/transaction/txnId/tx_Unknown12', { headers: bearer(token) }), 404, 24);
    expectError(await call('/transaction/txnId/12345', { headers: bearer(token) }), 400, -17);
    const other = await login(sandbox, OTHER_APP);
    const started = await initiate(token);
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
    const expected = box.store.transactions(DEMO_APP.id).map((t) => t.id);
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

describe('hosted checkout', () => {
  const form = (txnId: string, action: string) =>
    call(`/checkout/${txnId}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action }).toString(),
    });

  it('shows merchant, amount, reference and a Pay/Decline form, HTML-escaped', async () => {
    const { txnId } = await processed(token, { referenceNumber: '<script>alert("x")</script>', amount: 1234.5 });
    const page = await call(`/checkout/${txnId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html: string = page.body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(DEMO_APP.name);
    expect(html).toContain('Rs 1234.5 INR');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain(`<form method="post" action="/checkout/${txnId}">`);
    expect(html).toMatch(/<button type="submit" name="action" value="pay"[^>]*>Pay<\/button>/);
    expect(html).toMatch(/<button type="submit" name="action" value="decline"[^>]*>Decline<\/button>/);
  });

  it('pays: SUCCESS with a provider payment id, then 303 back with the result appended', async () => {
    const { txnId } = await processed(token);
    const answer = await form(txnId, 'pay');
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location')!);
    const stored = sandbox.store.transactionById(txnId)!;
    expect(stored.status).toBe('SUCCESS');
    expect(stored.providerPaymentId).toMatch(/^pay_[A-Za-z0-9]{14}$/);
    expect(location.origin + location.pathname).toBe('https://merchant.example/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      order: '42', payment_status: 'success', kspay_id: txnId, provider_payment_id: stored.providerPaymentId,
    });
    const lookup = await call(`/transaction/txnId/${txnId}`, { headers: bearer(token) });
    expect(lookup.body.result).toMatchObject({ status: 'SUCCESS', providerPaymentId: stored.providerPaymentId });
  });

  it('declines: FAILED, still with a provider payment id', async () => {
    const { txnId } = await processed(token);
    const answer = await form(txnId, 'decline');
    expect(answer.status).toBe(303);
    const params = new URL(answer.headers.get('location')!).searchParams;
    const stored = sandbox.store.transactionById(txnId)!;
    expect(stored.status).toBe('FAILED');
    expect(params.get('payment_status')).toBe('failed');
    expect(params.get('provider_payment_id')).toBe(stored.providerPaymentId);
  });

  it('refuses to settle an INITIATED or already settled transaction', async () => {
    const started = await initiate(token);
    const initiated = started.body.result.pe_txnId;
    expect((await call(`/checkout/${initiated}`)).body).toContain('process the transaction first');
    expect((await form(initiated, 'pay')).status).toBe(409);
    expect(sandbox.store.transactionById(initiated)!.status).toBe('INITIATED');

    const { txnId } = await processed(token);
    await form(txnId, 'pay');
    const paymentId = sandbox.store.transactionById(txnId)!.providerPaymentId;
    expect((await form(txnId, 'decline')).status).toBe(409);
    expect(sandbox.store.transactionById(txnId)).toMatchObject({ status: 'SUCCESS', providerPaymentId: paymentId });
    const page = await call(`/checkout/${txnId}`);
    expect(page.body).toContain('SUCCESS');
    expect(page.body).toContain('href="https://merchant.example/return?order=42&amp;payment_status=success');
    expect(page.body).not.toContain('<form');
  });

  it('answers 404 HTML for unknown ids and 400 for an unknown action; never counts', async () => {
    sandbox.calls.reset();
    const missing = await call('/checkout/tx_Unknown12');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    const { txnId } = await processed(token);
    sandbox.calls.reset();
    expect((await form(txnId, 'refund')).status).toBe(400);
    expect(sandbox.calls.count()).toBe(0);
  });
});

describe('faults', () => {
  const currenciesCall = (signal?: AbortSignal) => call('/currencies', { headers: bearer(token), signal });

  it('latencyMs delays answers but they still come', async () => {
    sandbox.faults.set({ latencyMs: 400 });
    await expect(currenciesCall(AbortSignal.timeout(50))).rejects.toThrow();
    sandbox.faults.set({ latencyMs: 20 });
    expect((await currenciesCall()).status).toBe(200);
  });

  it('failureRate 1 answers 500 code 26 on that endpoint only', async () => {
    sandbox.faults.set({ failureRate: { currencies: 1 } });
    expectError(await currenciesCall(), 500, 26);
    expect((await call(`/${CURRENCY_IDS.INR}/payment-methods`, { headers: bearer(token) })).status).toBe(200);
  });

  it('forceError answers the given error `times` times, without side effects', async () => {
    const before = sandbox.store.transactions().length;
    sandbox.faults.set({ forceError: { initiate: { status: 503, code: 27, message: 'provider down', times: 2 } } });
    expectError(await initiate(token), 503, 27, 'provider down');
    expectError(await initiate(token), 503, 27);
    expect(sandbox.store.transactions().length).toBe(before);
    expect((await initiate(token)).status).toBe(201);
    expect(sandbox.faults.current().forceError?.initiate).toBeUndefined();
  });

  it('rateLimit answers 429 code 11005 with Retry-After', async () => {
    sandbox.faults.set({ rateLimit: { currencies: { retryAfterSeconds: 7, times: 1 } } });
    const limited = await currenciesCall();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ status: 429, message: 'Too many requests', code: 11005 });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await currenciesCall()).status).toBe(200);
  });

  it('dropAfterCommit performs the operation and then drops the connection', async () => {
    sandbox.faults.set({ dropAfterCommit: { initiate: 1 } });
    const referenceNumber = newReference();
    await expect(initiate(token, { referenceNumber })).rejects.toThrow();
    expect(sandbox.store.findByReference(DEMO_APP.id, referenceNumber)).toHaveLength(1);
    expect((await initiate(token)).status).toBe(201);
  });

  it('hang never answers; the client gives up', async () => {
    sandbox.calls.reset();
    sandbox.faults.set({ hang: { currencies: 1 } });
    await expect(currenciesCall(AbortSignal.timeout(150))).rejects.toThrow();
    expect(sandbox.calls.count('currencies')).toBe(1);
    expect((await currenciesCall()).status).toBe(200);
  });

  it('down destroys every API connection, unprocessed, until lifted', async () => {
    const before = sandbox.store.transactions().length;
    sandbox.calls.reset();
    sandbox.faults.set({ down: true });
    await expect(currenciesCall()).rejects.toThrow();
    await expect(initiate(token)).rejects.toThrow();
    expect(sandbox.store.transactions().length).toBe(before);
    expect(sandbox.calls.snapshot()).toMatchObject({ currencies: 1, initiate: 1 });
    sandbox.faults.set({ down: false });
    expect((await currenciesCall()).status).toBe(200);
  });

  it('set merges, current tells, reset clears', () => {
    sandbox.faults.set({ failureRate: { currencies: 0.5 }, latencyMs: 5 });
    sandbox.faults.set({ failureRate: { initiate: 1 } });
    expect(sandbox.faults.current()).toEqual({ latencyMs: 5, failureRate: { currencies: 0.5, initiate: 1 } });
    sandbox.faults.reset();
    expect(sandbox.faults.current()).toEqual({});
  });

  it('close() ends promptly with hanging requests and keep-alive sockets open', async () => {
    const box = await startSandbox();
    const { accessToken } = await login(box); // leaves a keep-alive socket
    box.faults.set({ hang: { currencies: 5 } });
    const hanging = call('/currencies', { headers: bearer(accessToken), box });
    while (box.calls.count('currencies') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const outcome = await Promise.race([
      box.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 2000, 'stuck')),
    ]);
    expect(outcome).toBe('closed');
    await expect(hanging).rejects.toThrow();
  });
});

describe('call counting', () => {
  it('counts requests per endpoint as they arrive, faults included; admin, checkout and unknown routes are not calls', async () => {
    sandbox.calls.reset();
    await login();
    await call('/currencies', { headers: bearer(token) });
    sandbox.faults.set({ forceError: { currencies: { status: 500, code: 26, times: 1 } } });
    await call('/currencies', { headers: bearer(token) });
    await call('/nowhere');
    await call('/__sandbox/calls');
    await call('/checkout/tx_Unknown12');
    expect(sandbox.calls.count('currencies')).toBe(2);
    expect(sandbox.calls.count('generateToken')).toBe(1);
    expect(sandbox.calls.count()).toBe(3);
    const snapshot = sandbox.calls.snapshot();
    expect(Object.keys(snapshot).sort()).toEqual([...KSPAY_ENDPOINTS].sort());
    expect(snapshot.initiate).toBe(0);
    sandbox.calls.reset();
    expect(sandbox.calls.count()).toBe(0);
  });
});

describe('response shapes', () => {
  it('envelope:false answers bare results; errors keep the envelope', async () => {
    sandbox.shapes.set({ envelope: false });
    const list = await call('/currencies', { headers: bearer(token) });
    expect(Array.isArray(list.body)).toBe(true);
    expectError(await call('/c_Unknown001/payment-methods', { headers: bearer(token) }), 400, 1052);
  });

  it('extraFields adds unknown fields to every object', async () => {
    sandbox.shapes.set({ extraFields: true });
    const answer = await call('/currencies', { headers: bearer(token) });
    expect(answer.body).toHaveProperty('x_sandbox_extra');
    for (const currency of answer.body.result) expect(currency).toHaveProperty('x_sandbox_extra');
  });

  it('omitOptional leaves out optional fields', async () => {
    sandbox.shapes.set({ omitOptional: true });
    const currency = (await call('/currencies', { headers: bearer(token) })).body.result[0];
    expect(Object.keys(currency).sort()).toEqual(['code', 'id', 'isActive', 'name', 'symbol', 'type']);
    const started = await initiate(token);
    expect(Object.keys(started.body.result)).toEqual(['signature']);
    const id = sandbox.store.transactions(DEMO_APP.id)[0].id;
    const transaction = (await call(`/transaction/txnId/${id}`, { headers: bearer(token) })).body.result;
    expect(Object.keys(transaction).sort()).toEqual(['amount', 'pe_txnId', 'status']);
  });
});

describe('HTTP basics', () => {
  it('answers unknown routes with 404 code 25 and bad JSON with 400 code 25', async () => {
    expectError(await call('/nowhere', { headers: bearer(token) }), 404, 25);
    expectError(await call('/currencies', { method: 'POST', headers: bearer(token), body: {} }), 404, 25);
    const json = { ...bearer(token), 'content-type': 'application/json' };
    expectError(await call('/transaction/initiate', { headers: json, body: '{"amount": ' }), 400, 25);
    expectError(await call('/transaction/initiate', { headers: json, body: '[1, 2]' }), 400, 25);
  });
});

describe('the /__sandbox/ control API', () => {
  const admin = (path: string, body?: unknown) => call(`/__sandbox/${path}`, { method: body === undefined ? 'GET' : 'POST', body });

  it('reads and resets the call counter', async () => {
    await call('/currencies', { headers: bearer(token) });
    const calls = await admin('calls');
    expect(calls.status).toBe(200);
    expect(calls.body.total).toBe(sandbox.calls.count());
    expect(calls.body.byEndpoint.currencies).toBeGreaterThanOrEqual(1);
    expect((await call('/__sandbox/calls/reset', { method: 'POST' })).body.total).toBe(0);
    expect(sandbox.calls.count()).toBe(0);
  });

  it('sets and resets faults', async () => {
    expect((await admin('faults', { failureRate: { currencies: 1 } })).status).toBe(200);
    expectError(await call('/currencies', { headers: bearer(token) }), 500, 26);
    await call('/__sandbox/faults/reset', { method: 'POST' });
    expect((await call('/currencies', { headers: bearer(token) })).status).toBe(200);
  });

  it('sets shapes and expires tokens', async () => {
    await admin('shapes', { envelope: false });
    expect(Array.isArray((await call('/currencies', { headers: bearer(token) })).body)).toBe(true);
    await call('/__sandbox/shapes/reset', { method: 'POST' });
    expect(Array.isArray((await call('/currencies', { headers: bearer(token) })).body)).toBe(false);
    const pair = await login();
    await call('/__sandbox/tokens/expire', { method: 'POST' });
    expectError(await call('/currencies', { headers: bearer(pair.accessToken) }), 401, 9009);
    token = (await login()).accessToken;
  });

  it('refuses bad bodies and unknown admin routes', async () => {
    expect((await admin('faults', '{oops')).status).toBe(400);
    expect((await admin('faults', [1])).status).toBe(400);
    expect((await admin('nothing')).status).toBe(404);
  });
});
