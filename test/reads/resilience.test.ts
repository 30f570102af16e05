/**
 * Reads through a failing upstream: retries, the circuit breaker, a stale catalog, and
 * a token that expires under a burst of requests. Faults come from the sandbox's knobs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { CATALOG, INITIATE, LOOKUP } from '../support/documents.js';

let stack: Stack;
const ids: string[] = [];

beforeAll(async () => {
  // A generous timeout (it is also the retry budget of a read): on a busy machine 100
  // concurrent requests to the in-process sandbox can take seconds.
  stack = await startStack({ env: { KSPAY_TIMEOUT_MS: '20000', CATALOG_TTL_MS: '150', CATALOG_MAX_STALE_MS: '60000' } });
  const { data } = await stack.gql(CATALOG);
  const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
  for (let i = 0; i < 5; i++) {
    const r = await stack.gql(INITIATE, {
      input: {
        currencyId: inr.id,
        paymentMethodId: inr.paymentMethods[0].id,
        amount: '9.99',
        referenceNumber: newReference(),
        redirectUrl: 'https://shop.example/r',
      },
    });
    ids.push(r.data.initiateTransaction.transaction.id);
  }
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());
afterEach(() => stack.sandbox.faults.reset());

describe('reads through upstream failures', () => {
  it('serves at least 99.9% of 200 reads while 20% of upstream reads fail with 500', async () => {
    stack.sandbox.faults.set({ failureRate: { transaction: 0.2, transactions: 0.2 } });
    let succeeded = 0;
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 ? stack.gql(LOOKUP, { id: ids[i % ids.length] }) : stack.gql('{ transactions(first: 3) { edges { node { id } } } }'),
        ),
      );
      succeeded += responses.filter((r) => !r.errors).length;
    }
    expect(succeeded / 200).toBeGreaterThanOrEqual(0.999);
    // The faults were real: some upstream calls failed and were retried. With nothing failing a batch
    // costs at most 7 GETs: its 5 ids, and the page its 5 page reads share (src/reads/live-reads.ts).
    expect(stack.sandbox.calls.count('transaction') + stack.sandbox.calls.count('transactions')).toBeGreaterThan(20 * 7);
  });

  it('honours Retry-After on 429 and then succeeds', async () => {
    stack.sandbox.faults.set({ rateLimit: { transaction: { retryAfterSeconds: 1, times: 1 } } });
    const response = await stack.gql(LOOKUP, { id: ids[0] });
    expect(response.data.transaction.id).toBe(ids[0]);
    expect(stack.sandbox.calls.count('transaction')).toBe(2);
  });

  it('never retries a write: a 500 on process is one call and a typed retryable error', async () => {
    stack.sandbox.faults.set({ forceError: { process: { status: 500, code: 26 } } });
    const response = await stack.gql(
      `mutation { processTransaction(input: { signature: "${'b'.repeat(64)}" }) { __typename ... on UpstreamUnavailableError { code retryable } } }`,
    );
    expect(response.data.processTransaction).toEqual({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(stack.sandbox.calls.count('process')).toBe(1);
  });
});

describe('the access token expiring under load', () => {
  it('refreshes exactly once for 100 concurrent requests, and every request succeeds', async () => {
    await stack.gql(LOOKUP, { id: ids[0] }); // logged in
    stack.sandbox.tokens.expireAll();
    stack.sandbox.calls.reset();
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => stack.gql(LOOKUP, { id: ids[i % ids.length] })));
    expect(responses.filter((r) => r.errors)).toEqual([]);
    expect(stack.sandbox.calls.count('refreshToken')).toBe(1);
    expect(stack.sandbox.calls.count('generateToken')).toBe(0);
  });
});

describe('a stale catalog while KS Pay fails', () => {
  it('serves the last catalog past its TTL and says so in the extensions', async () => {
    const fresh = await stack.gql('{ currencies { code } }');
    expect(fresh.extensions?.catalog).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200)); // past CATALOG_TTL_MS
    stack.sandbox.faults.set({ forceError: { currencies: { status: 500, code: 26 } } });
    const stale = await stack.gql('{ currencies { code } }');
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toEqual(fresh.data);
    expect(stale.extensions?.catalog).toMatchObject({ stale: true });
    expect(stale.extensions?.catalog.ageMs).toBeGreaterThan(150);

    stack.sandbox.faults.reset();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const recovered = await stack.gql('{ currencies { code } }');
    expect(recovered.extensions?.catalog).toBeUndefined();
  });
});

describe('KS Pay down', () => {
  const startDown = (coolDownMs: number) =>
    startStack({ env: { KSPAY_TIMEOUT_MS: '1000', CATALOG_MAX_STALE_MS: '1' }, overrides: { kspay: { breaker: { coolDownMs } } } });
  /** Twelve lookups while the sandbox drops every connection: enough failures to open the breaker. */
  async function lookUpWhileDown(target: Stack) {
    await target.gql('{ currencies { code } }'); // logged in
    target.sandbox.faults.set({ down: true });
    const responses = [];
    for (let i = 0; i < 12; i++) responses.push(await target.gql(LOOKUP, { id: 'tx_Abcdefghi' }));
    return responses;
  }

  it('answers UPSTREAM_UNAVAILABLE (retryable) fast, stays up, and stops calling KS Pay', async () => {
    // A cool-down no test outlasts: the breaker is still open when we look.
    const down = await startDown(10 * 60_000);
    try {
      for (const r of await lookUpWhileDown(down)) {
        expect(r.errors?.[0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      }
      // The breaker opened: the later requests did not reach the upstream at all.
      expect(down.app.client.breakerState()).toBe('open');
      const callsWhileOpen = down.sandbox.calls.count();
      const failedFast = await down.gql(LOOKUP, { id: 'tx_Abcdefghi' });
      expect(failedFast.errors?.[0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
      expect(down.sandbox.calls.count()).toBe(callsWhileOpen);

      // The gateway process is still serving.
      const health = await fetch(`${down.url}/graphql?query=${encodeURIComponent('{__typename}')}`);
      expect(health.status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('recovers after the cool-down', async () => {
    const down = await startDown(300);
    try {
      await lookUpWhileDown(down);
      down.sandbox.faults.reset();
      // Waits for the breaker's own state, not for a time: the next call is its probe.
      await vi.waitFor(() => expect(down.app.client.breakerState()).toBe('half-open'), { timeout: 20_000, interval: 20 });
      const recovered = await down.gql(LOOKUP, { id: 'tx_Abcdefghi' });
      expect(recovered.errors).toBeUndefined();
      expect(recovered.data.transaction).toBeNull();
    } finally {
      await down.close();
    }
  });
});
