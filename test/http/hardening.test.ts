/**
 * What a request may carry over HTTP: body size, broken JSON, batching; and what it may
 * see: suggestions, introspection and GraphiQL. Every refusal happens before any upstream
 * call. (The per-operation limits are in operation-limits.test.ts.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let open: Stack; // the built-in sandbox defaults: introspection and GraphiQL on
let closed: Stack; // as against a real upstream: both off
beforeAll(async () => {
  open = await startStack();
  closed = await startStack({ env: { INTROSPECTION: 'false', GRAPHIQL: 'false' } });
});
afterAll(async () => {
  await open.close();
  await closed.close();
});
beforeEach(() => {
  open.sandbox.calls.reset();
  closed.sandbox.calls.reset();
});

describe('HTTP requests', () => {
  const post = (stack: Stack, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${stack.url}/graphql`, { method: 'POST', headers, body });

  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const query = `{ currencies { id } } # ${'x'.repeat(70 * 1024)}`;
    const response = await post(open, JSON.stringify({ query }));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].message).toMatch(/exceeds/);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('answers broken JSON with 400 and a clear message', async () => {
    const response = await post(open, '{"query": "{ currencies { id } }"');
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toMatch(/JSON/);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses batched requests (a JSON array of operations) by default', async () => {
    const response = await post(open, JSON.stringify([{ query: '{ currencies { id } }' }, { query: '{ currencies { code } }' }]));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('runs batched requests when BATCH_LIMIT allows them', async () => {
    const batching = await startStack({ sharedSandbox: open.sandbox, env: { BATCH_LIMIT: '2' } });
    try {
      const response = await post(batching, JSON.stringify([{ query: '{ currencies { id } }' }, { query: '{ currencies { code } }' }]));
      const bodies = await response.json();
      expect(bodies).toHaveLength(2);
      const tooMany = await post(batching, JSON.stringify(Array.from({ length: 3 }, () => ({ query: '{ currencies { id } }' }))));
      expect(tooMany.status).toBeGreaterThanOrEqual(400);
    } finally {
      await batching.close();
    }
  });
});

describe('introspection, suggestions and GraphiQL', () => {
  it('are on by default with the built-in sandbox', async () => {
    const introspection = await open.gql('{ __schema { queryType { name } } }');
    expect(introspection.data.__schema.queryType.name).toBe('Query');
    const suggestion = await open.gql('{ currencie { id } }');
    expect(suggestion.errors?.[0]!.message).toMatch(/Did you mean/);
    const page = await fetch(`${open.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/KS Pay gateway/);
  });

  it('are off when configured (the default against a real upstream)', async () => {
    const introspection = await closed.gql('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]!.message).toMatch(/introspection/i);
    const suggestion = await closed.gql('{ currencie { id } }');
    expect(suggestion.errors?.[0]!.message).not.toMatch(/Did you mean/);
    const page = await fetch(`${closed.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    expect(closed.sandbox.calls.count()).toBe(0);
  });

  it('defaults to off against a configured upstream', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const config = loadConfig({
      KSPAY_BASE_URL: 'https://pay.example',
      KSPAY_APP_ID: 'ap_Merchant1',
      KSPAY_ACCESS_KEY: 'a',
      KSPAY_SECRET_KEY: 'b',
      GATEWAY_AUTH: 'off',
    });
    expect(config.documents.introspection).toBe(false);
    expect(config.server.graphiql).toBe(false);
  });
});
