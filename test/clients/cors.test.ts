/**
 * CORS for front ends on other origins, in production mode: the preflights of Apollo,
 * urql and graphql-sse pass for a listed origin (with what CORS_ALLOW_HEADERS adds), the
 * answers a browser reads carry that origin (a JSON answer, an event stream, a 401), and
 * with several CORS_ORIGINS nothing else — an unknown origin, `Origin: null`, a look-alike
 * — is ever answered `null`, `*` or an origin it did not send. test/conformance.test.ts
 * covers the basics (listed origins allowed, no CORS headers without CORS_ORIGINS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_FRONT_END } from '../support/presets.js';

const SHOP = 'https://shop.example';
const ADMIN = 'https://admin.shop.example';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'front-end', env: { CORS_ORIGINS: `${SHOP}, ${ADMIN}`, CORS_ALLOW_HEADERS: 'X-Tenant-Id, baggage' } });
});
afterAll(() => stack.close());

/** A browser's preflight: the method and the (lower-case, sorted) headers it is about to send. */
function preflight(origin: string, method: string, headers: string[], target = stack) {
  return fetch(`${target.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': [...headers].sort().join(',') },
  });
}

const granted = (response: Response) => (response.headers.get('access-control-allow-headers') ?? '').split(',').map((name) => name.trim());

describe('CORS preflights of the common clients', () => {
  it.each([
    [
      'Apollo Client (clientAwareness, the CSRF-prevention headers)',
      'POST',
      ['apollo-require-preflight', 'apollographql-client-name', 'apollographql-client-version', 'authorization', 'content-type', 'x-apollo-operation-name'],
    ],
    ['urql (queries as GET)', 'GET', ['authorization']],
    ['urql and graphql-sse (POSTs, event streams)', 'POST', ['authorization', 'content-type']],
    ['graphql-sse in single connection mode, with x-api-key', 'POST', ['content-type', 'x-api-key', 'x-graphql-event-stream-token']],
    ['a traced front end', 'POST', ['authorization', 'content-type', 'traceparent', 'tracestate', 'x-request-id']],
  ])('passes for %s, from a listed origin', async (_client, method, headers) => {
    for (const origin of [SHOP, ADMIN]) {
      const response = await preflight(origin, method, headers);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toContain(method);
      expect(granted(response)).toEqual(expect.arrayContaining(headers));
      expect(response.headers.get('vary')).toMatch(/origin/i);
    }
  });

  it("grants what CORS_ALLOW_HEADERS adds (in any case), beside the clients' own, and nothing unlisted", async () => {
    const response = await preflight(SHOP, 'POST', ['authorization', 'baggage', 'content-type', 'x-tenant-id']);
    expect(granted(response)).toEqual(expect.arrayContaining(['authorization', 'baggage', 'content-type', 'x-tenant-id']));
    expect(granted(await preflight(SHOP, 'POST', ['x-unlisted']))).not.toContain('x-unlisted');
  });
});

describe('CORS on the answers a browser reads', () => {
  const post = (origin: string, headers: Record<string, string> = AS_FRONT_END, accept = 'application/graphql-response+json') =>
    fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', accept, ...headers },
      body: JSON.stringify({ query: '{ currencies { code } }' }),
    });

  it('carries the listed origin on a JSON answer, an event stream and a 401, and exposes x-request-id', async () => {
    for (const response of [await post(SHOP), await post(SHOP, AS_FRONT_END, 'text/event-stream'), await post(SHOP, {})]) {
      await response.arrayBuffer();
      expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
    }
    expect((await post(SHOP, {})).status).toBe(401);
  });

  it('never answers an unknown origin, Origin: null or a look-alike with null, * or an origin it was not given', async () => {
    const strangers = [
      'null',
      'https://evil.example',
      `${SHOP}.evil.example`,
      'https://evil-shop.example',
      'http://shop.example',
      `${SHOP}, ${ADMIN}`,
      `${SHOP}/`,
    ];
    for (const origin of strangers) {
      const refused = await preflight(origin, 'POST', ['authorization', 'content-type']);
      expect([origin, refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([origin, 403, null]);
      const answered = await post(origin);
      await answered.arrayBuffer();
      expect([origin, answered.headers.get('access-control-allow-origin')]).toEqual([origin, null]);
    }
  });
});

describe('CORS_ORIGINS as operators write it', () => {
  it('matches what browsers send whatever the case or a trailing slash of the configured origin', async () => {
    const written = await startStack({
      preset: 'front-end',
      env: { CORS_ORIGINS: 'https://Shop.Example/, http://localhost:5173' },
      sharedSandbox: stack.sandbox,
    });
    try {
      for (const origin of [SHOP, 'http://localhost:5173']) {
        const response = await preflight(origin, 'POST', ['authorization', 'content-type'], written);
        expect([response.status, response.headers.get('access-control-allow-origin')]).toEqual([204, origin]);
      }
    } finally {
      await written.close();
    }
  });

  it('stops start-up, naming CORS_ORIGINS, for an entry that is not an origin (a path, a query)', () => {
    for (const entry of ['https://shop.example/checkout', 'https://shop.example?x=1', 'shop.example']) {
      expect(() => loadConfig({ CORS_ORIGINS: entry })).toThrow(/^CORS_ORIGINS: /);
    }
  });
});
