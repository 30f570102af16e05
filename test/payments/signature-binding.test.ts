/**
 * Issue 26, finding 7: key W initiated, and key W2 (transactions:write only) processed W's
 * payment with W's signature, getting the checkout URL and order. A signature now belongs
 * to the key that initiated, as its reference does: any other key gets SIGNATURE_INVALID
 * (reason OTHER_CLIENT) with no upstream call and nothing of the payment; with Redis the
 * binding holds whichever instance initiated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { initiateAs } from '../support/payment-steps.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { CATALOG, PROCESS } from '../support/documents.js';

const W = 'merchant-web-key-0123456789';
const W2 = 'another-writer-key-0123456789';
const AS_W = { authorization: `Bearer ${W}` };
const AS_W2 = { authorization: `Bearer ${W2}` };
const KEYS = { GATEWAY_API_KEYS: JSON.stringify({ [W]: ['*'], [W2]: ['transactions:write'] }) };

async function initiatedByW(stack: Stack) {
  const { data } = await stack.gql(CATALOG, undefined, AS_W);
  const currency = data.currencies.find((c: { code: string }) => c.code === 'INR');
  const inr = { currencyId: currency.id, paymentMethodId: currency.paymentMethods[0].id };
  const input = { ...inr, amount: '99.00', referenceNumber: newReference('sig'), redirectUrl: 'https://shop.example/r' };
  const initiated = await initiateAs(stack, AS_W, input);
  expect(initiated.__typename).toBe('InitiateTransactionSuccess');
  return initiated as { signature: string; transaction: { id: string } };
}

function expectOtherClient(answer: Record<string, unknown>) {
  expect(answer).toEqual({
    __typename: 'SignatureInvalidError',
    code: 'SIGNATURE_INVALID',
    reason: 'OTHER_CLIENT',
    upstreamCode: null, // refused before KS Pay
    message: expect.stringMatching(/another API key/),
  });
}

describe('a key holding another client’s signature: one gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ preset: 'production', env: KEYS });
  });
  afterAll(() => stack.close());

  it("refuses W's signature to W2, with no upstream call; W processes it", async () => {
    const { signature } = await initiatedByW(stack);
    stack.sandbox.calls.reset();
    const stolen = await stack.gql(PROCESS, { input: { signature } }, AS_W2);
    expectOtherClient(stolen.data.processTransaction);
    expect(stack.sandbox.calls.count()).toBe(0);

    const own = await stack.gql(PROCESS, { input: { signature } }, AS_W);
    expect(own.data.processTransaction).toMatchObject({ __typename: 'ProcessTransactionSuccess', checkoutUrl: expect.any(String) });
  });
});

describe('a key holding another client’s signature: two gateways on one Redis', () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    redis = await startRedisServer();
    sandbox = await startSandbox();
    first = await startStack({ preset: 'production', env: { ...KEYS, REDIS_URL: redis.url }, sharedSandbox: sandbox });
    second = await startStack({ preset: 'production', env: { ...KEYS, REDIS_URL: redis.url }, sharedSandbox: sandbox });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it('holds the binding on the instance that did not initiate', async () => {
    const { signature } = await initiatedByW(first);
    sandbox.calls.reset();
    expectOtherClient((await second.gql(PROCESS, { input: { signature } }, AS_W2)).data.processTransaction);
    expect(sandbox.calls.count()).toBe(0);
    const own = await second.gql(PROCESS, { input: { signature } }, AS_W);
    expect(own.data.processTransaction.__typename).toBe('ProcessTransactionSuccess');
  });
});
