/**
 * A hostile or broken KS Pay that answers with a huge body: the gateway reads at most
 * KSPAY_MAX_RESPONSE_BYTES (4 MiB by default) of it, refusing at once when Content-Length
 * says more and cancelling the stream past the cap otherwise. The call fails as a typed
 * UPSTREAM_UNAVAILABLE, is not retried, and the gateway's memory stays flat.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { INITIATE } from '../support/documents.js';

const API_KEY = 'body-cap-key-0123456789';
const MB = 1024 * 1024;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    // KSPAY_TIMEOUT_MS is also the quiet period before an unreadable initiate is looked up: 3 s, not the default 10.
    env: { GATEWAY_API_KEYS: JSON.stringify({ [API_KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false', KSPAY_TIMEOUT_MS: '3000' },
    headers: { authorization: `Bearer ${API_KEY}` },
    // The cases below fail on purpose: none may open the circuit for the next.
    overrides: { kspay: { breaker: { failureThreshold: 1_000 } } },
  });
  await stack.gql('{ currencies { id } }'); // logged in, warmed up
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.calls.reset();
  stack.app.cache.clear();
});
afterEach(() => stack.sandbox.faults.reset());

async function currenciesWithBody(bytes: number, contentLength: boolean) {
  stack.sandbox.faults.set({ oversizedBody: { currencies: { bytes, contentLength, times: 1 } } });
  stack.app.cache.clear();
  return stack.gql('{ currencies(includeInactive: false) { id } }');
}

describe('an upstream sending an oversized answer', () => {
  it.each([
    ['announced by Content-Length', true],
    ['streamed without Content-Length', false],
  ])('%s: typed UPSTREAM_UNAVAILABLE, one call, not retried', async (_what, contentLength) => {
    const response = await currenciesWithBody(64 * MB, contentLength);
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(response.errors![0]!.message).toBe('KS Pay sent a response the gateway could not read');
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });

  it('on initiate (a write): an unreadable 2xx may have created the payment, so it is looked up before anything is re-sent', async () => {
    stack.sandbox.faults.set({ oversizedBody: { initiate: { bytes: 64 * MB, contentLength: false, times: 1 } } });
    const input = {
      currencyId: CURRENCY_IDS.INR,
      paymentMethodId: PAYMENT_METHOD_IDS.INR_UPI,
      amount: '10',
      referenceNumber: newReference('cap'),
      redirectUrl: 'https://shop.example/r',
    };
    const response = await stack.gql(INITIATE, { input });
    // The oversized answer created nothing here, so the look-up finds nothing and the one re-send succeeds.
    expect(response.data.initiateTransaction.__typename).toBe('InitiateTransactionSuccess');
    expect(stack.sandbox.calls.count('initiate')).toBe(2);
    expect(stack.sandbox.calls.count('transactions')).toBeGreaterThanOrEqual(1);
    expect(stack.sandbox.transactions.byReference(stack.sandbox.credentials.appId, input.referenceNumber)).toHaveLength(1);
  });

  it('keeps the gateway’s memory flat over several 64 MB answers', async () => {
    const before = process.memoryUsage().rss;
    const codes: unknown[] = [];
    for (const contentLength of [false, true, false, true]) {
      const response = await currenciesWithBody(64 * MB, contentLength);
      codes.push(response.errors?.[0]!.extensions?.code);
    }
    const grownMb = (process.memoryUsage().rss - before) / MB;
    expect(grownMb, 'RSS growth (MB) over 256 MB of answers').toBeLessThan(50);
    expect(codes).toEqual(Array(4).fill('UPSTREAM_UNAVAILABLE'));
    expect(stack.sandbox.calls.count('currencies')).toBe(4);
  });

  it('an answer just under the cap is read as usual', async () => {
    // 3 MiB of inactive filler currencies: read, then filtered out.
    const response = await currenciesWithBody(3 * MB, false);
    expect(response.errors).toBeUndefined();
    expect(response.data.currencies).toEqual([]);
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });
});

describe('KSPAY_MAX_RESPONSE_BYTES', () => {
  it('defaults to 4 MiB and must be a positive whole number', () => {
    expect(loadConfig({}).kspay.maxResponseBytes).toBe(4_194_304);
    expect(loadConfig({ KSPAY_MAX_RESPONSE_BYTES: '1000' }).kspay.maxResponseBytes).toBe(1000);
    for (const bad of ['0', '-1', '4MB', '1.5']) {
      expect(() => loadConfig({ KSPAY_MAX_RESPONSE_BYTES: bad })).toThrow(ConfigError);
    }
  });

  it('is the cap: a normal answer larger than it is refused', async () => {
    const small = await startStack({
      env: { GATEWAY_API_KEYS: JSON.stringify({ [API_KEY]: ['*'] }), KSPAY_MAX_RESPONSE_BYTES: '600' },
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    try {
      // The token answer fits in 600 bytes; the currency list does not.
      const response = await small.gql('{ currencies { id } }');
      expect(response.errors?.[0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect(small.sandbox.calls.count('currencies')).toBe(1);
    } finally {
      await small.close();
    }
  });
});
