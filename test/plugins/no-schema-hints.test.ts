/**
 * With introspection off, error messages must not reveal the schema: no "Did you mean …?",
 * and no type, field, argument or enum value that the client did not write itself. Probed
 * over HTTP in production mode: validation, variable coercion, subscriptions and execution.
 */
import type { Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '../../src/context.js';
import type { Currency } from '../../src/kspay/models.js';
import { startStack, type Stack } from '../support/stack.js';
import { INITIATE, leakedNames, PROBES, VALID_INPUT } from '../support/schema-leaks.js';
import { subscribe } from '../support/sse.js';

const KEY = 'suggestions-key-0123456789';
const PRODUCTION = { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' };
const AUTH = { authorization: `Bearer ${KEY}` };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: PRODUCTION, headers: AUTH });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

describe('a client mapping the schema: error messages with introspection off', () => {
  it('name nothing of the schema that the client did not write, and suggest nothing', async () => {
    const leaks: { probe: string; message: string; leaked: string[] }[] = [];
    for (const [query, variables] of PROBES) {
      const probe = `${query} ${JSON.stringify(variables ?? {})}`;
      const response = await stack.gql(query, variables);
      expect(response.errors?.length, probe).toBeGreaterThan(0);
      for (const { message } of response.errors ?? []) {
        const leaked = leakedNames(message, probe);
        if (leaked.length || /Did you mean|Suggestion/.test(message)) leaks.push({ probe, message, leaked });
      }
    }
    expect(leaks).toEqual([]);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('hide the enum value a misspelt default was meant to be', async () => {
    const response = await stack.gql('query($s: TransactionStatus = SUCES) { transactions { totalCount } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({
      message: 'Value "SUCES" does not exist in "TransactionStatus" enum.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('hide the input field a misspelt variable field was meant to be, and which fields are required', async () => {
    const response = await stack.gql(INITIATE, { i: { ...VALID_INPUT, currencyId: undefined, currencyID: 'x' } });
    expect(response.status).toBe(400);
    const messages = response.errors?.map((e) => e.message).join('\n');
    expect(messages).toContain('Field "currencyID" is not defined by type "InitiateTransactionInput".'); // the client named that type
    expect(messages).toContain('A required input field was not provided.');
    expect(messages).not.toContain('currencyId');
  });

  it('still say what is wrong with what the client wrote, where it is', async () => {
    const response = await stack.gql('{ currencies { idd } }');
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      { message: 'Cannot query field "idd" on this type.', locations: [{ line: 1, column: 16 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
  });

  it('hold for subscriptions over SSE too', async () => {
    const probes: [string, Record<string, unknown>][] = [
      ['subscription($id: ID!) { transactionUpdated(id: $id) { stat } }', { id: 'tx_Abcdefghi' }],
      ['subscription($id: ID!) { transactionUpdated(iid: $id) { status } }', { id: 'tx_Abcdefghi' }],
      ['subscription($id: TransactionStatus!) { transactionUpdated(id: $id) { status } }', { id: 'SUCES' }],
    ];
    for (const [query, variables] of probes) {
      const stream = subscribe(stack.url, query, variables, AUTH);
      const { errors } = await stream.next();
      stream.close();
      expect(errors?.length).toBeGreaterThan(0);
      for (const { message } of errors ?? []) {
        expect(message).not.toMatch(/Did you mean/);
        expect(leakedNames(message, `${query} ${JSON.stringify(variables)}`), message).toEqual([]);
      }
    }
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});

describe("a client mapping the schema: the executor's own errors with introspection off", () => {
  /** Serves the currency list through `change`, as a future KS Pay (or a bug) might shape it. */
  function currenciesChangedBy(change: (currencies: Currency[]) => unknown): Plugin {
    return {
      onContextBuilding({ context, extendContext }) {
        const { loaders } = context as unknown as Context;
        extendContext({ loaders: { ...loaders, allCurrencies: async () => change(await loaders.allCurrencies()) } } as never);
      },
    };
  }

  it.each([
    // graphql-tools' executor already masks this one (it rethrows as a plain Error); kept as a guard.
    [
      'an enum value the schema cannot represent',
      (all: Currency[]) => all.map((c) => ({ ...c, type: 'STABLECOIN' })),
      '{ currencies { code type } }',
      ['currencies', 0, 'type'],
    ],
    // This one comes back as a GraphQLError naming "Query.currencies", which yoga does not mask.
    ['a list that is not one', () => ({ STABLECOIN: true }), '{ currencies(includeInactive: true) { code } }', ['currencies']],
  ])('are masked: %s', async (_name, change, query, path) => {
    const odd = await startStack({ env: PRODUCTION, headers: AUTH, sharedSandbox: stack.sandbox, overrides: { plugins: [currenciesChangedBy(change)] } });
    try {
      const response = await odd.gql(query);
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]).toMatchObject({ message: 'Unexpected error.', path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(response)).not.toMatch(/Query|Currency|STABLECOIN/);
    } finally {
      await odd.close();
    }
  });
});
