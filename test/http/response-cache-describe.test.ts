/**
 * The response cache describes (hashes and keys) only what it could ever store: a mutation
 * or a page of transactions goes straight to yoga, without the key's canonical variables
 * and join, on the miss path every initiate takes.
 */
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/http/response-cache.js';
import { CatalogCache } from '../../src/reads/catalog-cache.js';

const caller = { keyId: null, scopes: '*', can: () => true };
const cache = new ResponseCache(new CatalogCache({ ttlMs: 60_000, maxStaleMs: 0, shared: null }), { maxDocumentBytes: 100_000 });

describe('what the response cache describes', () => {
  it('a catalog query or a lookup by id: a key', () => {
    expect(cache.describe(caller, 'application/json', { query: '{ currencies { code } }' })?.key).toEqual(expect.any(String));
    expect(cache.describe(caller, undefined, { query: 'query($id: ID!) { transaction(id: $id) { id status } }', variables: { id: 't1' } })).not.toBeNull();
  });

  it('a mutation or a page of transactions: nothing, so no key is built for it', () => {
    const initiate = 'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { __typename } }';
    expect(cache.describe(caller, undefined, { query: initiate, variables: { input: { amount: '1' } } })).toBeNull();
    expect(cache.describe(caller, undefined, { query: '{ transactions(first: 5) { edges { node { id } } } }' })).toBeNull();
  });
});
