/**
 * Issue 22, items 1 and 2: the response cache for the requests real clients send. Each request
 * shape — plain POST, GET ?query, documentId POST and GET, automatic persisted queries (APQ)
 * POST and GET, Apollo Client 4's default body — is answered from the cache with exact hit and
 * miss counts, in `allow` and `only` mode; the cache keys on the document that runs (a trusted
 * document by id and its text share one entry); GETs by id carry ETag, Cache-Control and Vary
 * and answer 304; an unknown extension, or an id sent with another document's text, is never
 * cached. Counts, never times.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import manifest from '../../examples/gql/persisted-documents.json' with { type: 'json' };
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A } from '../support/presets.js';

const [CATALOG_ID, CATALOG_TEXT] = Object.entries(manifest).find(([, text]) => text.startsWith('query Catalog'))!;
const CATALOG_HASH = CATALOG_ID.replace(/^sha256:/, '');
const APQ = { persistedQuery: { version: 1, sha256Hash: CATALOG_HASH } };
/** What Apollo Client 4's HttpLink sends by default: every request carries `extensions.clientLibrary`. */
const APOLLO_4 = { clientLibrary: { name: '@apollo/client', version: '4.0.0' } };

type Shape = { method: 'POST'; body: Record<string, unknown> } | { method: 'GET'; params: Record<string, string> };

const SHAPES: Record<string, Shape> = {
  'plain POST': { method: 'POST', body: { query: CATALOG_TEXT } },
  'GET ?query': { method: 'GET', params: { query: CATALOG_TEXT } },
  'documentId POST': { method: 'POST', body: { documentId: CATALOG_ID } },
  'documentId GET': { method: 'GET', params: { documentId: CATALOG_ID } },
  'APQ POST (hash only)': { method: 'POST', body: { extensions: APQ } },
  'APQ GET (hash only)': { method: 'GET', params: { extensions: JSON.stringify(APQ) } },
  'APQ POST (hash and its query)': { method: 'POST', body: { query: CATALOG_TEXT, extensions: APQ } },
  'Apollo Client 4 default body': { method: 'POST', body: { operationName: 'Catalog', variables: {}, extensions: APOLLO_4, query: CATALOG_TEXT } },
  'Apollo Client 4 persisted, by GET': {
    method: 'GET',
    params: { operationName: 'Catalog', variables: '{}', extensions: JSON.stringify({ ...APOLLO_4, ...APQ }) },
  },
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

/**
 * Each request shape asks with an Accept header of its own (part of the cache key), so the
 * shapes do not share entries and every count below is its own.
 */
let acceptSerial = 0;
const distinctAccept = () => `application/graphql-response+json, application/json;q=0.${++acceptSerial}`;

async function send(stack: Stack, shape: Shape, headers: Record<string, string>) {
  const all = { ...AS_A, ...headers };
  if (shape.method === 'GET') return fetch(`${stack.url}/graphql?${new URLSearchParams(shape.params)}`, { headers: all });
  return fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...all }, body: JSON.stringify(shape.body) });
}

async function counts(stack: Stack) {
  const metrics = await (await fetch(`${stack.url}/metrics`)).text();
  const read = (series: string) => Number(new RegExp(`^${series} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  return {
    hits: read('kspay_gateway_response_cache_lookups_total\\{result="hit"\\}'),
    misses: read('kspay_gateway_response_cache_lookups_total\\{result="miss"\\}'),
    upstream: sandbox.calls.count(),
  };
}

/** Sends `shape` once, then `repeats` times more; the change in hits, misses and upstream calls. */
async function countsFor(stack: Stack, shape: Shape, repeats: number, accept = distinctAccept()) {
  const before = await counts(stack);
  const answers = [];
  for (let i = 0; i <= repeats; i++) {
    const response = await send(stack, shape, { accept });
    answers.push({ status: response.status, body: await response.json() });
  }
  const after = await counts(stack);
  return { hits: after.hits - before.hits, misses: after.misses - before.misses, upstream: after.upstream - before.upstream, answers };
}

describe.each(['allow', 'only'] as const)('PERSISTED_OPERATIONS=%s', (mode) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ preset: 'production', env: { PERSISTED_OPERATIONS: mode }, sharedSandbox: sandbox });
    // Warm the catalog and, in `allow`, register the catalog document as an automatic persisted query.
    await send(stack, { method: 'POST', body: { query: CATALOG_TEXT, extensions: APQ } }, {});
  });
  afterAll(() => stack.close());
  beforeEach(() => sandbox.calls.reset());

  const refusedInOnly = new Set(['plain POST', 'GET ?query', 'Apollo Client 4 default body']);
  for (const [name, shape] of Object.entries(SHAPES)) {
    if (mode === 'only' && refusedInOnly.has(name)) {
      it(`${name}: refused (only trusted documents run), never counted by the cache`, async () => {
        const { hits, misses, upstream, answers } = await countsFor(stack, shape, 2);
        expect({ hits, misses, upstream }).toEqual({ hits: 0, misses: 0, upstream: 0 });
        for (const { body } of answers) expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      });
      continue;
    }
    it(`${name}: one miss, then every repeat a hit, with no upstream call`, async () => {
      const { hits, misses, upstream, answers } = await countsFor(stack, shape, 3);
      expect({ hits, misses, upstream }).toEqual({ hits: 3, misses: 1, upstream: 0 });
      for (const { status, body } of answers) {
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect(body.data.currencies.map((c: { code: string }) => c.code)).toContain('INR');
      }
    });
  }

  it('keys on the document that runs: a trusted document by id finds the entry its text stored, by POST and GET', async () => {
    const accept = distinctAccept();
    const first = await countsFor(stack, { method: 'POST', body: { documentId: CATALOG_ID } }, 0, accept);
    expect(first.misses).toBe(1);
    const others = [SHAPES['documentId GET']!, SHAPES['APQ POST (hash only)']!, SHAPES['APQ GET (hash only)']!];
    for (const shape of others) expect(await countsFor(stack, shape, 0, accept)).toMatchObject({ hits: 1, misses: 0, upstream: 0 });
  });

  it('GET by documentId and by APQ hash: ETag, Cache-Control, Vary, and 304 to If-None-Match', async () => {
    for (const shape of [SHAPES['documentId GET']!, SHAPES['APQ GET (hash only)']!]) {
      const accept = distinctAccept();
      const first = await send(stack, shape, { accept });
      await first.arrayBuffer();
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"c\d+-/);
      // AS_A is a `*` key: its answers are for no one else.
      expect(first.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      expect(first.headers.get('vary')).toBe('Accept, Authorization, X-Api-Key');
      const before = await counts(stack);
      const again = await send(stack, shape, { accept, 'if-none-match': etag! });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('x-request-id')).toBeTruthy();
      expect(await again.text()).toBe('');
      expect((await counts(stack)).hits - before.hits).toBe(1);
    }
  });

  it("a POST whose body spells a GET's URL is not that GET's hit", async () => {
    const accept = distinctAccept();
    const path = `/graphql?${new URLSearchParams({ documentId: CATALOG_ID })}`;
    await countsFor(stack, { method: 'GET', params: { documentId: CATALOG_ID } }, 1, accept);
    const before = await counts(stack);
    for (const body of [`GET ${path}`, `GET\n${path}`]) {
      const response = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...AS_A }, body });
      expect(response.status).toBe(400);
      await response.arrayBuffer();
    }
    expect((await counts(stack)).hits - before.hits).toBe(0);
  });

  it('an extension that could change the answer keeps a request out of the cache', async () => {
    const shape: Shape = { method: 'POST', body: { documentId: CATALOG_ID, extensions: { somethingElse: true } } };
    const { hits, misses, answers } = await countsFor(stack, shape, 2);
    expect({ hits, misses }).toEqual({ hits: 0, misses: 0 });
    for (const { status } of answers) expect(status).toBe(200);
  });

  it('a document id sent with another text is refused, never cached under either, and no upstream call', async () => {
    const accept = distinctAccept();
    const poisoning: Shape = { method: 'POST', body: { query: '{ currencies { id } }', documentId: CATALOG_ID } };
    const { hits, misses, upstream, answers } = await countsFor(stack, poisoning, 2, accept);
    expect({ hits, misses, upstream }).toEqual({ hits: 0, misses: 0, upstream: 0 });
    for (const { status, body } of answers) {
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    const trusted = await countsFor(stack, SHAPES['documentId POST']!, 0, accept);
    expect(trusted.misses).toBe(1); // nothing was stored for the id by the refused requests
  });
});
