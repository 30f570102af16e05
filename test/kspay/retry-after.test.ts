/**
 * Numbers from a hostile or broken KS Pay never overflow a GraphQL Int: an absurd
 * Retry-After is clamped to an hour where it is parsed, and out-of-range codes, totals
 * and decimal places are read as unknown (null) instead of turning a typed result into
 * "Unexpected error.".
 */
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/kspay/retry.js';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { newReference } from '../support/references.js';
import { startStack, type Gateway, type Stack } from '../support/stack.js';
import { closeServer, listenOnLoopback } from '../support/loopback.js';
import { INITIATE, PROCESS } from '../support/documents.js';

const API_KEY = 'retry-after-key-0123456789';
const PRODUCTION = { GATEWAY_API_KEYS: JSON.stringify({ [API_KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' };
const AUTH = { authorization: `Bearer ${API_KEY}` };
const ABSURD = 99_999_999_999;
const HOUR_MS = 3_600_000;

/** A well-formed signature KS Pay never issued. */
const BAD_SIGNATURE = { input: { signature: 'ab'.repeat(32) } };

const initiateInput = () => ({
  currencyId: CURRENCY_IDS.INR,
  paymentMethodId: PAYMENT_METHOD_IDS.INR_UPI,
  amount: '10',
  referenceNumber: newReference('retry-after'),
  redirectUrl: 'https://shop.example/r',
});

describe('an upstream answering absurd numbers: an absurd Retry-After from the sandbox', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: PRODUCTION, headers: AUTH });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.sandbox.calls.reset();
    stack.app.cache.clear();
  });
  afterEach(() => stack.sandbox.faults.reset());

  it('on initiate: a typed UPSTREAM_UNAVAILABLE with retryAfterMs clamped to an hour, sent once', async () => {
    stack.sandbox.faults.set({ rateLimit: { initiate: { retryAfterSeconds: ABSURD } } });
    const response = await stack.gql(INITIATE, { input: initiateInput() });
    expect(response.errors).toBeUndefined();
    expect(response.data.initiateTransaction).toEqual({
      __typename: 'UpstreamUnavailableError',
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'KS Pay is rate limiting requests; retry later',
      retryable: true,
      retryAfterMs: HOUR_MS,
      upstreamCode: 11005,
    });
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it('on process: the same', async () => {
    stack.sandbox.faults.set({ rateLimit: { process: { retryAfterSeconds: ABSURD } } });
    const response = await stack.gql(PROCESS, BAD_SIGNATURE);
    expect(response.data.processTransaction).toEqual({
      __typename: 'UpstreamUnavailableError',
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'KS Pay is rate limiting requests; retry later',
      retryable: true,
      retryAfterMs: HOUR_MS,
      upstreamCode: 11005,
    });
    expect(stack.sandbox.calls.count('process')).toBe(1);
  });

  it('on a read: clamped in extensions, and not waited for (one call)', async () => {
    stack.sandbox.faults.set({ rateLimit: { currencies: { retryAfterSeconds: ABSURD } } });
    const response = await stack.gql('{ currencies { id } }');
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true, retryAfterMs: HOUR_MS });
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });

  it('an error code past Int range is an unknown code, not "Unexpected error."', async () => {
    stack.sandbox.faults.set({ forceError: { initiate: { status: 400, code: ABSURD, message: 'odd' } } });
    const response = await stack.gql(INITIATE, { input: initiateInput() });
    expect(response.errors).toBeUndefined();
    expect(response.data.initiateTransaction).toEqual({
      __typename: 'UpstreamRejectedError',
      code: 'UPSTREAM_REJECTED',
      message: 'KS Pay refused the request (HTTP 400)',
      upstreamCode: null,
      field: null,
    });
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });
});

describe('an upstream answering absurd numbers: numbers past Int range in successful answers (a stub KS Pay)', () => {
  let stub: Server;
  let gateway: Gateway;
  const calls: string[] = [];
  const ANSWERS: Record<string, unknown> = {
    '/currencies': [{ id: 'c_HugeNum0001', code: 'HUG', name: 'Huge', decimalPlaces: ABSURD }],
    '/transaction': { items: [], page: 1, limit: 5, total: ABSURD },
  };

  beforeAll(async () => {
    stub = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://stub.invalid').pathname;
      calls.push(path);
      const body = path.startsWith('/auth/') ? { result: { accessToken: 'at_stub_001', refreshToken: 'rt_stub_001' } } : ANSWERS[path];
      request.resume().on('end', () => {
        response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body ?? { status: 404, code: 25, message: 'no route' }));
      });
    });
    const upstream = {
      baseUrl: (await listenOnLoopback(stub)).url,
      credentials: { appId: 'ap_StubApp01', accessKey: 'ak_stub', secretKey: 'sk_stub_0123456789' },
    };
    gateway = await startStack({ upstream, env: PRODUCTION, headers: AUTH });
  });
  afterAll(async () => {
    await gateway?.close();
    await closeServer(stub);
  });
  beforeEach(() => {
    calls.length = 0;
  });

  it('decimalPlaces past Int range reads as unknown (null)', async () => {
    const response = await gateway.gql('{ currencies { code decimalPlaces } }');
    expect(response.errors).toBeUndefined();
    expect(response.data.currencies).toEqual([{ code: 'HUG', decimalPlaces: null }]);
    expect(calls.filter((path) => path === '/currencies')).toHaveLength(1);
  });

  it('a total past Int range reads as unknown (null totalCount)', async () => {
    const response = await gateway.gql('{ transactions(first: 5) { totalCount pageInfo { hasNextPage } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data.transactions).toEqual({ totalCount: null, pageInfo: { hasNextPage: false } });
    expect(calls.filter((path) => path === '/transaction')).toHaveLength(1);
  });
});

describe('an upstream answering absurd numbers: parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('keeps sane values', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('clamps absurd ones to an hour, in seconds or as a date', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(HOUR_MS);
    expect(parseRetryAfter(String(ABSURD), now)).toBe(HOUR_MS);
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(HOUR_MS);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(HOUR_MS);
  });
});
