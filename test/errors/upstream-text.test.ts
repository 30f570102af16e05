/**
 * A hostile or broken KS Pay: the text of its error messages (here a database URL with a
 * password) never reaches a client. Clients get the gateway's own message for the code;
 * the upstream's message and code go to the log, redacted and cut short.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KsPayEndpoint } from '../../src/kspay/types.js';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { INITIATE, PROCESS } from '../support/documents.js';

const API_KEY = 'upstream-text-key-0123456789';
const LEAK = 'DB error at postgres://kspay:pw@10.0.0.5/db';
/** A well-formed signature KS Pay never issued. */
const BAD_SIGNATURE = { input: { signature: 'ab'.repeat(32) } };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    captureLogs: true,
    env: { GATEWAY_API_KEYS: JSON.stringify({ [API_KEY]: ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' },
    headers: { authorization: `Bearer ${API_KEY}` },
    // Every case below is a forced failure: none may open the circuit or be retried into the next.
    overrides: { kspay: { breaker: { failureThreshold: 1_000 }, retry: { maxAttempts: 2 } } },
  });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.calls.reset();
  stack.app.cache.clear();
});
afterEach(() => stack.sandbox.faults.reset());

function initiateInput() {
  const input = { currencyId: CURRENCY_IDS.INR, paymentMethodId: PAYMENT_METHOD_IDS.INR_UPI, amount: '10' };
  return { ...input, referenceNumber: newReference('text'), redirectUrl: 'https://shop.example/r' };
}

/** What a client gets when `endpoint` answers `code` with the leaky message: the whole response body. */
async function clientSees(endpoint: KsPayEndpoint, status: number, code: number, message = LEAK) {
  stack.sandbox.faults.set({ forceError: { [endpoint]: { status, code, message } } });
  switch (endpoint) {
    case 'initiate':
      return stack.gql(INITIATE, { input: initiateInput() });
    case 'process':
      return stack.gql(PROCESS, BAD_SIGNATURE);
    case 'transactions':
      return stack.gql('{ transactions(first: 5) { totalCount } }');
    case 'paymentMethods':
      return stack.gql(`{ paymentMethods(currencyId: "${CURRENCY_IDS.INR}") { id } }`);
    case 'transaction':
      return stack.gql('{ transaction(id: "tx_Abcdefghi") { id } }');
    default:
      return stack.gql('{ currencies { id } }');
  }
}

const logEntries = () => stack.logs().map((line) => JSON.parse(line) as Record<string, any>);

describe('an upstream whose error text leaks: upstream error text', () => {
  it('12001: the client gets the gateway’s message, the log gets KS Pay’s, one upstream call', async () => {
    const response = await clientSees('initiate', 404, 12001);
    expect(response.data.initiateTransaction).toEqual({
      __typename: 'UpstreamRejectedError',
      code: 'UPSTREAM_REJECTED',
      message: 'KS Pay does not know this payment method',
      upstreamCode: 12001,
      field: 'input.paymentMethodId',
    });
    expect(JSON.stringify(response)).not.toContain('postgres');
    expect(stack.sandbox.calls.count('initiate')).toBe(1);

    const logged = logEntries().filter((entry) => entry.upstreamCode === 12001);
    expect(logged).toEqual([expect.objectContaining({ level: 40, endpoint: 'initiate', httpStatus: 404, upstreamCode: 12001, upstreamMessage: LEAK })]);
  });

  it('an unknown code gets a generic message naming the code', async () => {
    const response = await clientSees('currencies', 400, 4242);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toBe('KS Pay refused the request (code 4242)');
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamCode: 4242 });
    expect(JSON.stringify(response)).not.toContain('postgres');
    expect(stack.sandbox.calls.count('currencies')).toBe(1);
  });

  // Every code of the table, on the endpoint where it is met, with the leaky message.
  it.each<[number, number, KsPayEndpoint]>([
    [9000, 400, 'currencies'],
    [9002, 400, 'currencies'],
    [9005, 400, 'currencies'],
    [9007, 401, 'initiate'],
    [9008, 401, 'initiate'],
    [9009, 401, 'initiate'],
    [11002, 404, 'currencies'],
    [11004, 400, 'currencies'],
    [11008, 400, 'currencies'],
    [11011, 404, 'currencies'],
    [11005, 400, 'process'],
    [11005, 429, 'process'],
    [11006, 400, 'process'],
    [1052, 400, 'paymentMethods'],
    [1052, 400, 'initiate'],
    [12001, 404, 'initiate'],
    [13006, 400, 'initiate'],
    [13007, 400, 'initiate'],
    [13007, 403, 'initiate'],
    [-3, 400, 'initiate'],
    [-9, 400, 'initiate'],
    [-17, 400, 'initiate'],
    [-19, 400, 'initiate'],
    [24, 404, 'transaction'],
    [24, 404, 'process'],
    [25, 400, 'initiate'],
    [26, 500, 'currencies'],
    [27, 400, 'process'],
    [4089, 400, 'transactions'],
    [4056, 400, 'transactions'],
    [11006, 400, 'transactions'],
    [11007, 400, 'transactions'],
    [11009, 400, 'transactions'],
    [11010, 400, 'transactions'],
    [11011, 400, 'transactions'],
    [4242, 400, 'initiate'],
    [4242, 503, 'transactions'],
  ])('code %i (HTTP %i) on %s: none of the upstream text reaches the client', async (code, status, endpoint) => {
    const response = await clientSees(endpoint, status, code);
    const body = JSON.stringify(response);
    expect(body).not.toContain('postgres');
    expect(body).not.toContain('10.0.0.5');
    expect(body).not.toContain('Unexpected error');
  });

  it('the same request again replays the same typed error, still without the upstream text', async () => {
    stack.sandbox.faults.set({ forceError: { initiate: { status: 400, code: 25, message: LEAK } } });
    const input = initiateInput();
    const first = await stack.gql(INITIATE, { input });
    const second = await stack.gql(INITIATE, { input });
    expect(second.data).toEqual(first.data);
    expect(first.data.initiateTransaction).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamCode: 25 });
    expect(JSON.stringify(second)).not.toContain('postgres');
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it('the logged message is redacted of the gateway’s secrets and cut to a few hundred characters', async () => {
    const { secretKey } = stack.sandbox.credentials;
    const response = await clientSees('currencies', 400, 9005, `bad key ${secretKey}: ${'x'.repeat(10_000)}`);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9005 });
    const logged = logEntries().filter((entry) => entry.upstreamMessage?.startsWith('bad key'));
    expect(logged).toHaveLength(1);
    expect(logged[0]!.upstreamMessage).toMatch(/^bad key \[redacted\]: x+…$/);
    expect(logged[0]!.upstreamMessage.length).toBeLessThanOrEqual(300);
    expect(stack.logs().join('\n')).not.toContain(secretKey);
  });
});
