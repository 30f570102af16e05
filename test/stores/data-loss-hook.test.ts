/**
 * Stores.onDataLoss, the hook other parts react to (e.g. a webhook sweep): it fires
 * without any traffic when Redis is emptied (FLUSHALL) or restarts (even with its
 * append-only file: a restart or failover may cost its last second), once per loss per
 * instance, and never for the in-process stores.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStores } from '../../src/stores/index.js';
import type { DataLossEvent, Stores } from '../../src/stores/types.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let redis: RedisServer;
let stores: Stores;
const events: DataLossEvent[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  stores = createStores({ redis: { url: redis.url, acceptDataLoss: false }, idempotencyMaxRecords: 10 });
  stores.onDataLoss((event) => events.push(event));
  // Met once: the marker is written, and a fresh Redis is no loss.
  const admin = new Redis(redis.url);
  await vi.waitUntil(async () => (await admin.get('kspay-gateway:epoch')) !== null, { timeout: 10_000, interval: 50 });
  admin.disconnect();
});
afterAll(async () => {
  await stores?.close();
  await redis?.stop();
});

describe('onDataLoss', () => {
  it('does not fire for a fresh Redis', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // one periodic check
    expect(events).toHaveLength(0);
  });

  it('fires once, without traffic, when Redis is emptied', async () => {
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    await vi.waitUntil(() => events.length > 0, { timeout: 10_000, interval: 50 });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // the next check finds the new marker: no second event
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ cause: 'marker-missing' });
    expect(typeof events[0]!.detectedAt).toBe('number');
  });

  it('fires when Redis restarts, even keeping its data', async () => {
    await redis.stop();
    await redis.start();
    await vi.waitUntil(() => events.length > 1, { timeout: 15_000, interval: 50 });
    expect(events[1]).toMatchObject({ cause: 'restarted' });
  });

  it('never fires for the in-process stores', () => {
    const memory = createStores({ redis: { url: null, acceptDataLoss: false }, idempotencyMaxRecords: 10 });
    const listener = vi.fn();
    memory.onDataLoss(listener);
    expect(listener).not.toHaveBeenCalled();
    void memory.close();
  });
});
