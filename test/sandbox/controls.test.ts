/** The sandbox's fault injection, call counting, response shapes, HTTP basics and the /__sandbox/ control API. */
import { describe, expect, it } from 'vitest';
import { KSPAY_ENDPOINTS } from '../../src/kspay/types.js';
import { CURRENCY_IDS, DEMO_APP } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { sandbox, token, call, login, bearer, newReference, initiate, expectError, useSandbox, useToken } from '../support/sandbox-support.js';

useSandbox();

describe('faults', () => {
  const currenciesCall = (signal?: AbortSignal) => call('/currencies', { headers: bearer(token()), signal });

  it('latencyMs delays answers but they still come', async () => {
    sandbox().faults.set({ latencyMs: 400 });
    await expect(currenciesCall(AbortSignal.timeout(50))).rejects.toThrow();
    sandbox().faults.set({ latencyMs: 20 });
    expect((await currenciesCall()).status).toBe(200);
  });

  it('failureRate 1 answers 500 code 26 on that endpoint only', async () => {
    sandbox().faults.set({ failureRate: { currencies: 1 } });
    expectError(await currenciesCall(), 500, 26);
    expect((await call(`/${CURRENCY_IDS.INR}/payment-methods`, { headers: bearer(token()) })).status).toBe(200);
  });

  it('forceError answers the given error `times` times, without side effects', async () => {
    const before = sandbox().transactions.list().length;
    sandbox().faults.set({ forceError: { initiate: { status: 503, code: 27, message: 'provider down', times: 2 } } });
    expectError(await initiate(token()), 503, 27, 'provider down');
    expectError(await initiate(token()), 503, 27);
    expect(sandbox().transactions.list().length).toBe(before);
    expect((await initiate(token())).status).toBe(201);
    expect(sandbox().faults.current().forceError?.initiate).toBeUndefined();
  });

  it('rateLimit answers 429 code 11005 with Retry-After', async () => {
    sandbox().faults.set({ rateLimit: { currencies: { retryAfterSeconds: 7, times: 1 } } });
    const limited = await currenciesCall();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ status: 429, message: 'Too many requests', code: 11005 });
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await currenciesCall()).status).toBe(200);
  });

  it('oversizedBody streams a huge JSON body of the exact size, with or without Content-Length', async () => {
    const bytes = 20 * 1024 * 1024 + 7;
    for (const contentLength of [true, false]) {
      // Set over the control API, as a standalone sandbox would be.
      await call('/__sandbox/faults', { method: 'POST', body: { oversizedBody: { currencies: { bytes, contentLength, times: 1 } } } });
      const response = await fetch(`${sandbox().url}/currencies`, { headers: bearer(token()) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe(contentLength ? String(bytes) : null);
      // Counted as it streams, never held whole; the head and tail show it is JSON.
      let size = 0;
      let head = '';
      let tail = '';
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (head.length < 60) head += Buffer.from(chunk).toString('utf8', 0, 60);
        tail = (tail + Buffer.from(chunk.subarray(-2)).toString()).slice(-2);
      }
      expect(size).toBe(bytes);
      expect(head).toMatch(/^\{"status":200,"message":"success","result":\[\{/);
      expect(tail).toBe(']}');
    }
    expect((await currenciesCall()).status).toBe(200); // `times` used up
  });

  it('dropAfterCommit performs the operation and then drops the connection', async () => {
    sandbox().faults.set({ dropAfterCommit: { initiate: 1 } });
    const referenceNumber = newReference();
    await expect(initiate(token(), { referenceNumber })).rejects.toThrow();
    expect(sandbox().transactions.byReference(DEMO_APP.id, referenceNumber)).toHaveLength(1);
    expect((await initiate(token())).status).toBe(201);
  });

  it('hang never answers; the client gives up', async () => {
    sandbox().calls.reset();
    sandbox().faults.set({ hang: { currencies: 1 } });
    await expect(currenciesCall(AbortSignal.timeout(150))).rejects.toThrow();
    expect(sandbox().calls.count('currencies')).toBe(1);
    expect((await currenciesCall()).status).toBe(200);
  });

  it('down destroys every API connection, unprocessed, until lifted', async () => {
    const before = sandbox().transactions.list().length;
    sandbox().calls.reset();
    sandbox().faults.set({ down: true });
    await expect(currenciesCall()).rejects.toThrow();
    await expect(initiate(token())).rejects.toThrow();
    expect(sandbox().transactions.list().length).toBe(before);
    expect(sandbox().calls.snapshot()).toMatchObject({ currencies: 1, initiate: 1 });
    sandbox().faults.set({ down: false });
    expect((await currenciesCall()).status).toBe(200);
  });

  it('set merges, current tells, reset clears', () => {
    sandbox().faults.set({ failureRate: { currencies: 0.5 }, latencyMs: 5 });
    sandbox().faults.set({ failureRate: { initiate: 1 } });
    expect(sandbox().faults.current()).toEqual({ latencyMs: 5, failureRate: { currencies: 0.5, initiate: 1 } });
    sandbox().faults.reset();
    expect(sandbox().faults.current()).toEqual({});
  });

  it('close() ends promptly with hanging requests and keep-alive sockets open', async () => {
    const box = await startSandbox();
    const { accessToken } = await login(box); // leaves a keep-alive socket
    box.faults.set({ hang: { currencies: 5 } });
    const hanging = call('/currencies', { headers: bearer(accessToken), box });
    while (box.calls.count('currencies') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const outcome = await Promise.race([box.close().then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 2000, 'stuck'))]);
    expect(outcome).toBe('closed');
    await expect(hanging).rejects.toThrow();
  });
});

describe('call counting', () => {
  it('counts requests per endpoint as they arrive, faults included; admin, checkout and unknown routes are not calls', async () => {
    sandbox().calls.reset();
    await login();
    await call('/currencies', { headers: bearer(token()) });
    sandbox().faults.set({ forceError: { currencies: { status: 500, code: 26, times: 1 } } });
    await call('/currencies', { headers: bearer(token()) });
    await call('/nowhere');
    await call('/__sandbox/calls');
    await call('/checkout/tx_Unknown12');
    expect(sandbox().calls.count('currencies')).toBe(2);
    expect(sandbox().calls.count('generateToken')).toBe(1);
    expect(sandbox().calls.count()).toBe(3);
    const snapshot = sandbox().calls.snapshot();
    expect(Object.keys(snapshot).sort()).toEqual([...KSPAY_ENDPOINTS].sort());
    expect(snapshot.initiate).toBe(0);
    sandbox().calls.reset();
    expect(sandbox().calls.count()).toBe(0);
  });
});

describe('response shapes', () => {
  it('envelope:false answers bare results; errors keep the envelope', async () => {
    sandbox().shapes.set({ envelope: false });
    const list = await call('/currencies', { headers: bearer(token()) });
    expect(Array.isArray(list.body)).toBe(true);
    expectError(await call('/c_Unknown001/payment-methods', { headers: bearer(token()) }), 400, 1052);
  });

  it('extraFields adds unknown fields to every object', async () => {
    sandbox().shapes.set({ extraFields: true });
    const answer = await call('/currencies', { headers: bearer(token()) });
    expect(answer.body).toHaveProperty('x_sandbox_extra');
    for (const currency of answer.body.result) expect(currency).toHaveProperty('x_sandbox_extra');
  });

  it('omitOptional leaves out optional fields', async () => {
    sandbox().shapes.set({ omitOptional: true });
    const currency = (await call('/currencies', { headers: bearer(token()) })).body.result[0];
    expect(Object.keys(currency).sort()).toEqual(['code', 'id', 'isActive', 'name', 'symbol', 'type']);
    const started = await initiate(token());
    expect(Object.keys(started.body.result)).toEqual(['signature']);
    const id = sandbox().transactions.list(DEMO_APP.id)[0]!.id;
    const transaction = (await call(`/transaction/txnId/${id}`, { headers: bearer(token()) })).body.result;
    expect(Object.keys(transaction).sort()).toEqual(['amount', 'pe_txnId', 'status']);
  });
});

describe('HTTP basics', () => {
  it('answers unknown routes with 404 code 25 and bad JSON with 400 code 25', async () => {
    expectError(await call('/nowhere', { headers: bearer(token()) }), 404, 25);
    expectError(await call('/currencies', { method: 'POST', headers: bearer(token()), body: {} }), 404, 25);
    const json = { ...bearer(token()), 'content-type': 'application/json' };
    expectError(await call('/transaction/initiate', { headers: json, body: '{"amount": ' }), 400, 25);
    expectError(await call('/transaction/initiate', { headers: json, body: '[1, 2]' }), 400, 25);
  });
});

describe('the /__sandbox/ control API', () => {
  const admin = (path: string, body?: unknown) => call(`/__sandbox/${path}`, { method: body === undefined ? 'GET' : 'POST', body });

  it('reads and resets the call counter', async () => {
    await call('/currencies', { headers: bearer(token()) });
    const calls = await admin('calls');
    expect(calls.status).toBe(200);
    expect(calls.body.total).toBe(sandbox().calls.count());
    expect(calls.body.byEndpoint.currencies).toBeGreaterThanOrEqual(1);
    expect((await call('/__sandbox/calls/reset', { method: 'POST' })).body.total).toBe(0);
    expect(sandbox().calls.count()).toBe(0);
  });

  it('sets and resets faults', async () => {
    expect((await admin('faults', { failureRate: { currencies: 1 } })).status).toBe(200);
    expectError(await call('/currencies', { headers: bearer(token()) }), 500, 26);
    await call('/__sandbox/faults/reset', { method: 'POST' });
    expect((await call('/currencies', { headers: bearer(token()) })).status).toBe(200);
  });

  it('sets shapes and expires tokens', async () => {
    await admin('shapes', { envelope: false });
    expect(Array.isArray((await call('/currencies', { headers: bearer(token()) })).body)).toBe(true);
    await call('/__sandbox/shapes/reset', { method: 'POST' });
    expect(Array.isArray((await call('/currencies', { headers: bearer(token()) })).body)).toBe(false);
    const pair = await login();
    await call('/__sandbox/tokens/expire', { method: 'POST' });
    expectError(await call('/currencies', { headers: bearer(pair.accessToken) }), 401, 9009);
    useToken((await login()).accessToken);
  });

  it('refuses bad bodies and unknown admin routes', async () => {
    expect((await admin('faults', '{oops')).status).toBe(400);
    expect((await admin('faults', [1])).status).toBe(400);
    expect((await admin('nothing')).status).toBe(404);
  });
});
