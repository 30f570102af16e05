/**
 * A request the client got wrong before any field ran (a required variable missing, one of
 * the wrong type, an operation the document lacks) is answered as the client's mistake:
 * `BAD_USER_INPUT`, and logged and counted so, in production mode, with no upstream call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const KEY = 'first-hour-key-0123456789';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    captureLogs: true,
    env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' },
    headers: { 'x-api-key': KEY },
  });
});
afterAll(async () => {
  await stack?.close();
});

const TRANSACTION = 'query Lookup($id: ID!) { transaction(id: $id) { id } }';

async function outcomes(operation: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(
    new RegExp(`^kspay_gateway_graphql_operations_total\\{[^}]*operation="${operation}"[^}]*outcome="(\\w+)"[^}]*\\} (\\d+)`, 'gm'),
  )) {
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

describe('a developer’s first hour: request errors are the client’s', () => {
  it.each([
    ['a missing required variable', TRANSACTION, {}, 'Lookup', /Variable "\$id" of required type "ID!" was not provided/],
    ['a variable of the wrong type', TRANSACTION, { id: 5.5 }, 'Lookup', /Variable "\$id" got invalid value 5\.5/],
    [
      'an input object missing a field',
      'mutation Pay($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { __typename } }',
      { input: { amount: '1' } },
      'Pay',
      /Variable "\$input"/,
    ],
  ])('%s: BAD_USER_INPUT, counted and logged so, no upstream call', async (_name, query, variables, operation, message) => {
    const upstreamBefore = stack.sandbox.calls.count();
    const answer = await stack.gql(query, variables);
    expect(answer.errors!.length).toBeGreaterThan(0);
    expect(answer.errors![0]!.message).toMatch(message);
    for (const error of answer.errors!) expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(stack.sandbox.calls.count()).toBe(upstreamBefore);

    expect(await outcomes(operation)).toMatchObject({ BAD_USER_INPUT: expect.any(Number) });
    expect(Object.keys(await outcomes(operation))).toEqual(['BAD_USER_INPUT']);
    const lines = stack.logs().map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.msg === 'masked error')).toEqual([]);
    expect(lines.filter((line) => line.operation === operation).at(-1)).toMatchObject({
      outcome: 'BAD_USER_INPUT',
      errorCodes: answer.errors!.map(() => 'BAD_USER_INPUT'),
    });
  });
});
