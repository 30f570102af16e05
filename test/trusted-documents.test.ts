/** PERSISTED_OPERATIONS: off (default), allow, only — with codegen's sha256 manifest. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogDocument } from '../examples/gql/graphql.js';
import manifest from '../examples/gql/persisted-documents.json' with { type: 'json' };
import { startSandbox, type Sandbox } from '../src/sandbox/server.js';
import { startStack, type Stack } from './harness.js';

const catalogHash = (CatalogDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
const bareHash = catalogHash.replace(/^sha256:/, '');

let sandbox: Sandbox;
const stacks: Record<'off' | 'allow' | 'only', Stack> = {} as never;
beforeAll(async () => {
  sandbox = await startSandbox();
  for (const mode of ['off', 'allow', 'only'] as const) {
    stacks[mode] = await startStack({ sharedSandbox: sandbox, env: { PERSISTED_OPERATIONS: mode } });
  }
});
afterAll(async () => {
  for (const stack of Object.values(stacks)) await stack.close();
  await sandbox.close();
});

async function byHash(stack: Stack, hash: string) {
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  return { status: response.status, ...(await response.json()) };
}

describe('trusted documents', () => {
  it('codegen emits sha256 hashes of the example operations', () => {
    expect(Object.keys(manifest).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(manifest).every((key) => /^sha256:[0-9a-f]{64}$/.test(key))).toBe(true);
    expect(manifest[catalogHash as keyof typeof manifest]).toMatch(/^query Catalog/);
  });

  it('only: runs a known document by hash (with or without the algorithm prefix)', async () => {
    for (const hash of [catalogHash, bareHash]) {
      const result = await byHash(stacks.only, hash);
      expect(result.data.currencies.map((c: { code: string }) => c.code)).toContain('INR');
    }
  });

  it('only: refuses an arbitrary query and an unknown hash, with no upstream call', async () => {
    sandbox.calls.reset();
    const arbitrary = await stacks.only.gql('{ currencies { id } }');
    expect(arbitrary.errors?.[0].message).toMatch(/persisted/i);
    const unknown = await byHash(stacks.only, 'f'.repeat(64));
    expect(unknown.errors?.[0].message).toMatch(/PersistedQueryNotFound/);
    expect(sandbox.calls.count()).toBe(0);
  });

  it('allow: runs both known documents and arbitrary queries', async () => {
    expect((await byHash(stacks.allow, bareHash)).data.currencies.length).toBeGreaterThan(0);
    expect((await stacks.allow.gql('{ currencies { id } }')).data.currencies.length).toBeGreaterThan(0);
  });

  it('off (default): runs arbitrary queries and does not resolve hashes', async () => {
    expect((await stacks.off.gql('{ currencies { id } }')).data.currencies.length).toBeGreaterThan(0);
    const result = await byHash(stacks.off, bareHash);
    expect(result.data).toBeUndefined();
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
