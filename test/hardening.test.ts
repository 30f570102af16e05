/**
 * What a request may ask for: depth, aliases, directives, tokens, cost, page size,
 * body size, broken JSON, batching, suggestions, introspection and GraphiQL. Every
 * refusal happens before any upstream call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/harness.js';

let open: Stack; // the built-in sandbox defaults: introspection and GraphiQL on
let closed: Stack; // as against a real upstream: both off
beforeAll(async () => {
  open = await startStack();
  closed = await startStack({ env: { INTROSPECTION: 'false', GRAPHIQL: 'false', MAX_DEPTH: '4', MAX_ALIASES: '3' } });
});
afterAll(async () => {
  await open.close();
  await closed.close();
});
beforeEach(() => {
  open.sandbox.calls.reset();
  closed.sandbox.calls.reset();
});

const deep = (levels: number) => {
  // currencies > paymentMethods > … cannot nest further, so nest through transactions' relations.
  const inner = 'currency { paymentMethods { id } }';
  const body = levels >= 6 ? `transactions { edges { node { ${inner} } } }` : 'currencies { id }';
  return `{ ${body} }`;
};

describe('operation limits (GraphQL Armor)', () => {
  it('refuses a query deeper than MAX_DEPTH, with no upstream call', async () => {
    const response = await closed.gql(deep(6));
    expect(response.errors?.[0].message).toMatch(/depth/i);
    expect(response.data).toBeUndefined();
    expect(closed.sandbox.calls.count()).toBe(0);
  });

  it('accepts the same query under the default depth of 10', async () => {
    const response = await open.gql(deep(6));
    expect(response.errors).toBeUndefined();
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const response = await closed.gql('{ a: currencies { id } b: currencies { id } c: currencies { id } d: currencies { id } }');
    expect(response.errors?.[0].message).toMatch(/aliases/i);
    expect(closed.sandbox.calls.count()).toBe(0);
  });

  it('refuses 31 aliases by default', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: currencies { id }`).join(' ');
    const response = await open.gql(`{ ${aliases} }`);
    expect(response.errors?.[0].message).toMatch(/aliases/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses too many directives', async () => {
    const directives = Array.from({ length: 21 }, () => '@include(if: true)').join(' ');
    const response = await open.gql(`{ currencies ${directives} { id } }`);
    expect(response.errors?.[0].message).toMatch(/directives/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses more than 1,000 tokens', async () => {
    const fields = Array.from({ length: 1100 }, () => 'id').join(' ');
    const response = await open.gql(`{ currencies { ${fields} } }`);
    expect(response.errors?.[0].message).toMatch(/token/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses an operation over the cost limit', async () => {
    const costly = await startStack({ sharedSandbox: open.sandbox, env: { MAX_COST: '20' } });
    try {
      open.sandbox.calls.reset();
      const response = await costly.gql('{ transactions(first: 5) { edges { node { id amount status currency { code name symbol paymentMethods { id name isActive } } } } } }');
      expect(response.errors?.[0].message).toMatch(/cost/i);
      expect(open.sandbox.calls.count()).toBe(0);
    } finally {
      await costly.close();
    }
  });

  it('caps first on connections at 100 with a VALIDATION error', async () => {
    const response = await open.gql('{ transactions(first: 500) { totalCount } }');
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION', field: 'first' });
    expect(open.sandbox.calls.count()).toBe(0);
  });
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
    expect(suggestion.errors?.[0].message).toMatch(/Did you mean/);
    const page = await fetch(`${open.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/KS Pay gateway/);
  });

  it('are off when configured (the default against a real upstream)', async () => {
    const introspection = await closed.gql('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0].message).toMatch(/introspection/i);
    const suggestion = await closed.gql('{ currencie { id } }');
    expect(suggestion.errors?.[0].message).not.toMatch(/Did you mean/);
    const page = await fetch(`${closed.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
    expect(closed.sandbox.calls.count()).toBe(0);
  });

  it('defaults to off against a configured upstream', async () => {
    const { loadConfig } = await import('../src/config.js');
    const config = loadConfig({ KSPAY_BASE_URL: 'https://pay.example', KSPAY_APP_ID: 'ap_Merchant1', KSPAY_ACCESS_KEY: 'a', KSPAY_SECRET_KEY: 'b', GATEWAY_AUTH: 'off' });
    expect(config.introspection).toBe(false);
    expect(config.graphiql).toBe(false);
  });
});
