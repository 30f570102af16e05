/**
 * graphql-sse's client (distinct connections mode: one POST with Accept: text/event-stream
 * per operation) against the gateway's SSE on /graphql, in production mode: a payment
 * followed to SUCCESS with the key in its headers, queries and mutations over the same
 * transport, a keyless client refused cleanly before anything runs, and what its single
 * connection mode meets today (the front door serves only GET and POST on /graphql).
 */
import { createClient, NetworkError, type Client, type ClientOptions, type ExecutionResult } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_FRONT_END } from '../support/presets.js';
import { countingFetch, paymentInput } from './support.js';
import { CATALOG, INITIATE, PROCESS, WATCH } from './documents.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'front-end' });
});
afterAll(() => stack.close());

const clients: Client<boolean>[] = [];
afterAll(() => clients.forEach((client) => client.dispose()));

/** The front end's client: the key in headers (sent with every request), no retries of a refusal. */
function sseClient<SingleConnection extends boolean = false>(options: Partial<ClientOptions<SingleConnection>> = {}): Client<SingleConnection> {
  const client = createClient<SingleConnection>({ url: `${stack.url}/graphql`, headers: AS_FRONT_END, retryAttempts: 0, ...options });
  clients.push(client);
  return client;
}

/** Every result of one operation, as they come, and all of them once the server completes it. */
function run(client: Client<boolean>, query: string, variables: Record<string, unknown> = {}) {
  const results: ExecutionResult<any, unknown>[] = [];
  const done = new Promise<ExecutionResult<any, unknown>[]>((resolve, reject) =>
    client.subscribe<any, unknown>({ query, variables }, { next: (result) => void results.push(result), error: reject, complete: () => resolve(results) }),
  );
  return { results, done };
}

/** A query or mutation over SSE: one `next`, then complete. */
async function once(client: Client<boolean>, query: string, variables: Record<string, unknown> = {}) {
  const results = await run(client, query, variables).done;
  expect(results).toHaveLength(1);
  return results[0]!.data;
}

describe('graphql-sse (distinct connections)', () => {
  it('runs the whole payment over SSE: queries, mutations, and the subscription to SUCCESS, which then completes', async () => {
    const counted = countingFetch();
    const client = sseClient({ fetchFn: counted.fetch });
    const { currencies } = await once(client, CATALOG);
    const inr = currencies.find((currency: { code: string }) => currency.code === 'INR');
    const { initiateTransaction } = await once(client, INITIATE, { input: paymentInput(inr.id, inr.paymentMethods[0].id) });
    const { processTransaction } = await once(client, PROCESS, { signature: initiateTransaction.signature });
    const id = initiateTransaction.transaction.id;

    const watch = run(client, WATCH, { id });
    await expect.poll(() => watch.results.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(watch.results[0]!.data.transactionUpdated).toMatchObject({ id, status: 'PROCESSING' });
    await pressCheckout(processTransaction.checkoutUrl, 'pay');
    const statuses = (await watch.done).map((result) => result.data.transactionUpdated.status);
    expect(statuses.at(-1)).toBe('SUCCESS');

    // Every request was a POST asking for an event stream, with the key.
    expect(counted.requests).toHaveLength(4);
    for (const request of counted.requests) {
      expect([request.method, request.headers.get('accept'), request.headers.get('authorization')]).toEqual([
        'POST',
        'text/event-stream',
        AS_FRONT_END.authorization,
      ]);
    }
  });

  it('refuses a client without a key, or with an unknown one: HTTP 401 with a clean message, nothing run upstream', async () => {
    stack.sandbox.calls.reset();
    for (const headers of [{}, { authorization: 'Bearer not-a-key-0123456789' }] as Record<string, string>[]) {
      const failure = await run(sseClient({ headers }), WATCH, { id: 'tx_AnyAnyAny1' }).done.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NetworkError);
      const { response } = failure as NetworkError<Response>;
      expect(response!.status).toBe(401);
      expect((await response!.json()).errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/API key/) });
    }
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('single connection mode is not served: its stream reservation (PUT) is refused with 405, before anything runs', async () => {
    stack.sandbox.calls.reset();
    const counted = countingFetch();
    const failure = await run(sseClient<true>({ singleConnection: true, fetchFn: counted.fetch }), CATALOG).done.catch((error: unknown) => error);
    expect((failure as NetworkError<Response>).response!.status).toBe(405);
    expect(counted.requests.map((request) => request.method)).toEqual(['PUT']);
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});
