/**
 * What one operation may ask for (GraphQL Armor and the page size): depth, aliases,
 * directives, tokens, cost and `first`. Every refusal happens before any upstream call.
 * Schema-level: through yoga's fetch, against a real sandbox.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type FetchStack } from '../support/stack.js';

let open: FetchStack; // the built-in sandbox's defaults
let closed: FetchStack; // tighter limits, as configured against a real upstream
beforeAll(async () => {
  open = await startStack({ transport: 'fetch' });
  closed = await startStack({
    transport: 'fetch',
    sharedSandbox: open.sandbox,
    env: { INTROSPECTION: 'false', GRAPHIQL: 'false', MAX_DEPTH: '4', MAX_ALIASES: '3' },
  });
});
afterAll(async () => {
  await closed.close();
  await open.close();
});
beforeEach(() => open.sandbox.calls.reset());

const deep = (levels: number) => {
  // currencies > paymentMethods > … cannot nest further, so nest through transactions' relations.
  const inner = 'currency { paymentMethods { id } }';
  const body = levels >= 6 ? `transactions { edges { node { ${inner} } } }` : 'currencies { id }';
  return `{ ${body} }`;
};

describe('operation limits (GraphQL Armor)', () => {
  it('refuses a query deeper than MAX_DEPTH, with no upstream call', async () => {
    const response = await closed.gql(deep(6));
    expect(response.errors?.[0]!.message).toMatch(/depth/i);
    expect(response.data).toBeUndefined();
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('accepts the same query under the default depth of 10', async () => {
    const response = await open.gql(deep(6));
    expect(response.errors).toBeUndefined();
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const response = await closed.gql('{ a: currencies { id } b: currencies { id } c: currencies { id } d: currencies { id } }');
    expect(response.errors?.[0]!.message).toMatch(/aliases/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses 31 aliases by default', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: currencies { id }`).join(' ');
    const response = await open.gql(`{ ${aliases} }`);
    expect(response.errors?.[0]!.message).toMatch(/aliases/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses too many directives', async () => {
    const directives = Array.from({ length: 21 }, () => '@include(if: true)').join(' ');
    const response = await open.gql(`{ currencies ${directives} { id } }`);
    expect(response.errors?.[0]!.message).toMatch(/directives/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses more than 1,000 tokens', async () => {
    const fields = Array.from({ length: 1100 }, () => 'id').join(' ');
    const response = await open.gql(`{ currencies { ${fields} } }`);
    expect(response.errors?.[0]!.message).toMatch(/token/i);
    expect(open.sandbox.calls.count()).toBe(0);
  });

  it('refuses an operation over the cost limit', async () => {
    const costly = await startStack({ transport: 'fetch', sharedSandbox: open.sandbox, env: { MAX_COST: '20' } });
    try {
      open.sandbox.calls.reset();
      const response = await costly.gql(
        '{ transactions(first: 5) { edges { node { id amount status currency { code name symbol paymentMethods { id name isActive } } } } } }',
      );
      expect(response.errors?.[0]!.message).toMatch(/cost/i);
      expect(open.sandbox.calls.count()).toBe(0);
    } finally {
      await costly.close();
    }
  });

  it('caps first on connections at 100 with a VALIDATION error', async () => {
    const response = await open.gql('{ transactions(first: 500) { totalCount } }');
    expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'VALIDATION', field: 'first' });
    expect(open.sandbox.calls.count()).toBe(0);
  });
});
