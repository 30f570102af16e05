/**
 * Issue 21, item 1: one request pipeline. The front door's stages are one ordered list;
 * `x-request-id` is set in one place and reaches every kind of answer; the request policy
 * (caller, document, limits, schema hints) is built in one module that HTTP, yoga's plugins
 * and graphql-ws all take; operation reports are built once. The structural checks read the
 * source (like depcruise does), the behavioural ones go over real HTTP.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? (entry.name === 'sandbox' ? [] : sourceFiles(join(dir, entry.name))) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The files of src/ (the sandbox, a server of its own, aside) whose text matches `pattern`, relative to src/. */
function filesMatching(pattern: RegExp): string[] {
  return sourceFiles()
    .filter((file) => pattern.test(readFileSync(file, 'utf8')))
    .map((file) => file.slice(SRC.length))
    .sort();
}

describe('one pipeline, written once', () => {
  it('the front door runs its stages as one ordered list: request id → route → framing → auth → cache → execute → yoga', () => {
    const frontDoor = readFileSync(join(SRC, 'http/front-door.ts'), 'utf8');
    expect(frontDoor).toMatch(/const STAGES = \[requestId, route, framing, auth, cache, execute, yoga\];/);
  });

  it('sets x-request-id in one place', () => {
    expect(filesMatching(/setRequestId\(/)).toEqual(['http/front-door.ts', 'http/request-id.ts']);
    expect(readFileSync(join(SRC, 'http/front-door.ts'), 'utf8').match(/setRequestId\(/g)).toHaveLength(1);
    // Nothing else writes the header by its name (CORS only lists it among allowed and exposed headers).
    expect(filesMatching(/\bREQUEST_ID\b/)).toEqual(['http/cors.ts', 'http/request-id.ts']);
  });

  it('builds the request policy in one module, which HTTP, the yoga plugins and graphql-ws take', () => {
    for (const makes of [/createAuthenticator\(/, /createDocumentResolver\(/, /createSchemaHintFilter\(/]) {
      const callers = filesMatching(makes).filter((file) => !readFileSync(join(SRC, file), 'utf8').includes(`export function ${makes.source.slice(0, -2)}`));
      expect(callers).toEqual(['http/request-policy.ts']);
    }
    expect(filesMatching(/RequestPolicy\b/)).toEqual(expect.arrayContaining(['app.ts', 'http/cached-graphql.ts', 'http/websocket.ts', 'yoga.ts']));
  });

  it('builds the operation reports once, for yoga and the response cache alike', () => {
    expect(filesMatching(/createOperationReports\(logger, metrics\)/)).toEqual(['app.ts']);
    // yoga's plugin and the cache take what app.ts made; neither builds a reporter of its own.
    expect(filesMatching(/create\w*Report\w*\(/)).toEqual(['app.ts', 'observability/operation-report.ts']);
  });
});

describe('every answer carries the request id', () => {
  let stack: Stack;
  const KEY = 'pipeline-test-key-0123456789';
  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), CORS_ORIGINS: 'https://shop.example' } });
  });
  afterAll(() => stack.close());

  const CATALOG = '{ currencies { code } }';
  const post = (body: string, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
    body,
  });

  it('from every stage: refusals, preflight, health, yoga, a cache miss, a hit and a 304', async () => {
    const get = `/graphql?query=${encodeURIComponent(CATALOG)}`;
    const asKey = { authorization: `Bearer ${KEY}` };
    const first = await fetch(`${stack.url}${get}`, { headers: asKey });
    const etag = first.headers.get('etag')!;
    const answers: [string, string, RequestInit, number][] = [
      ['route: not found', '/nowhere', {}, 404],
      ['framing: a method', '/graphql', { method: 'PUT' }, 405],
      ['framing: a content type', '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415],
      ['framing: a preflight', '/graphql', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } }, 204],
      ['auth: no key', '/graphql', post(JSON.stringify({ query: CATALOG }), { authorization: '' }), 401],
      ['health', '/healthz', {}, 200],
      ['yoga', '/graphql', post(JSON.stringify({ query: '{ transactions(first: 1) { edges { cursor } } }' })), 200],
      ['cache: a miss', '/graphql', post(JSON.stringify({ query: '{ currencies { name } }' })), 200],
      ['cache: a hit', '/graphql', post(JSON.stringify({ query: '{ currencies { name } }' })), 200],
      ['cache: a 304', get, { headers: { ...asKey, 'if-none-match': etag } }, 304],
    ];
    for (const [what, path, init, status] of answers) {
      const id = `pipeline-${what.replace(/\W+/g, '-')}`;
      const response = await fetch(`${stack.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-request-id': id } });
      await response.arrayBuffer();
      expect({ what, status: response.status, id: response.headers.get('x-request-id') }).toEqual({ what, status, id });
    }
  });

  it("a cached GET's Vary keeps CORS's Origin beside Accept and the key", async () => {
    const url = `${stack.url}/graphql?query=${encodeURIComponent('{ currencies { symbol } }')}`;
    for (let i = 0; i < 2; i++) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${KEY}`, origin: 'https://shop.example' } });
      await response.arrayBuffer();
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(response.headers.get('vary')).toBe('Origin, Accept, Authorization, X-Api-Key');
    }
  });
});
