/**
 * The schema-hint finding, over graphql-ws: graphql-ws parses and validates an operation
 * outside yoga's result pipeline, so its refusals ("Cannot query field "idd" on type
 * "Currency". Did you mean "id"?") reached clients unfiltered while HTTP hid them. The
 * same probes as over HTTP (test/abuse/suggestions.test.ts), in production mode.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack, type Stack } from '../support/stack.js';
import { leakedNames, PROBES } from '../support/schema-leaks.js';

const KEY = 'ws-suggestions-key-0123456789';
const PRODUCTION = { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' };

let stack: Stack;
let client: Client;
beforeAll(async () => {
  stack = await startStack({ env: PRODUCTION });
  client = createClient({ url: `${stack.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { apiKey: KEY }, retryAttempts: 0 });
});
afterAll(async () => {
  await client.dispose();
  await stack.close();
});

/** The errors graphql-ws delivers for one operation: an `error` message, or a result's `errors`. */
function errorsOf(query: string, variables: Record<string, unknown> = {}): Promise<{ message: string }[]> {
  return new Promise((resolve) => {
    const seen: { message: string }[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (result) => seen.push(...(result.errors ?? [])),
        error: (errors) => resolve(Array.isArray(errors) ? errors : [errors as { message: string }]),
        complete: () => resolve(seen),
      },
    );
  });
}

describe('a client mapping the schema over graphql-ws', () => {
  it('name nothing of the schema that the client did not write, and suggest nothing, over graphql-ws', async () => {
    stack.sandbox.calls.reset();
    const leaks: { probe: string; message: string; leaked: string[] }[] = [];
    for (const [query, variables] of PROBES) {
      const probe = `${query} ${JSON.stringify(variables ?? {})}`;
      const errors = await errorsOf(query, variables);
      expect(errors.length, probe).toBeGreaterThan(0);
      for (const { message } of errors) {
        const leaked = leakedNames(message, probe);
        if (leaked.length || /Did you mean|Suggestion/.test(message)) leaks.push({ probe, message, leaked });
      }
    }
    expect(leaks).toEqual([]);
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('still say what is wrong with what the client wrote', async () => {
    const [error] = await errorsOf('{ currencies { idd } }');
    expect(error!.message).toBe('Cannot query field "idd" on this type.');
  });
});
