/**
 * The operation shapes measured, as GraphQL requests (with a check that each answer is
 * the expected data, not an error) and as bare-upstream operations; the seeding they
 * need; and the plan of which shape runs in which variant at which added latency.
 */
import type { BareUpstream } from './bare-upstream.js';
import type { GraphQLRequest } from './load.js';
import { payOnCheckout, SETTLED_SHAPE, settledLookupRequest, settledPlan } from './settled-cases.js';
import type { Variant } from './stack.js';

export type { Variant } from './stack.js';
export const SHAPES = ['warm catalog', 'cold catalog', 'transaction', SETTLED_SHAPE, 'page of 50', 'initiate'] as const;
export type Shape = (typeof SHAPES)[number];

export interface PlannedCase {
  latencyMs: number;
  shape: Shape;
  variant: Variant;
}

/** The warm path: the catalog a checkout page loads, served from the gateway's cache. */
export const CATALOG = '{ currencies { code name paymentMethods { id name } } }';
export const TRANSACTION = 'query Tx($id: ID!) { transaction(id: $id) { id amount status currency { code symbol } paymentMethod { name } } }';
export const PAGE = '{ transactions(first: 50) { edges { node { id amount currency { code } paymentMethod { name } } } } }';
export const INITIATE = `mutation Pay($input: InitiateTransactionInput!) { initiateTransaction(input: $input) {
  __typename ... on InitiateTransactionSuccess { signature transaction { id status } } ... on Error { code message } } }`;

export const PAGE_SIZE = 50;

/** The load generator's client API key: the gateways run with client auth on, as in production. */
export const API_KEY = 'bench-load-generator-0123456789';

/** Sent with every GraphQL request (the naive gateway and the floor ignore the key). */
export const REQUEST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  authorization: `Bearer ${API_KEY}`,
} as const;

/** What every request needs to know about the seeded data. */
export interface Fixture {
  /** A seeded transaction, for `transaction(id)`: it stays INITIATED (a live lookup). */
  transactionId: string;
  /** A seeded transaction paid on the checkout page (a settled lookup); null where none was settled. */
  settledTransactionId: string | null;
  /** An active currency and one of its active methods, for initiates. */
  currencyId: string;
  paymentMethodId: string;
}

const json = (query: string, variables?: object) => JSON.stringify({ query, variables });
const hasNoErrors = (body: string) => !body.includes('"errors"');

let referenceCount = 0;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
/** A referenceNumber never used before: a repeated one would be an idempotent replay, not a payment. */
export function uniqueReference(): string {
  referenceCount += 1;
  return `bench-${runTag}-${referenceCount}`;
}

const AMOUNT = '10.25';

export function initiateInput({ currencyId, paymentMethodId }: Pick<Fixture, 'currencyId' | 'paymentMethodId'>) {
  return {
    currencyId,
    paymentMethodId,
    amount: AMOUNT,
    referenceNumber: uniqueReference(),
    redirectUrl: 'https://shop.example/return',
  };
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

/** The GraphQL request of a shape. */
export function graphqlRequest(shape: Shape, fixture: Fixture): GraphQLRequest {
  switch (shape) {
    case 'warm catalog':
    case 'cold catalog':
      return { body: json(CATALOG), ok: (body) => hasNoErrors(body) && body.includes('"paymentMethods":[{') };
    case 'transaction':
      return {
        body: json(TRANSACTION, { id: fixture.transactionId }),
        ok: (body) => hasNoErrors(body) && body.includes('"paymentMethod":{"name"') && body.includes('"currency":{"code"'),
      };
    case SETTLED_SHAPE:
      return settledLookupRequest(settledIdOf(fixture));
    case 'page of 50':
      return {
        body: json(PAGE),
        ok: (body) => hasNoErrors(body) && countOf(body, '"paymentMethod":{"name"') === PAGE_SIZE,
      };
    case 'initiate':
      return {
        body: () => json(INITIATE, { input: initiateInput(fixture) }),
        ok: (body) => body.includes('"__typename":"InitiateTransactionSuccess"'),
      };
  }
}

/** The same shape as REST calls straight to the sandbox (see bare-upstream.ts). */
export function bareOperation(shape: Shape, bare: BareUpstream, fixture: Fixture): () => Promise<void> {
  switch (shape) {
    case 'warm catalog':
    case 'cold catalog':
      return () => bare.catalog();
    case 'transaction':
      return () => bare.transaction(fixture.transactionId);
    case SETTLED_SHAPE: {
      const id = settledIdOf(fixture);
      return () => bare.transaction(id);
    }
    case 'page of 50':
      return () => bare.page(PAGE_SIZE);
    case 'initiate':
      return () => bare.initiate(initiateInput(fixture));
  }
}

function settledIdOf(fixture: Fixture): string {
  if (!fixture.settledTransactionId) throw new Error('this stack seeded no settled transaction');
  return fixture.settledTransactionId;
}

/**
 * Seeds `count` transactions through the gateway's initiate mutation, spread over every
 * active currency and method (so a page's relations touch the whole catalog); with `settle`,
 * one more, paid on the checkout page.
 */
export async function seed(gatewayUrl: string, count: number, { settle = false } = {}): Promise<Fixture> {
  const endpoint = `${gatewayUrl}/graphql`;
  const catalog = await post<{ currencies: { id: string; paymentMethods: { id: string; isActive: boolean }[] }[] }>(
    endpoint,
    '{ currencies { id paymentMethods { id isActive } } }',
  );
  const pairs = (catalog.data?.currencies ?? []).flatMap((c) =>
    c.paymentMethods.filter((m) => m.isActive).map((m) => ({ currencyId: c.id, paymentMethodId: m.id })),
  );
  if (pairs.length === 0) throw new Error('seed: the sandbox offers no active payment method');
  const ids: string[] = [];
  const signatures: string[] = [];
  for (let i = 0; i < count + (settle ? 1 : 0); i++) {
    const result = await post<{ initiateTransaction: { __typename: string; signature?: string; transaction?: { id: string } } }>(endpoint, INITIATE, {
      input: initiateInput(pairs[i % pairs.length]!),
    });
    const answer = result.data?.initiateTransaction;
    if (answer?.__typename !== 'InitiateTransactionSuccess' || !answer.transaction) {
      throw new Error(`seed: initiate answered ${JSON.stringify(result)}`);
    }
    ids.push(answer.transaction.id);
    signatures.push(answer.signature ?? '');
  }
  if (settle) await payOnCheckout(endpoint, REQUEST_HEADERS, signatures.at(-1)!);
  return { transactionId: ids[0]!, settledTransactionId: settle ? ids.at(-1)! : null, ...pairs[0]! };
}

async function post<T>(endpoint: string, query: string, variables?: object): Promise<{ data?: T; errors?: unknown[] }> {
  const response = await fetch(endpoint, { method: 'POST', headers: REQUEST_HEADERS, body: json(query, variables) });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}

/**
 * Which cases run. With 20 ms added, every shape in every variant: that is where
 * batching and caching matter; the warm catalog also without the response cache (what a
 * catalog query costs through yoga: a miss) and then without graphql-jit too, and a
 * transaction without graphql-jit, to show what each is worth. With 0 ms, every shape but the
 * cold catalog against its baselines. The shapes that call KS Pay on every request also run
 * with the client on global fetch (its transport before issue 22), at both latencies, to show
 * what the node:http transport is worth, and initiate at 0 ms through yoga's own handler, to show what the
 * front door's execute stage is worth; settled lookups are bench/settled-cases.ts's. Every
 * shape has its floor at both latencies, run interleaved with the rows it is compared with.
 */
export function plan(): PlannedCase[] {
  const at20: [Shape, Variant][] = [
    ['warm catalog', 'gateway'],
    ['warm catalog', 'gateway, no response cache'],
    ['warm catalog', 'gateway, no response cache, graphql-js'],
    ['warm catalog', 'naive gateway'],
    ['warm catalog', 'bare upstream'],
    ['warm catalog', 'floor'],
    ['cold catalog', 'gateway, CATALOG_TTL_MS=1'],
    ['transaction', 'gateway'],
    ['transaction', 'gateway, graphql-js'],
    ['transaction', 'gateway, global fetch'],
    ['transaction', 'naive gateway'],
    ['transaction', 'bare upstream'],
    ['transaction', 'floor'],
    ['page of 50', 'gateway'],
    ['page of 50', 'gateway, global fetch'],
    ['page of 50', 'naive gateway'],
    ['page of 50', 'bare upstream'],
    ['page of 50', 'floor'],
    ['initiate', 'gateway'],
    ['initiate', 'gateway, global fetch'],
    ['initiate', 'naive gateway'],
    ['initiate', 'bare upstream'],
    ['initiate', 'floor'],
  ];
  const at0: [Shape, Variant][] = (['warm catalog', 'transaction', 'page of 50', 'initiate'] as Shape[]).flatMap((shape) =>
    (['gateway', 'gateway, global fetch', 'gateway, yoga handler', 'naive gateway', 'bare upstream', 'floor'] as Variant[])
      .filter((variant) => variant !== 'gateway, global fetch' || shape !== 'warm catalog')
      // Where the CPU of a payment is the whole cost: what running it without yoga's WHATWG layer is worth.
      .filter((variant) => variant !== 'gateway, yoga handler' || shape === 'initiate')
      .map((variant): [Shape, Variant] => [shape, variant]),
  );
  return [
    ...at20.map(([shape, variant]) => ({ latencyMs: 20, shape, variant })),
    ...at0.map(([shape, variant]) => ({ latencyMs: 0, shape, variant })),
    ...settledPlan(),
  ];
}

/**
 * With `--compare`, the compared gateways beside the plain gateway in every case of `cases`
 * where that runs: the same shape at the same latency, measured in the same group.
 */
export function withCompared(cases: PlannedCase[], compared: readonly Variant[]): PlannedCase[] {
  if (compared.length === 0) return cases;
  return cases.flatMap((c) => (c.variant === 'gateway' ? [c, ...compared.map((variant) => ({ ...c, variant }))] : [c]));
}

/** The naive and bare rows a shape is compared with: the catalog has one pair for warm and cold. */
export function baselineShape(shape: Shape): Shape {
  return shape === 'cold catalog' ? 'warm catalog' : shape;
}
