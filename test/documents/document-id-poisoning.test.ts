/**
 * Issue 26, finding 4: with PERSISTED_OPERATIONS=only, a POST carrying a query text and the
 * documentId of a trusted catalog document ran the trusted document and stored its answer
 * under the *text*; the bare text, refused before, was then answered 200 with the other
 * document's data (over GET too). Now a document id and a query text sent together must be
 * one document (the text's sha256), or the request is refused (BAD_REQUEST, no upstream call,
 * nothing stored), in `only` and `allow` modes, over POST and GET; and the response cache
 * never answers or stores a request that names a document by id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../../examples/gql/persisted-documents.json' with { type: 'json' };
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A } from '../support/presets.js';

const [catalogId, catalogText] = Object.entries(manifest).find(([, text]) => text.startsWith('query Catalog'))!;
const BARE = '{ currencies { id } }';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

async function post(stack: Stack, body: Record<string, unknown>) {
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AS_A },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...(await response.json()) };
}

async function get(stack: Stack, params: Record<string, string>) {
  const response = await fetch(`${stack.url}/graphql?${new URLSearchParams(params)}`, { headers: { accept: 'application/json', ...AS_A } });
  return { status: response.status, ...(await response.json()) };
}

const apolloHash = (id: string) => JSON.stringify({ persistedQuery: { version: 1, sha256Hash: id.replace(/^sha256:/, '') } });

describe.each(['only', 'allow'] as const)('a client poisoning persisted ids: PERSISTED_OPERATIONS=%s', (mode) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ preset: 'production', env: { PERSISTED_OPERATIONS: mode }, sharedSandbox: sandbox });
  });
  afterAll(() => stack.close());

  it('refuses a query text sent with the id of another document, over POST and GET, with no upstream call', async () => {
    // Warm the catalog, so an answer to any of the requests below would need no upstream call.
    await post(stack, { documentId: catalogId });
    sandbox.calls.reset();
    const refusals = [
      await post(stack, { query: BARE, documentId: catalogId }),
      await post(stack, { query: BARE, extensions: JSON.parse(apolloHash(catalogId)) }),
      await get(stack, { query: BARE, documentId: catalogId }),
      await get(stack, { query: BARE, extensions: apolloHash(catalogId) }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(refusal.data).toBeUndefined();
      expect(refusal.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    expect(sandbox.calls.count()).toBe(0);
  });

  it("answers the bare text afterwards as its own document would be answered, never with the other document's data", async () => {
    await post(stack, { query: BARE, documentId: catalogId });
    await get(stack, { query: BARE, documentId: catalogId });
    for (const answer of [await post(stack, { query: BARE }), await get(stack, { query: BARE })]) {
      if (mode === 'only') {
        expect(answer.data).toBeUndefined();
        expect(answer.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      } else {
        expect(Object.keys(answer.data.currencies[0])).toEqual(['id']);
      }
    }
  });

  it('still runs a document id sent with its own text', async () => {
    const answer = await post(stack, { query: catalogText, documentId: catalogId });
    expect(answer.status).toBe(200);
    expect(answer.data.currencies.map((c: { code: string }) => c.code)).toContain('INR');
  });
});
