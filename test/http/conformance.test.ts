/**
 * GraphQL over HTTP conformance (graphql-http's server audits, against the live
 * gateway), CSRF prevention and CORS.
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CORS_ORIGINS: 'https://shop.example, https://admin.shop.example' } });
});
afterAll(() => stack.close());

describe('GraphQL over HTTP audits', () => {
  it('passes every MUST', async () => {
    const audits = serverAudits({ url: `${stack.url}/graphql`, fetchFn: fetch });
    const results = await Promise.all(audits.map(async (audit) => ({ ...audit, result: await audit.fn() })));
    const failedMusts = results.filter((r) => r.name.startsWith('MUST') && r.result.status !== 'ok');
    const shoulds = results.filter((r) => r.name.startsWith('SHOULD'));
    const passedShoulds = shoulds.filter((r) => r.result.status === 'ok');
    console.log(`graphql-http audits: ${results.length - failedMusts.length}/${results.length} passed; SHOULD: ${passedShoulds.length}/${shoulds.length}`);
    for (const r of shoulds.filter((s) => s.result.status !== 'ok')) console.log(`  SHOULD not met: ${r.name}`);
    expect(failedMusts.map((r) => `${r.name}: ${r.result.status === 'ok' ? '' : r.result.reason}`)).toEqual([]);
  });
});

describe('CSRF prevention', () => {
  it.each([
    [
      'a form post',
      'application/x-www-form-urlencoded',
      'query=mutation%20%7B%20processTransaction(input%3A%7Bsignature%3A%22x%22%7D)%20%7B%20__typename%20%7D%20%7D',
    ],
    [
      'a text/plain post',
      'text/plain',
      JSON.stringify({ query: 'mutation { processTransaction(input: { signature: "0123456789abcdef0123" }) { __typename } }' }),
    ],
    ['a multipart post', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--'],
  ])('refuses %s (no preflight) with 415 and no upstream call', async (_name, contentType, body) => {
    stack.sandbox.calls.reset();
    const response = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(415);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses a mutation over GET', async () => {
    stack.sandbox.calls.reset();
    const query = encodeURIComponent('mutation { processTransaction(input: { signature: "0123456789abcdef0123" }) { __typename } }');
    const response = await fetch(`${stack.url}/graphql?query=${query}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(405);
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });

  it('allows the configured origins', async () => {
    for (const origin of ['https://shop.example', 'https://admin.shop.example']) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    }
    const actual = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('grants nothing to any other origin', async () => {
    const response = await preflight('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  it('sends no CORS headers at all when CORS_ORIGINS is unset', async () => {
    const plain = await startStack({ sharedSandbox: stack.sandbox });
    try {
      const response = await fetch(`${plain.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
