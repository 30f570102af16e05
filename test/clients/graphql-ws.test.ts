/**
 * graphql-ws (the WebSocket protocol of Apollo's GraphQLWsLink, urql's and Relay's
 * subscription transports) on /graphql, against the gateway in production mode: the key
 * in connectionParams, the same caps, limits and trusted documents as HTTP.
 */
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { TransactionUpdatedDocument } from '../../examples/gql/graphql.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { WATCH } from '../support/documents.js';
import { processedPayment } from '../support/payment-stages.js';

const KEY = 'ws-client-key-0123456789';
const CATALOG_KEY = 'ws-catalog-key-0123456789';
const production = {
  GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'], [CATALOG_KEY]: ['catalog:read'] }),
  INTROSPECTION: 'false',
  GRAPHIQL: 'false',
};
const auth = { authorization: `Bearer ${KEY}` };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { ...production, MAX_SUBSCRIPTIONS_PER_KEY: '2' },
    headers: auth,
    overrides: { live: { poll: { minIntervalMs: 100, maxIntervalMs: 400 } } },
  });
});
afterAll(() => stack.close());

const wsUrl = () => `${stack.url.replace(/^http/, 'ws')}/graphql`;
const clients: Client[] = [];
function client(connectionParams?: Record<string, unknown>, url = wsUrl()): Client {
  const c = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  clients.push(c);
  return c;
}
afterAll(async () => {
  for (const c of clients) await c.dispose();
});

/** Every event of one operation, until it completes or fails. */
function run(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: any[] = [];
  const done = new Promise<any[]>((resolve, reject) =>
    c.subscribe({ query, variables }, { next: (event) => events.push(event), error: reject, complete: () => resolve(events) }),
  );
  return { events, done };
}

describe('graphql-ws', () => {
  it('subscribes with the key in connectionParams and follows a payment to SUCCESS', async () => {
    const { id, checkoutUrl } = await processedPayment(stack);
    const c = client({ authorization: `Bearer ${KEY}` });
    const watch = run(c, WATCH, { id });
    await expect.poll(() => watch.events.length, { timeout: 10_000 }).toBe(1);
    expect(watch.events[0].data.transactionUpdated).toEqual({ id, status: 'PROCESSING' });
    await pressCheckout(checkoutUrl, 'pay');
    const events = await watch.done;
    expect(events.at(-1).data.transactionUpdated).toEqual({ id, status: 'SUCCESS' });
  });

  it('accepts { apiKey } too, and runs queries', async () => {
    const { done } = run(client({ apiKey: KEY }), '{ currencies { code } }');
    expect((await done)[0].data.currencies.length).toBeGreaterThan(0);
  });

  it('refuses a socket without a key or with an unknown one (4403), before any upstream call', async () => {
    stack.sandbox.calls.reset();
    for (const params of [undefined, { apiKey: 'not-a-key-0123456789' }]) {
      const failure = await run(client(params), '{ currencies { code } }').done.catch((error) => error);
      expect(failure.code).toBe(4403);
    }
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it("applies the key's scopes", async () => {
    const { done } = run(client({ apiKey: CATALOG_KEY }), '{ transaction(id: "tx_AnyAnyAny1") { id } }');
    expect((await done)[0].errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('counts WebSocket subscriptions in MAX_SUBSCRIPTIONS_PER_KEY, and a completed one gives its slot back', async () => {
    const { id } = await processedPayment(stack);
    const c = client({ apiKey: KEY });
    const first = run(c, WATCH, { id });
    const second = run(c, WATCH, { id });
    await expect.poll(() => first.events.length + second.events.length, { timeout: 10_000 }).toBe(2);
    const third = await run(c, WATCH, { id }).done.catch((errors) => errors);
    expect(third[0].errors[0].extensions.code).toBe('RATE_LIMITED');
    // A second socket with the same key shares the allowance.
    const other = await run(client({ apiKey: KEY }), WATCH, { id }).done.catch((errors) => errors);
    expect(other[0].errors[0].extensions.code).toBe('RATE_LIMITED');
    await c.dispose();
    const again = run(client({ apiKey: KEY }), WATCH, { id });
    await expect.poll(() => again.events.length, { timeout: 10_000 }).toBe(1);
  });

  it('applies the query limits (Armor) and refuses a message larger than MAX_BODY_BYTES', async () => {
    const deep = `{ currencies { ${'paymentMethods { currency { '.repeat(6)}id${' } }'.repeat(6)} } }`;
    const limited = await run(client({ apiKey: KEY }), deep).done.catch((errors) => errors);
    expect(limited[0].message).toMatch(/depth/i);

    const huge = `{ currencies { id ${' '.repeat(70_000)} } }`;
    const printed = vi.spyOn(console, 'error');
    try {
      const closed = await run(client({ apiKey: KEY }), huge).done.catch((error) => error);
      expect(closed.code).toBe(1009);
      // A refused message is the client's error, logged as one line: no RangeError stack on the console.
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('only upgrades the exact path /graphql', async () => {
    const failure = await run(client({ apiKey: KEY }, `${stack.url.replace(/^http/, 'ws')}/graphql/`), '{ currencies { id } }').done.catch((error) => error);
    expect(failure).toBeTruthy();
    const other = new WebSocket(`${stack.url.replace(/^http/, 'ws')}/other`, 'graphql-transport-ws');
    const status = await new Promise((resolve) => other.on('unexpected-response', (_req, res) => resolve(res.statusCode)).on('error', () => resolve('error')));
    expect(status).toBe(404);
  });

  it('runs trusted documents only, with PERSISTED_OPERATIONS=only', async () => {
    const only = await startStack({ sharedSandbox: stack.sandbox, env: { ...production, PERSISTED_OPERATIONS: 'only' } });
    try {
      const c = client({ apiKey: KEY }, `${only.url.replace(/^http/, 'ws')}/graphql`);
      const refused = await run(c, '{ currencies { id } }').done.catch((errors) => errors);
      expect(refused[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      const { id } = await processedPayment(stack);
      const hash = (TransactionUpdatedDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
      const events: any[] = [];
      c.subscribe({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash.slice(7) } }, variables: { id } } as never, {
        next: (event) => events.push(event),
        error: () => undefined,
        complete: () => undefined,
      });
      await expect.poll(() => events.length, { timeout: 10_000 }).toBe(1);
      expect(events[0].data.transactionUpdated).toMatchObject({ __typename: 'Transaction', id, status: 'PROCESSING' });
    } finally {
      await only.close();
    }
  });
});
