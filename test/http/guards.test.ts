/**
 * Finding 2: the HTTP guards ran only on the exact path /graphql, while yoga also served
 * /graphql/ and other spellings (5 MB bodies, chunked bodies and form or multipart
 * mutations got through there). Now the front door guards every request, once: only the
 * exact /graphql reaches yoga, and only as a JSON POST framed by a Content-Length within
 * MAX_BODY_BYTES, or a GET without a body. yoga's own body limiter is off, so these tests
 * are what proves the coverage. Run without client auth, where a form POST that ran a
 * mutation would be a CSRF hole.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { initiateMutation, rawRequest } from '../support/raw-http.js';

let stack: Stack; // no client auth: what a CSRF would exploit
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

const json = (query: string) => JSON.stringify({ query });
const SPELLINGS = [
  '/graphql/',
  '//graphql',
  '/graphql//',
  '/GRAPHQL',
  '/%67raphql',
  '/graphql;x',
  '/x?/graphql',
  '/a/../graphql',
  '/./graphql',
  '/graphql%2F',
  '/health',
  '/',
];

describe('a client sending malformed HTTP: only the exact path /graphql reaches GraphQL', () => {
  it('runs a JSON mutation at /graphql (the control: these requests would pay)', async () => {
    const answer = await rawRequest(stack.url, {
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: json(initiateMutation(newReference())),
    });
    expect(answer.status).toBe(200);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it.each(SPELLINGS)('answers %s with 404 and runs nothing, in any encoding', async (path) => {
    const mutation = initiateMutation(newReference());
    const bodies = [
      { headers: { 'content-type': 'application/json' }, body: json(mutation) },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: mutation }).toString() },
      {
        headers: { 'content-type': 'multipart/form-data; boundary=X' },
        body: `--X\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${json(mutation)}\r\n--X--\r\n`,
      },
      { headers: { 'content-type': 'text/plain' }, body: json(mutation) },
    ];
    for (const request of bodies) {
      const answer = await rawRequest(stack.url, { path, ...request });
      expect(answer.status).toBe(404);
      expect(answer.body).not.toMatch(/initiateTransaction|Cannot query/);
    }
    const get = await rawRequest(stack.url, {
      method: 'GET',
      path: `${path}${path.includes('?') ? '&' : '?'}query=${encodeURIComponent('{ currencies { id } }')}`,
    });
    expect(get.status).toBe(404);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it.each(SPELLINGS)('never reads a 5 MB or chunked body sent to %s', async (path) => {
    const big = await rawRequest(stack.url, { path, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) });
    expect([0, 404]).toContain(big.status);
    const chunked = await rawRequest(stack.url, {
      path,
      headers: { 'content-type': 'application/json' },
      body: json(initiateMutation(newReference())),
      chunked: true,
    });
    expect([0, 404]).toContain(chunked.status);
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});

describe('a client sending malformed HTTP: at /graphql, a POST is JSON framed by a Content-Length within MAX_BODY_BYTES', () => {
  it('refuses form-encoded, multipart and text/plain mutations with 415 (no CSRF without a preflight)', async () => {
    const mutation = initiateMutation(newReference());
    const form = await rawRequest(stack.url, {
      path: '/graphql',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: mutation }).toString(),
    });
    const multipart = await rawRequest(stack.url, {
      path: '/graphql',
      headers: { 'content-type': 'multipart/form-data; boundary=X' },
      body: `--X\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${json(mutation)}\r\n--X--\r\n`,
    });
    const text = await rawRequest(stack.url, { path: '/graphql', headers: { 'content-type': 'text/plain' }, body: json(mutation) });
    const none = await rawRequest(stack.url, { path: '/graphql', body: json(mutation) });
    expect([form.status, multipart.status, text.status, none.status]).toEqual([415, 415, 415, 415]);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses a chunked body (411) and a body over the limit (413), reading neither', async () => {
    const chunked = await rawRequest(stack.url, {
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: json(initiateMutation(newReference())),
      chunked: true,
    });
    expect(chunked.status).toBe(411);
    const big = await rawRequest(stack.url, { path: '/graphql', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) });
    // The gateway answers 413 and closes without reading; the client may still be writing.
    expect([0, 413]).toContain(big.status);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/kspay_gateway_http_refusals_total\{reason="too-large"\} [1-9]/);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses a GET that carries a body, and a mutation over GET', async () => {
    const withBody = await rawRequest(stack.url, {
      method: 'GET',
      path: '/graphql?query=%7B__typename%7D',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(withBody.status).toBe(400);
    const mutation = await rawRequest(stack.url, { method: 'GET', path: `/graphql?query=${encodeURIComponent(initiateMutation(newReference()))}` });
    expect(mutation.status).toBe(405);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses an empty JSON POST with 400 at the door (yoga would wait for a body already read)', async () => {
    const empty = await rawRequest(stack.url, { path: '/graphql', headers: { 'content-type': 'application/json' }, body: '' });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body).errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/kspay_gateway_http_refusals_total\{reason="empty-body"\} [1-9]/);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses other methods with 405', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const answer = await rawRequest(stack.url, { method, path: '/graphql', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(answer.status).toBe(405);
    }
  });
});
