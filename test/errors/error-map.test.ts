/**
 * Every KS Pay error code of docs/kspay-api.md, forced through the sandbox, reaches the
 * client as the typed gateway error of the table in src/errors/from-kspay.ts, with the upstream
 * code kept in `upstreamCode`. Schema-level: through yoga's fetch, against a real sandbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KSPAY_ERROR_TABLE } from '../../src/errors/from-kspay.js';
import type { KsPayEndpoint } from '../../src/kspay/types.js';
import { startStack, type FetchStack } from '../support/stack.js';
import { newReference } from '../support/references.js';
import { CATALOG } from '../support/documents.js';

let stack: FetchStack;
let input: Record<string, string>;

beforeAll(async () => {
  // Forced failures must not trip the circuit breaker for the cases that follow.
  stack = await startStack({ transport: 'fetch', overrides: { kspay: { breaker: { failureThreshold: 1_000 }, retry: { maxAttempts: 1 } } } });
  const { data } = await stack.gql(CATALOG);
  const inr = data.currencies.find((c: { code: string }) => c.code === 'INR');
  input = { currencyId: inr.id, paymentMethodId: inr.paymentMethods[0].id, amount: '10', redirectUrl: 'https://shop.example/r' };
});
afterAll(() => stack.close());
afterEach(() => stack.sandbox.faults.reset());

const UNION_FIELDS =
  '__typename ... on Error { code message } ... on UpstreamUnavailableError { retryable upstreamCode } ... on UpstreamRejectedError { upstreamCode field } ... on ValidationError { upstreamCode field } ... on SignatureInvalidError { upstreamCode reason } ... on NotFoundError { upstreamCode }';

/** Forces `code` on `endpoint` and returns what the client sees. */
async function forced(endpoint: KsPayEndpoint, status: number, code: number): Promise<Record<string, unknown>> {
  stack.sandbox.faults.set({ forceError: { [endpoint]: { status, code, message: `forced ${code}` } } });
  stack.app.cache.clear();
  switch (endpoint) {
    case 'initiate': {
      const r = await stack.gql(`mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { ${UNION_FIELDS} } }`, {
        input: { ...input, referenceNumber: newReference() },
      });
      return r.data.initiateTransaction;
    }
    case 'process': {
      const r = await stack.gql(`mutation { processTransaction(input: { signature: "${'a'.repeat(64)}" }) { ${UNION_FIELDS} } }`);
      return r.data.processTransaction;
    }
    case 'transactions': {
      const r = await stack.gql('{ transactions(first: 5) { totalCount } }');
      return r.errors![0]!.extensions!;
    }
    case 'paymentMethods': {
      const r = await stack.gql(`{ paymentMethods(currencyId: "${input.currencyId}") { id } }`);
      return r.errors![0]!.extensions!;
    }
    default: {
      const r = await stack.gql('{ currencies { id } }');
      return r.errors![0]!.extensions!;
    }
  }
}

type Case = [number, number, KsPayEndpoint, Record<string, unknown>];
const CASES: Case[] = [
  [9000, 400, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9000 }],
  [9002, 400, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9002 }],
  [9005, 400, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9005 }],
  [9007, 401, 'initiate', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9007 }],
  [9008, 401, 'initiate', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9008 }],
  [9009, 401, 'initiate', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 9009 }],
  [11002, 404, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 11002 }],
  [11004, 400, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 11004 }],
  [11008, 400, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 11008 }],
  [11011, 404, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: false, upstreamCode: 11011 }],
  [11005, 400, 'process', { code: 'SIGNATURE_INVALID', reason: 'EXPIRED', upstreamCode: 11005 }],
  [11005, 429, 'process', { code: 'UPSTREAM_UNAVAILABLE', retryable: true, upstreamCode: 11005 }],
  [11006, 400, 'process', { code: 'SIGNATURE_INVALID', reason: 'MALFORMED', upstreamCode: 11006 }],
  [1052, 400, 'paymentMethods', { code: 'NOT_FOUND', upstreamCode: 1052 }],
  [1052, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: 1052, field: 'input.currencyId' }],
  [12001, 404, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: 12001, field: 'input.paymentMethodId' }],
  [13006, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: 13006, field: 'input.paymentMethodId' }],
  [13007, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: 13007, field: 'input.currencyId' }],
  [13007, 403, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: 13007 }],
  [-3, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: -3 }],
  [-9, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: -9 }],
  [-17, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: -17 }],
  [-19, 400, 'initiate', { code: 'VALIDATION', upstreamCode: -19, field: 'input.amount' }],
  [24, 404, 'process', { code: 'NOT_FOUND', upstreamCode: 24 }],
  [25, 400, 'initiate', { code: 'UPSTREAM_REJECTED', upstreamCode: 25 }],
  [26, 500, 'currencies', { code: 'UPSTREAM_UNAVAILABLE', retryable: true, upstreamCode: 26 }],
  [27, 400, 'process', { code: 'UPSTREAM_UNAVAILABLE', retryable: true, upstreamCode: 27 }],
  [4089, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 4089, field: 'after' }],
  [4056, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 4056, field: 'first' }],
  [11006, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 11006, field: 'to' }],
  [11007, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 11007, field: 'from' }],
  [11009, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 11009, field: 'from' }],
  [11010, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 11010, field: 'from' }],
  [11011, 400, 'transactions', { code: 'VALIDATION', upstreamCode: 11011, field: 'to' }],
];

describe('KS Pay error codes → typed gateway errors', () => {
  it('covers every code of the table', () => {
    const tested = new Set(CASES.map(([code]) => code));
    expect(
      Object.keys(KSPAY_ERROR_TABLE)
        .map(Number)
        .filter((code) => !tested.has(code)),
    ).toEqual([]);
  });

  it.each(CASES)('%i (HTTP %i) on %s', async (code, status, endpoint, expected) => {
    const seen = await forced(endpoint, status, code);
    expect(seen).toMatchObject(expected);
    expect(JSON.stringify(seen)).not.toContain(stack.sandbox.credentials.secretKey);
    expect(JSON.stringify(seen)).not.toContain(`forced ${code}`); // KS Pay's own text stays in the log
  });

  it('masks unexpected failures without leaking details', async () => {
    stack.sandbox.faults.set({ forceError: { currencies: { status: 418, code: 999_999, message: 'teapot internals' } } });
    stack.app.cache.clear();
    const r = await stack.gql('{ currencies { id } }');
    expect(r.errors?.[0]!.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamCode: 999_999 });
    expect(r.errors?.[0]!.message).toBe('KS Pay refused the request (code 999999)');
    expect(JSON.stringify(r)).not.toContain('teapot');
  });
});
