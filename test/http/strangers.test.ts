/**
 * Finding 1: strangers were parsed and validated before their key was checked (the schema
 * could be read without a key), and any operation name became a metric label and a log
 * field. Now a request without a valid key is answered 401 on its raw headers, before
 * anything is parsed, with no word about the schema; and operation names reach metrics
 * and logs only bounded.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A, KEY_A, KEY_B } from '../support/presets.js';
import { rawRequest } from '../support/raw-http.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    captureLogs: true,
    env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY_A]: ['*'], [KEY_B]: ['catalog:read'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' },
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  rawRequest(stack.url, { path: '/graphql', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Every name the schema would reveal to a stranger. */
const SCHEMA_WORDS = /transaction|currenc|payment|Query|Mutation|Cannot query|Did you mean|Syntax Error/i;

describe('a stranger without a key: a stranger gets 401 and nothing else', () => {
  it.each([
    ['a misspelt field', { query: '{ transactionz }' }],
    ['a valid query', { query: '{ currencies { id } }' }],
    ['introspection', { query: '{ __schema { types { name } } }' }],
    ['a syntax error', { query: '{ currencies { ' }],
    ['a mutation', { query: 'mutation { initiateTransaction }' }],
    ['no query at all', { variables: {} }],
  ])('%s without a key', async (_name, body) => {
    const answer = await post(body);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(answer.body).not.toMatch(SCHEMA_WORDS);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('the same for an unknown key, a key in the wrong header, an absurdly long key, and over GET', async () => {
    const answers = [
      await post({ query: '{ transactionz }' }, { authorization: 'Bearer not-a-key-of-ours-1234567' }),
      await post({ query: '{ transactionz }' }, { authorization: KEY_A }), // no "Bearer"
      await post({ query: '{ transactionz }' }, { 'x-api-key': 'k'.repeat(10_000) }),
      await rawRequest(stack.url, { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ transactionz }')}` }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).not.toMatch(SCHEMA_WORDS);
    }
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('a key with a valid key reads the schema errors as before (the control)', async () => {
    const answer = await post({ query: '{ transactionz }' }, AS_A);
    expect(answer.status).not.toBe(401);
    expect(JSON.parse(answer.body).errors[0].message).toMatch(/Cannot query field "transactionz"/);
  });

  it('refusals are logged and counted with fixed labels only', async () => {
    const name = `Probe${'x'.repeat(500)}`;
    await post({ query: `query ${name} { currencies { id } }`, operationName: name }, { 'x-request-id': 'stranger-probe-1' });
    const line = stack
      .logs()
      .map((l) => JSON.parse(l))
      .find((entry) => entry.requestId === 'stranger-probe-1');
    expect(line).toMatchObject({ msg: 'request refused', status: 401, reason: 'unauthenticated' });
    expect(JSON.stringify(line)).not.toContain('Probe');
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/kspay_gateway_http_refusals_total\{reason="unauthenticated"\} [1-9]/);
    expect(metrics).not.toContain('Probe');
  });
});

describe('a stranger without a key: operation names are bounded in metrics and logs', () => {
  it('keeps at most 50 operation labels (then "other"), and at most 64 characters of a name in a log line', async () => {
    const long = `Long${'y'.repeat(12_000)}`; // within MAX_DOCUMENT_BYTES (16 KB)
    await post({ query: `query ${long} { currencies { id } }` }, { ...AS_A, 'x-request-id': 'long-name-1' });
    for (let i = 0; i < 150; i++) {
      const answer = await post({ query: `query Random${i}x${Math.random().toString(36).slice(2)} { currencies { id } }` }, AS_A);
      expect(answer.status).toBe(200);
    }
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    const labels = new Set([...metrics.matchAll(/kspay_gateway_graphql_operations_total\{operation="([^"]*)"/g)].map((m) => m[1]));
    // 50 names, then "other", beside "anonymous" for unnamed operations.
    expect(labels.size).toBeLessThanOrEqual(52);
    expect([...labels].every((label) => label!.length <= 64)).toBe(true);
    expect(labels).toContain('other');
    expect(metrics.length).toBeLessThan(200_000);

    const line = stack
      .logs()
      .map((l) => JSON.parse(l))
      .find((entry) => entry.requestId === 'long-name-1' && entry.msg === 'graphql operation');
    expect(line.operation.length).toBeLessThanOrEqual(65);
    expect(line.operation.startsWith('Longyyy')).toBe(true);
  });
});
