/**
 * Issue 26, finding 6: 2,000 graphql-ws sockets with one catalog key were all acked and
 * stayed open, while the only cap, MAX_SUBSCRIPTIONS_PER_KEY, was a lever: one holder of a
 * storefront's (public) key could use up every customer's live updates. Now the limits that
 * protect the server count per client address, under a ceiling: MAX_WEBSOCKETS_PER_ADDRESS
 * (100) sockets, closed beyond it with 4429 and a reason; MAX_SUBSCRIPTIONS_PER_ADDRESS (100)
 * subscriptions; a socket with no operation and no message or ping for WEBSOCKET_IDLE_MS is
 * closed with 4000. Behind a trusted proxy the address is X-Forwarded-For's; otherwise that
 * header is ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A, KEY_A } from '../support/presets.js';
import { subscribe } from '../support/sse.js';
import { openGraphQLSocket, type OpenedSocket } from '../support/websocket-handshake.js';
import { CATALOG, INITIATE, PROCESS, WATCH } from '../support/documents.js';

/** A processed payment's transaction id: PROCESSING until its checkout is pressed, so a watch of it stays open. */
async function processedPayment(stack: Stack): Promise<string> {
  const { data } = await stack.gql(CATALOG, undefined, AS_A);
  const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
  const input = {
    currencyId: inr.id,
    paymentMethodId: inr.paymentMethods[0].id,
    amount: '12.50',
    referenceNumber: newReference('addr'),
    redirectUrl: 'https://shop.example/r',
  };
  const initiated = await stack.gql(INITIATE, { input }, AS_A);
  const { signature, transaction } = initiated.data.initiateTransaction;
  await stack.gql(PROCESS, { input: { signature } }, AS_A);
  return transaction.id;
}

describe('one address hoarding sockets: MAX_WEBSOCKETS_PER_ADDRESS (default 100)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ preset: 'production', env: { WEBSOCKET_IDLE_MS: '60000' } });
  });
  afterAll(() => stack.close());

  it('acks 100 sockets of one address and closes each one beyond with 4429 and a reason', async () => {
    const held: OpenedSocket[] = [];
    for (let i = 0; i < 100; i++) held.push(await openGraphQLSocket(stack.url, KEY_A));
    expect(held.every(({ outcome }) => outcome === 'acked')).toBe(true);
    for (let i = 0; i < 5; i++) {
      const { outcome } = await openGraphQLSocket(stack.url, KEY_A);
      expect(outcome).toEqual({ code: 4429, reason: 'Too many connections from one address (at most 100)' });
    }
    held.forEach(({ socket }) => socket.close());
    await Promise.all(held.map(({ closed }) => closed));
    // Places come back as sockets close.
    await expect.poll(async () => (await openGraphQLSocket(stack.url, KEY_A)).outcome, { timeout: 10_000 }).toBe('acked');
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/kspay_gateway_http_connections_closed_total\{reason="websocket-per-address"\} ([5-9]|\d\d)/);
  }, 60_000);
});

describe('one address hoarding sockets: WEBSOCKET_IDLE_MS', () => {
  it('closes a socket with no operation and nothing from its client (4000); one that pings, or runs a subscription, stays open', async () => {
    const stack = await startStack({ preset: 'production', env: { WEBSOCKET_IDLE_MS: '2000' } });
    try {
      const id = await processedPayment(stack);
      const subscribed = await openGraphQLSocket(stack.url, KEY_A);
      const events: unknown[] = [];
      subscribed.socket.on('message', (data) => events.push(JSON.parse(data.toString())));
      subscribed.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: WATCH, variables: { id } } }));
      await expect.poll(() => events.length).toBeGreaterThan(0);
      const quiet = await openGraphQLSocket(stack.url, KEY_A);
      const pinging = await openGraphQLSocket(stack.url, KEY_A);
      const pings = setInterval(() => pinging.socket.send(JSON.stringify({ type: 'ping' })), 100);
      try {
        expect(await quiet.closed).toEqual({ code: 4000, reason: 'Idle for 2 s with no operation; reconnect when needed' });
        expect(pinging.socket.readyState).toBe(pinging.socket.OPEN);
        expect(subscribed.socket.readyState).toBe(subscribed.socket.OPEN);
      } finally {
        clearInterval(pings);
        pinging.socket.close();
        subscribed.socket.close();
      }
    } finally {
      await stack.close();
    }
  }, 30_000);
});

describe('one address hoarding sockets: MAX_SUBSCRIPTIONS_PER_ADDRESS, with a key every customer shares', () => {
  async function firstEvent(stack: Stack, id: string, forwardedFor: string) {
    const stream = subscribe(stack.url, WATCH, { id }, { ...AS_A, 'x-forwarded-for': forwardedFor });
    return { stream, first: await stream.next() };
  }

  it("behind a trusted proxy: one customer at the cap leaves every other customer's live updates open", async () => {
    const stack = await startStack({ preset: 'production', env: { TRUSTED_PROXIES: '127.0.0.1', MAX_SUBSCRIPTIONS_PER_ADDRESS: '2' } });
    try {
      const id = await processedPayment(stack);
      const held = [await firstEvent(stack, id, '203.0.113.7'), await firstEvent(stack, id, '203.0.113.7')];
      expect(held.every(({ first }) => first.data?.transactionUpdated.id === id)).toBe(true);
      const calls = stack.sandbox.calls.count();
      const refused = await firstEvent(stack, id, '198.51.100.1, 203.0.113.7');
      expect(refused.first.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/at most 2 from one client address/),
        extensions: { code: 'RATE_LIMITED', limit: 2 },
      });
      expect(stack.sandbox.calls.count()).toBe(calls);
      const other = await firstEvent(stack, id, '203.0.113.8');
      expect(other.first.data?.transactionUpdated.id).toBe(id);
      for (const { stream } of [...held, refused, other]) stream.close();
    } finally {
      await stack.close();
    }
  });

  it('without TRUSTED_PROXIES, X-Forwarded-For is ignored: a client cannot spread itself over made-up addresses', async () => {
    const stack = await startStack({ preset: 'production', env: { MAX_SUBSCRIPTIONS_PER_ADDRESS: '2' } });
    try {
      const id = await processedPayment(stack);
      const held = [await firstEvent(stack, id, '203.0.113.1'), await firstEvent(stack, id, '203.0.113.2')];
      const refused = await firstEvent(stack, id, '203.0.113.3');
      expect(refused.first.errors?.[0]!.extensions?.code).toBe('RATE_LIMITED');
      for (const { stream } of [...held, refused]) stream.close();
    } finally {
      await stack.close();
    }
  });
});
