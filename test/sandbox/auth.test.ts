/** The sandbox's fixtures and token endpoints: generate, refresh, expiry. */
import { describe, expect, it } from 'vitest';
import { isWellFormedId } from '../../src/kspay/types.js';
import { DEMO_APP, FIXTURE_CURRENCIES, OTHER_APP, OTHER_APP_CURRENCIES } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { sandbox, token, call, keysOf, login, bearer, expectError, useSandbox, useToken } from '../support/sandbox-support.js';

useSandbox();

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
    expect(sandbox().credentials).toEqual({ appId: DEMO_APP.id, ...keysOf(DEMO_APP) });
    expect(sandbox().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
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
    expectError(await call('/currencies', { headers: { authorization: token() } }), 400, 9000);
    expectError(await call('/currencies', { headers: bearer('0'.repeat(48)) }), 400, 9000);
  });

  it('answers 401 9009 once tokens.expireAll() ran, and a refresh recovers', async () => {
    const pair = await login();
    sandbox().tokens.expireAll();
    expectError(await call('/currencies', { headers: bearer(pair.accessToken) }), 401, 9009, 'Token has expired.');
    const refreshed = await call('/auth/refresh-token', { headers: { authorization: pair.refreshToken }, body: keysOf(DEMO_APP) });
    expect((await call('/currencies', { headers: bearer(refreshed.body.result.accessToken) })).status).toBe(200);
    useToken(refreshed.body.result.accessToken); // the shared token expired too
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
