/**
 * Issue 22, item 4: a POSTed operation runs in the front door's own stage
 * (src/http/posted-operation.ts), through yoga's operation pipeline but without its WHATWG
 * Request and Response. It must answer every request exactly as yoga's handler would, take
 * only what it can, and run nothing twice, even for a client that goes before its answer.
 */
import { request as httpRequest } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { jsonMediaTypeOf } from '../../src/http/posted-operation.js';
import { INITIATE } from '../support/documents.js';
import { currencyAndMethod } from '../support/payment-steps.js';
import { AS_A } from '../support/presets.js';
import { newReference } from '../support/references.js';
import { startHoldingProxy } from '../support/holding-proxy.js';
import { startStack, type Stack } from '../support/stack.js';

const TX = 'query Tx($id: ID!) { transaction(id: $id) { id amount status currency { code } } }';

/** How the clients merchants ship ask (fetch's own default is `*\/*`). */
const ACCEPTS = {
  'fetch default': '*/*',
  'plain JSON': 'application/json',
  'GraphQL over HTTP': 'application/graphql-response+json',
  'Apollo Client 4': 'application/graphql-response+json,application/json;q=0.9',
  urql: 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
  GraphiQL: 'application/json, multipart/mixed',
  'a wildcard subtype': 'application/*',
  'another charset': 'application/json; charset=iso-8859-1',
  'no JSON at all': 'text/html',
} as const;

describe('a POSTed operation, run by the front door', () => {
  let sandbox: Sandbox;
  /** The gateway as it runs, and the same gateway with every operation left to yoga's handler. */
  let direct: Stack;
  let viaYoga: Stack;
  /** Requests that reached yoga's HTTP handler (its adapter's onRequest hook) on `direct`. */
  let yogaRequests = 0;
  let transactionId: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const countYogaRequests: Plugin = {
      onRequest: () => {
        yogaRequests += 1;
      },
    };
    [direct, viaYoga] = await Promise.all([
      startStack({ preset: 'production', sharedSandbox: sandbox, overrides: { plugins: [countYogaRequests] } }),
      startStack({ preset: 'production', sharedSandbox: sandbox, overrides: { without: { postedOperation: true } } }),
    ]);
    // Both gateways see the same documents as often (graphql-jit compiles a document from its third use).
    const [initiated] = await Promise.all(
      [direct, viaYoga].map(async (stack) => {
        const { currencyId, paymentMethodId } = await currencyAndMethod(stack, 'INR');
        const input = { currencyId, paymentMethodId, amount: '12.50', referenceNumber: newReference('posted'), redirectUrl: 'https://shop.example/r' };
        return (await stack.gql(INITIATE, { input }, AS_A)).data.initiateTransaction;
      }),
    );
    transactionId = initiated.transaction.id;
  });

  afterAll(async () => {
    await Promise.all([direct?.close(), viaYoga?.close()]);
    await sandbox?.close();
  });

  async function post(stack: Stack, body: string, accept: string) {
    const response = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { ...AS_A, 'content-type': 'application/json', accept }, body });
    const { status, headers } = response;
    return { status, contentType: headers.get('content-type'), accept: headers.get('accept'), body: await response.text() };
  }

  /** Bodies whose answers are the same on every call: an answer, refusals, errors of each stage. */
  const bodies = () => ({
    'a lookup': JSON.stringify({ query: TX, variables: { id: transactionId }, operationName: 'Tx' }),
    'with Apollo 4 extensions': JSON.stringify({
      query: TX,
      variables: { id: transactionId },
      extensions: { clientLibrary: { name: '@apollo/client', version: '4.0.0' } },
    }),
    'not found': JSON.stringify({ query: TX, variables: { id: 'tx_nobodyHasThis' } }),
    'a field that does not exist': JSON.stringify({ query: '{ transaction(id: "x") { nope } }' }),
    'a mutation that does not exist': JSON.stringify({ query: 'mutation { refundEverything }' }),
    'a syntax error': JSON.stringify({ query: '{ transaction(' }),
    'a variable of the wrong type': JSON.stringify({ query: TX, variables: { id: { not: 'an id' } } }),
    'an operation name that is not there': JSON.stringify({ query: TX, variables: { id: transactionId }, operationName: 'Nope' }),
    'two operations, no name': JSON.stringify({ query: `${TX} query Other { __typename }`, variables: { id: transactionId } }),
    'an amount that is not a Decimal': JSON.stringify({
      query: INITIATE,
      variables: { input: { currencyId: 'c', paymentMethodId: 'p', amount: '1e3', referenceNumber: 'r-1', redirectUrl: 'https://shop.example/r' } },
    }),
    'a subscription as plain JSON': JSON.stringify({ query: `subscription { transactionUpdated(id: "${transactionId}") { status } }` }),
    'an unexpected parameter': JSON.stringify({ query: TX, variables: { id: transactionId }, colour: 'blue' }),
    'variables that are a list': JSON.stringify({ query: TX, variables: [transactionId] }),
    'a query that is not text': JSON.stringify({ query: 42 }),
  });

  it('answers every request exactly as yoga does: status, media type and body, for each client', async () => {
    let compared = 0;
    for (const [bodyName, body] of Object.entries(bodies())) {
      for (const [client, accept] of Object.entries(ACCEPTS)) {
        // A client that takes streams gets a subscription as one (yoga's, on both): one that would not end here.
        if (bodyName === 'a subscription as plain JSON' && (client === 'urql' || client === 'fetch default')) continue;
        const [ours, yogas] = await Promise.all([post(direct, body, accept), post(viaYoga, body, accept)]);
        expect({ bodyName, client, ...ours }).toEqual({ bodyName, client, ...yogas });
        compared += 1;
      }
    }
    expect(compared).toBe(14 * 9 - 2);
  });

  it('takes the operations it can answer, and leaves the rest to yoga', async () => {
    // (Lookups the response cache may store run through yoga's fetch, so that their answer can be kept.)
    const body = bodies();
    const payment = body['an amount that is not a Decimal'];
    yogaRequests = 0;
    expect((await post(direct, payment, ACCEPTS['Apollo Client 4'])).status).toBe(200);
    expect((await post(direct, body['a mutation that does not exist'], ACCEPTS['GraphQL over HTTP'])).status).toBe(400);
    expect(yogaRequests).toBe(0);
    // A parameter yoga refuses, a media type it negotiates otherwise, a subscription: yoga's own answers.
    const withColour = JSON.stringify({ ...JSON.parse(payment), colour: 'blue' });
    expect((await post(direct, withColour, ACCEPTS['plain JSON'])).status).toBe(400);
    expect((await post(direct, payment, ACCEPTS['another charset'])).status).toBe(406);
    expect((await post(direct, body['a subscription as plain JSON'], ACCEPTS['plain JSON'])).status).toBe(406);
    expect(yogaRequests).toBe(3);
  });

  it('reads Accept as yoga does: the first listed JSON type, application/json when both match', () => {
    expect(jsonMediaTypeOf(undefined)).toBe('application/json');
    expect(jsonMediaTypeOf('')).toBe('application/json');
    expect(jsonMediaTypeOf('*/*')).toBe('application/json');
    expect(jsonMediaTypeOf(ACCEPTS['Apollo Client 4'])).toBe('application/graphql-response+json');
    expect(jsonMediaTypeOf('application/json, application/graphql-response+json')).toBe('application/json');
    expect(jsonMediaTypeOf('text/event-stream, Application/GraphQL-Response+JSON; charset=UTF-8')).toBe('application/graphql-response+json');
    expect(jsonMediaTypeOf('application/json;charset=latin1, application/graphql-response+json')).toBe('application/graphql-response+json');
    expect(jsonMediaTypeOf('text/event-stream')).toBeNull();
    expect(jsonMediaTypeOf('multipart/mixed')).toBeNull();
  });

  it('a client that goes while its payment is in flight: the payment completes once, and asking again replays it', async () => {
    // KS Pay's answer to the initiate is held back until the client has gone.
    const proxy = await startHoldingProxy(sandbox.url);
    const gateway = await startStack({ preset: 'production', upstream: { baseUrl: proxy.url, credentials: sandbox.credentials } });
    try {
      const { currencyId, paymentMethodId } = await currencyAndMethod(gateway, 'INR');
      const input = { currencyId, paymentMethodId, amount: '7.25', referenceNumber: newReference('gone'), redirectUrl: 'https://shop.example/r' };
      sandbox.calls.reset();
      proxy.holdNext('/transaction/initiate');
      const url = new URL(`${gateway.url}/graphql`);
      const leaving = httpRequest({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: { ...AS_A, 'content-type': 'application/json' },
      });
      leaving.on('error', () => {});
      leaving.end(JSON.stringify({ query: INITIATE, variables: { input } }));
      await until(() => proxy.held() === 1);
      leaving.destroy();
      proxy.release();
      // Until the gateway has settled the record, the same request waits for it or is told it is busy: never sent again.
      let replayed: { __typename: string; transaction?: { id: string } } | undefined;
      await until(async () => {
        replayed = (await gateway.gql(INITIATE, { input }, AS_A)).data?.initiateTransaction;
        return replayed?.__typename === 'InitiateTransactionSuccess';
      });
      const again = (await gateway.gql(INITIATE, { input }, AS_A)).data.initiateTransaction;
      expect(again.transaction.id).toBe(replayed!.transaction!.id);
      expect(sandbox.calls.count('initiate')).toBe(1);
    } finally {
      await gateway.close();
      await proxy.close();
    }
  });
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
