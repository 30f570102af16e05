/**
 * Automatic persisted queries (PERSISTED_OPERATIONS=allow), Apollo's protocol: an unknown
 * hash is PersistedQueryNotFound, the retry with the query registers it (hash checked,
 * document valid), and from then on the hash alone runs it — on every instance with Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/documents/document-id.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { MemoryApqStore } from '../../src/stores/memory.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let sandbox: Sandbox;
let redis: RedisServer;
let stack: Stack;
beforeAll(async () => {
  sandbox = await startSandbox();
  redis = await startRedisServer();
  stack = await startStack({ sharedSandbox: sandbox, env: { PERSISTED_OPERATIONS: 'allow' } });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
  await redis?.stop();
});

async function send(target: Stack, body: { query?: string; hash: string }) {
  const response = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: body.query, extensions: { persistedQuery: { version: 1, sha256Hash: body.hash } } }),
  });
  return { status: response.status, ...(await response.json()) };
}

/** Until the instance's Redis connection is up (commands fail fast while it connects). */
async function connected(target: Stack): Promise<void> {
  const redisUp = async () => ((await (await fetch(`${target.url}/health/dependencies`)).json()) as { status: string }).status === 'ok';
  while (!(await redisUp())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A query no other test has registered. */
let queries = 0;
function freshQuery(): { query: string; hash: string } {
  queries += 1;
  const query = `query Apq${process.pid}x${queries} { currencies { id code } }`;
  return { query, hash: sha256Hex(query) };
}

describe('automatic persisted queries', () => {
  it('registers a query on the full-query retry; then the hash alone runs it', async () => {
    const { query, hash } = freshQuery();
    sandbox.calls.reset();
    const miss = await send(stack, { hash });
    expect(miss.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    expect(sandbox.calls.count()).toBe(0);

    expect((await send(stack, { query, hash })).data.currencies.length).toBeGreaterThan(0);
    expect((await send(stack, { hash })).data.currencies.length).toBeGreaterThan(0);
  });

  it('refuses a hash that is not the sha256 of the query, registers nothing, calls nothing', async () => {
    const { query } = freshQuery();
    const other = freshQuery();
    sandbox.calls.reset();
    const result = await send(stack, { query, hash: other.hash });
    expect(result.status).toBe(400);
    expect(result.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect((await send(stack, { hash: other.hash })).errors[0].message).toBe('PersistedQueryNotFound');
    expect(sandbox.calls.count()).toBe(0);
  });

  it('does not register a query that fails validation', async () => {
    const query = `query Broken${process.pid} { noSuchField }`;
    const hash = sha256Hex(query);
    expect((await send(stack, { query, hash })).errors.length).toBeGreaterThan(0);
    expect((await send(stack, { hash })).errors[0].message).toBe('PersistedQueryNotFound');
  });

  it('the in-process store is bounded: the least recently used query is forgotten', async () => {
    const store = new MemoryApqStore({ maxEntries: 2 });
    await store.set('a', '{ a }');
    await store.set('b', '{ b }');
    await store.get('a');
    await store.set('c', '{ c }');
    expect(store.size).toBe(2);
    expect(await store.get('b')).toBeNull();
    expect(await store.get('a')).toBe('{ a }');
  });

  it('with REDIS_URL, a query registered on one instance runs by hash on another', async () => {
    const env = { PERSISTED_OPERATIONS: 'allow', REDIS_URL: redis.url };
    const overrides = { observability: { dependencyCheckCacheMs: 0 } };
    const a = await startStack({ sharedSandbox: sandbox, env, overrides });
    const b = await startStack({ sharedSandbox: sandbox, env, overrides });
    try {
      await connected(a);
      await connected(b);
      const { query, hash } = freshQuery();
      expect((await send(a, { query, hash })).data.currencies.length).toBeGreaterThan(0);
      expect((await send(b, { hash })).data.currencies.length).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
