/**
 * The settled-transaction cache beyond one process and within its bound: two gateways on one
 * real redis-server share it (one reads from KS Pay, the other then makes 0 calls); the
 * in-process level forgets past SETTLED_CACHE_MAX_BYTES; and whatever Redis holds, a status
 * that is not final is never served from it.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { paymentAt } from '../support/payment-stages.js';
import { LOOKUP, NODES } from '../support/documents.js';

let redis: RedisServer;
let sandbox: Sandbox;
let a: Stack;
let b: Stack;

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox();
  const env = { REDIS_URL: redis.url };
  a = await startStack({ sharedSandbox: sandbox, env });
  b = await startStack({ sharedSandbox: sandbox, env });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await sandbox?.close();
  await redis?.stop();
});
beforeEach(() => sandbox.calls.reset());

const lookupCalls = () => sandbox.calls.count('transaction');

describe('two instances on one Redis', () => {
  it('share settled transactions: what one read from KS Pay, the other answers with 0 upstream calls', async () => {
    const ids = [await paymentAt(a, 'SUCCESS', '7.5'), await paymentAt(a, 'FAILED')];
    sandbox.calls.reset();
    const fromKsPay = await a.gql(NODES, { ids });
    expect(fromKsPay.data.nodes).toEqual([
      { id: ids[0], status: 'SUCCESS' },
      { id: ids[1], status: 'FAILED' },
    ]);
    expect(lookupCalls()).toBe(2);
    sandbox.calls.reset();
    // The write to Redis is not awaited by the read that made it: wait for it, not for time.
    await waitForEntries(ids.length);
    const fromRedis = await b.gql(NODES, { ids });
    expect(fromRedis.data).toEqual(fromKsPay.data);
    expect((await b.gql(LOOKUP, { id: ids[0] })).data.transaction).toEqual({ id: ids[0], status: 'SUCCESS', amount: '7.5' });
    expect(sandbox.calls.count()).toBe(0);
  });

  it('do not share a transaction that is not settled: each lookup on either instance is 1 call', async () => {
    const id = await paymentAt(a, 'PROCESSING');
    sandbox.calls.reset();
    await a.gql(LOOKUP, { id });
    await b.gql(LOOKUP, { id });
    await b.gql(LOOKUP, { id });
    expect(lookupCalls()).toBe(3);
    expect(await keysOf(id)).toEqual([]);
  });

  it('never serve a status that is not final, whatever Redis holds under the key', async () => {
    const id = await paymentAt(a, 'PROCESSING', '3');
    const [key] = await keysLike('*');
    expect(key).toBeDefined();
    // An entry planted under this transaction's key, claiming it PROCESSING (or settled with another id): ignored.
    const client = new Redis(redis.url);
    try {
      const forged = key!.replace(/[^:]+$/, id);
      await client.set(forged, JSON.stringify({ id, status: 'PROCESSING', amount: '999' }));
      sandbox.calls.reset();
      const answer = await b.gql(LOOKUP, { id });
      expect(answer.data.transaction).toEqual({ id, status: 'PROCESSING', amount: '3' });
      expect(lookupCalls()).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});

describe('the in-process bound (SETTLED_CACHE_MAX_BYTES)', () => {
  let small: Stack;
  beforeAll(async () => {
    // Room for two or three entries (each its JSON plus 400 bytes, as estimated): four settled reads evict the first.
    // The response cache off: it would answer the repeated lookup itself, and this is the settled cache's bound.
    small = await startStack({ sharedSandbox: sandbox, env: { SETTLED_CACHE_MAX_BYTES: '2000' }, overrides: { without: { responseCache: true } } });
  });
  afterAll(() => small?.close());

  it('evicts the least recently used settled transaction past the bound; it is then read from KS Pay again', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await paymentAt(small, 'SUCCESS'));
    sandbox.calls.reset();
    for (const id of ids) await small.gql(LOOKUP, { id });
    expect(lookupCalls()).toBe(4);
    sandbox.calls.reset();
    await small.gql(LOOKUP, { id: ids[3] }); // the newest is kept
    expect(lookupCalls()).toBe(0);
    await small.gql(LOOKUP, { id: ids[0] }); // the oldest was evicted
    expect(lookupCalls()).toBe(1);
  });
});

async function keysLike(pattern: string): Promise<string[]> {
  const client = new Redis(redis.url);
  try {
    return await client.keys(`kspay-gateway:settled:${pattern}`);
  } finally {
    client.disconnect();
  }
}

const keysOf = (id: string) => keysLike(`*:${id}`);

async function waitForEntries(count: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await keysLike('*')).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Redis never held ${count} settled transactions`);
}
