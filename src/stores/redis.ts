/**
 * The Redis stores (REDIS_URL): idempotency records, the shared catalog level, the poll
 * lock and the subscription event target, over two connections of one instance — one
 * for commands and one for pub/sub (a subscribed connection can do nothing else).
 * Commands fail fast when Redis is down or slow, so callers can fall back instead of
 * queueing behind it.
 */
import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { IdempotencyRecord } from '../payments/idempotency.js';
import { redisSignatureOwners } from './signature-owners.js';
import { createRedisWebhookStores } from './webhooks-redis.js';
import type { ApqStore, CatalogEntry, IdempotencyStore, PollLock, SharedCatalogStore, Stores } from './types.js';

const PREFIX = 'kspay-gateway:';
const COMMAND_TIMEOUT_MS = 500;

export function createRedisStores(url: string): Stores {
  const options = {
    // Never queue commands while disconnected: a payment must not wait on a dead Redis.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const commands = new Redis(url, options);
  // The subscriber must queue its SUBSCRIBE until connected, and keep its subscriptions across reconnects.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true, commandTimeout: undefined });
  // Connection errors surface as failed commands; without listeners ioredis would log them itself.
  commands.on('error', () => undefined);
  subscriber.on('error', () => undefined);

  return {
    kind: 'redis',
    idempotency: new RedisIdempotencyStore(commands),
    sharedCatalog: new RedisCatalogStore(commands),
    pollLock: new RedisPollLock(commands),
    apq: new RedisApqStore(commands),
    signatureOwners: redisSignatureOwners(commands, `${PREFIX}signature-owner:`),
    eventTarget: createRedisEventTarget({ publishClient: bestEffortPubSub(commands), subscribeClient: bestEffortPubSub(subscriber) }),
    webhooks: (namespace) => createRedisWebhookStores(commands, namespace),
    readiness: { redis: () => commands.ping() },
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/**
 * The event target calls publish and subscribe without awaiting them, so a rejection
 * there (Redis down) would be unhandled and end the process. Live updates are best
 * effort (the poll still runs): this wrapper drops those failures.
 */
function bestEffortPubSub(redis: Redis): Redis {
  const dropFailure = (pending: Promise<unknown>) => void pending.catch(() => undefined);
  const wrapper = {
    publish: (channel: string, message: string) => dropFailure(redis.publish(channel, message)),
    subscribe: (channel: string) => dropFailure(redis.subscribe(channel)),
    unsubscribe: (channel: string) => dropFailure(redis.unsubscribe(channel)),
    on: (event: string, listener: (...args: any[]) => void) => {
      redis.on(event, listener);
      return wrapper;
    },
  };
  // Only these four methods are used by @graphql-yoga/redis-event-target.
  return wrapper as unknown as Redis;
}

/** Compare-and-set on the record's version; the record is JSON with a top-level `version`. */
const REPLACE_IF_VERSION = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).version == tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

const REMOVE_IF_VERSION = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).version == tonumber(ARGV[1]) then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** One record per reference for every instance: `create` is SET NX, changes are compare-and-set scripts. */
class RedisIdempotencyStore implements IdempotencyStore {
  readonly #redis: Redis;
  readonly #prefix = `${PREFIX}idempotency:`;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async get(key: string): Promise<IdempotencyRecord | null> {
    const json = await this.#redis.get(this.#prefix + key);
    return json === null ? null : (JSON.parse(json) as IdempotencyRecord);
  }

  async create(key: string, record: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(this.#prefix + key, JSON.stringify(record), 'PX', ttlMs, 'NX')) === 'OK';
  }

  async replace(key: string, next: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    const swapped = await this.#redis.eval(REPLACE_IF_VERSION, 1, this.#prefix + key, next.version - 1, JSON.stringify(next), ttlMs);
    return swapped === 1;
  }

  async remove(key: string, version: number): Promise<boolean> {
    return (await this.#redis.eval(REMOVE_IF_VERSION, 1, this.#prefix + key, version)) === 1;
  }
}

/**
 * The catalog's second level: an instance that has never fetched the catalog serves what
 * another fetched. Entries carry their original fetch time, so every instance judges
 * freshness alike.
 */
class RedisCatalogStore implements SharedCatalogStore {
  readonly #redis: Redis;
  readonly #prefix = `${PREFIX}catalog:`;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async get(key: string): Promise<CatalogEntry<unknown> | null> {
    const json = await this.#redis.get(this.#prefix + key);
    return json === null ? null : (JSON.parse(json) as CatalogEntry<unknown>);
  }

  async set(key: string, entry: CatalogEntry<unknown>, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#prefix + key, JSON.stringify(entry), 'PX', ttlMs);
  }
}

const ACQUIRE_OR_RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RELEASE_IF_HOLDER = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Which instance polls a transaction: the one holding its lock. The holder renews it on
 * every poll; if it dies, the lock lapses and another watcher takes over.
 */
class RedisPollLock implements PollLock {
  readonly #redis: Redis;
  readonly #prefix = `${PREFIX}poll-lock:`;
  readonly #me = randomUUID();

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async acquire(key: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.eval(ACQUIRE_OR_RENEW, 1, this.#prefix + key, this.#me, ttlMs)) === 1;
  }

  async release(key: string): Promise<void> {
    await this.#redis.eval(RELEASE_IF_HOLDER, 1, this.#prefix + key, this.#me);
  }
}

/** A registered query outlives a deploy by this much; unused ones expire. */
const APQ_TTL_MS = 24 * 3_600_000;

/**
 * Registered queries shared by every instance, each expiring a day after its last
 * registration. Redis being down only costs the client its full-query retry.
 */
class RedisApqStore implements ApqStore {
  readonly #redis: Redis;
  readonly #prefix = `${PREFIX}apq:`;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async get(hash: string): Promise<string | null> {
    return this.#redis.get(this.#prefix + hash).catch(() => null);
  }

  async set(hash: string, query: string): Promise<void> {
    await this.#redis.set(this.#prefix + hash, query, 'PX', APQ_TTL_MS).catch(() => undefined);
  }
}
