/**
 * Delivery: a receiver that answers 500 or is down gets every event later, exactly one
 * success each, in order per transaction (an earlier one that failed gives way to a later
 * status), with the attempts visible in webhookDeliveries.
 * Events can be redelivered by hand; bad input is a typed error before any work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { initiate, payAndLeave } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';

const DELIVERIES = `query($tx: ID, $first: Int, $after: String) { webhookDeliveries(transactionId: $tx, first: $first, after: $after) {
  edges { cursor node { id type status transactionId deliveries { endpoint state attempts lastStatusCode lastError nextRetryAt deliveredAt } } }
  pageInfo { hasNextPage endCursor } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(eventId: $id) { __typename
  ... on RedeliverWebhookSuccess { event { id deliveries { state } } } ... on Error { code message } ... on ValidationError { field } } }`;
const ATTENTION = '{ transactionsNeedingAttention { transactionId status reason eventId } }';

const KEY = 'a-long-enough-admin-key';
const READER = 'a-long-enough-reader-key';
let stack: Stack;
let receiver: TestReceiver;
/** Attempts the receiver refuses per transaction; the next new transaction gets `refuseNew`. */
const refused = new Map<string, number>();
let refuseNew = 0;
/** Event types the receiver refuses, whatever the transaction. */
const refusedTypes = new Set<string>();

beforeAll(async () => {
  receiver = await startReceiver((request) => {
    if (refusedTypes.has(request.type)) return 500;
    if (!refused.has(request.transactionId)) refused.set(request.transactionId, refuseNew);
    const left = refused.get(request.transactionId) ?? 0;
    if (left === 0) return 200;
    refused.set(request.transactionId, left - 1);
    return 500;
  });
  stack = await startStack({
    env: {
      WEBHOOK_URL: `${receiver.url}?token=do-not-show`,
      WEBHOOK_SECRET: SECRET,
      GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'], [READER]: ['transactions:read'] }),
      INTROSPECTION: 'false',
      GRAPHIQL: 'false',
      ATTENTION_AFTER_MS: '3600000',
    },
    headers: { 'x-api-key': KEY },
    overrides: { webhooks: FAST },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

describe('webhook delivery', () => {
  it('retries a receiver answering 500: delivered later, exactly one success, the attempts visible, in order', async () => {
    refuseNew = 3;
    const first = await initiate(stack);
    const initiated = await waitFor('the initiated event delivered', () => receiver.delivered().find((r) => r.transactionId === first.id));
    expect(initiated.type).toBe('transaction.initiated');
    const attempts = receiver.requests.filter((r) => r.eventId === initiated.eventId);
    expect(attempts.map((r) => r.answered)).toEqual([500, 500, 500, 200]);

    const { data } = await stack.gql(DELIVERIES, { tx: first.id });
    const [node] = data.webhookDeliveries.edges.map((e: any) => e.node);
    expect(node).toMatchObject({ id: initiated.eventId, type: 'transaction.initiated', status: 'INITIATED' });
    expect(node.deliveries).toEqual([expect.objectContaining({ state: 'DELIVERED', attempts: 4, lastStatusCode: 200, lastError: null, nextRetryAt: null })]);
    // The endpoint is shown without its query: it may hold a token.
    expect(node.deliveries[0].endpoint).toBe(receiver.url);
  });

  it('never holds a later status behind an earlier one that failed: the earlier is superseded, nothing older follows a newer', async () => {
    refuseNew = 4; // the first four requests of the payment fail, whichever events they carry
    const payment = await payAndLeave(stack);
    await waitFor('transaction.succeeded', () => receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.succeeded'));
    const rank = (type: string) => ['transaction.initiated', 'transaction.processing', 'transaction.succeeded'].indexOf(type);
    const sent = receiver.requests.filter((r) => r.transactionId === payment.id).map((r) => rank(r.type));
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent.slice(0, 4)).not.toContain(-1);
    // Each event was delivered, or superseded by a later one: none is left pending or failed.
    const { data } = await stack.gql(DELIVERIES, { tx: payment.id });
    for (const { node } of data.webhookDeliveries.edges) {
      const delivered = receiver.delivered().some((r) => r.eventId === node.id);
      expect(node.deliveries[0].state, node.type).toBe(delivered ? 'DELIVERED' : 'SUPERSEDED');
      if (!delivered) expect(node.deliveries[0].nextRetryAt).toBeNull();
    }
    refuseNew = 0;
  });

  it('delivers to a receiver that was down once it is back, exactly once per event', async () => {
    await receiver.stop();
    const payment = await initiate(stack);
    await waitFor('a failed attempt', async () => {
      const { data } = await stack.gql(DELIVERIES, { tx: payment.id });
      return data.webhookDeliveries.edges[0]?.node.deliveries[0].lastError === 'connection failed';
    });
    await receiver.start();
    await waitFor('the event delivered', () => receiver.delivered().find((r) => r.transactionId === payment.id));
    expect(receiver.delivered().filter((r) => r.transactionId === payment.id && r.type === 'transaction.initiated')).toHaveLength(1);
  });

  it('redelivers an event by hand, under the same id', async () => {
    const { data } = await stack.gql(DELIVERIES, { first: 1 });
    const event = data.webhookDeliveries.edges[0].node;
    await waitFor('the event delivered', () => receiver.delivered().find((r) => r.eventId === event.id));
    const before = receiver.delivered().filter((r) => r.eventId === event.id).length;
    const result = await stack.gql(REDELIVER, { id: event.id });
    expect(result.data.redeliverWebhook).toMatchObject({ __typename: 'RedeliverWebhookSuccess', event: { id: event.id } });
    await waitFor('the redelivery', () => receiver.delivered().filter((r) => r.eventId === event.id).length === before + 1);
  });

  it('pages through events newest first', async () => {
    const page1 = (await stack.gql(DELIVERIES, { first: 2 })).data.webhookDeliveries;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await stack.gql(DELIVERIES, { first: 2, after: page1.pageInfo.endCursor })).data.webhookDeliveries;
    const ids = [...page1.edges, ...page2.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses bad input with a typed error and no upstream call', async () => {
    stack.sandbox.calls.reset();
    const bad = await stack.gql(REDELIVER, { id: 'evt_nope' });
    expect(bad.data.redeliverWebhook).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'eventId' });
    const unknown = await stack.gql(REDELIVER, { id: `evt_${'0'.repeat(32)}` });
    expect(unknown.data.redeliverWebhook).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'bm9wZQ' }, { tx: 'tx_bad' }]) {
      const { errors } = await stack.gql(DELIVERIES, variables);
      expect(errors?.[0]!.extensions?.code).toBe('VALIDATION');
    }
    // (The watcher keeps polling the unpaid transactions of earlier tests: those are its reads, not these requests'.)
    expect(stack.sandbox.calls.count() - stack.sandbox.calls.count('transaction')).toBe(0);
  });

  it('asks for scopes: reading needs transactions:read, redelivering transactions:write', async () => {
    const read = await stack.gql(DELIVERIES, { first: 1 }, { 'x-api-key': READER });
    expect(read.errors).toBeUndefined();
    const write = await stack.gql(REDELIVER, { id: `evt_${'0'.repeat(32)}` }, { 'x-api-key': READER });
    expect(write.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists a final transaction whose event never reached the endpoint as needing attention', async () => {
    refusedTypes.add('transaction.failed');
    const payment = await payAndLeave(stack, 'decline');
    await waitFor('a failed attempt of the final event', async () => {
      const { data } = await stack.gql(ATTENTION);
      return data.transactionsNeedingAttention.find((a: any) => a.transactionId === payment.id && a.reason === 'UNDELIVERED');
    });
    const { data } = await stack.gql(ATTENTION);
    expect(data.transactionsNeedingAttention.find((a: any) => a.transactionId === payment.id)).toMatchObject({ status: 'FAILED', reason: 'UNDELIVERED' });
    refusedTypes.clear();
    await waitFor('the final event delivered', () => receiver.delivered().find((r) => r.transactionId === payment.id && r.type === 'transaction.failed'));
    const after = (await stack.gql(ATTENTION)).data.transactionsNeedingAttention;
    expect(after.find((a: any) => a.transactionId === payment.id)).toBeUndefined();
  });
});
