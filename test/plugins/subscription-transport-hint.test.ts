/**
 * A subscription sent the way queries are (a JSON POST) cannot be streamed. yoga answered
 * 406 with an empty body, and the subscription it had already started kept its place in
 * MAX_SUBSCRIPTIONS_PER_KEY. Now the 406 says how to subscribe, and gives the place back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { INITIATE, WATCH } from '../support/documents.js';

const KEY = 'subscribe-how-key-0123456789';
const CAP = 2;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false', MAX_SUBSCRIPTIONS_PER_KEY: String(CAP) },
    headers: { authorization: `Bearer ${KEY}` },
    // Polls far apart: nothing here waits on one.
    overrides: { live: { poll: { minIntervalMs: 60_000, maxIntervalMs: 60_000 } } },
  });
});
afterAll(() => stack.close());

async function initiated(): Promise<string> {
  const input = {
    currencyId: 'c_DemoINR001',
    paymentMethodId: 'pm_InrNetBnk',
    amount: '3',
    referenceNumber: newReference('how'),
    redirectUrl: 'https://shop.example/r',
  };
  const { data } = await stack.gql(INITIATE, { input });
  return data.initiateTransaction.transaction.id;
}

/** POSTs the subscription with `accept`; the answer's status, content type and body (an event stream is read to its first event). */
async function post(id: string, accept: string) {
  const controller = new AbortController();
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query: WATCH, variables: { id } }),
    signal: controller.signal,
  });
  let body = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    body += decoder.decode(chunk, { stream: true });
    if (accept === 'text/event-stream' && body.includes('\n\n') && body.includes('event: next')) break;
  }
  controller.abort();
  return { status: response.status, type: response.headers.get('content-type'), body };
}

describe("a developer's first hour, subscribing over plain JSON", () => {
  it('answers a JSON request for a subscription with 406 and how to subscribe', async () => {
    const answer = await post(await initiated(), 'application/json');
    expect(answer.status).toBe(406);
    expect(answer.type).toMatch(/^application\/json/);
    const { errors } = JSON.parse(answer.body);
    expect(errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toMatch(/text\/event-stream/);
    expect(errors[0].message).toMatch(/WebSocket \(graphql-ws\)/);
  });

  it('holds no MAX_SUBSCRIPTIONS_PER_KEY place for a subscription it refused so', async () => {
    const id = await initiated();
    for (let i = 0; i < CAP + 2; i++) expect((await post(id, 'application/json')).status).toBe(406);
    const stream = await post(id, 'text/event-stream');
    expect(stream.status).toBe(200);
    expect(stream.body).toContain('"status":"INITIATED"');
    expect(stream.body).not.toContain('RATE_LIMITED');
  });
});
