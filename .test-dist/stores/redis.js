/**
 * The Redis stores (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS: see
 * src/stores/redis-topology.ts): idempotency records, the shared catalog level, the poll
 * lock and the subscription event target, over two clients — one for commands and one
 * for pub/sub (a subscribed connection can do nothing else).
 * Commands fail fast when Redis is down or slow, so callers can fall back instead of
 * queueing behind it.
 */
import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { RedisEpoch } from './redis-epoch.js';
import { RedisReplicationError, idempotencyTags, recordKeyFor, describeTopology, watchTopology } from './redis-replication.js';
import { evalBySha, scriptCommand } from './redis-scripts.js';
import { connectRedis, isCluster } from './redis-topology.js';
import { redisReferenceLedger } from './reference-ledger.js';
import { redisSettledStore } from './settled-redis.js';
import { redisSignatureOwners } from './signature-owners.js';
import { createRedisWebhookStores } from './webhooks-redis.js';
const PREFIX = 'kspay-gateway:';
const COMMAND_TIMEOUT_MS = 500;
/** How long a claim waits for a replica's acknowledgement (WAIT), below the command timeout. */
const REPLICA_WAIT_MS = 300;
export function createRedisStores(topology, { acceptDataLoss, onWarning = () => undefined, metrics }) {
    const options = {
        // Never queue commands while disconnected: a payment must not wait on a dead Redis.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: COMMAND_TIMEOUT_MS,
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    };
    const commands = connectRedis(topology, options);
    // The subscriber must queue its SUBSCRIBE until connected, and keep its subscriptions across reconnects.
    const subscriber = connectRedis(topology, { ...options, enableOfflineQueue: true, commandTimeout: undefined }, { shardedSubscribers: true });
    const clustered = isCluster(commands);
    watchTopology(commands, metrics);
    // Connection errors surface as failed commands; without listeners ioredis would log them itself.
    commands.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    const tags = clustered ? idempotencyTags() : [];
    const epoch = new RedisEpoch(commands, {
        prefix: PREFIX,
        acceptDataLoss,
        onWarning,
        tags,
        variable: { single: 'REDIS_URL', cluster: 'REDIS_CLUSTER_NODES', sentinel: 'REDIS_SENTINELS' }[topology.kind],
        onPrimaryChange: () => metrics?.primaryChanges.inc(),
    });
    epoch.watch();
    void epoch.current().catch(() => undefined); // meet the Redis now; a Redis down is met later
    return {
        kind: 'redis',
        idempotency: new RedisIdempotencyStore(commands, epoch, clustered, metrics),
        referenceLedger: redisReferenceLedger(commands, `${PREFIX}reference-ledger`),
        sharedCatalog: new RedisCatalogStore(commands),
        sharedSettled: (appId) => redisSettledStore(commands, PREFIX, appId, clustered),
        pollLock: new RedisPollLock(commands),
        apq: new RedisApqStore(commands),
        signatureOwners: redisSignatureOwners(commands, `${PREFIX}signature-owner:`),
        eventTarget: createRedisEventTarget({ publishClient: bestEffortPubSub(commands, clustered), subscribeClient: bestEffortPubSub(subscriber, clustered) }),
        // On a Cluster one outbox's keys share its hash tag, so each of its scripts runs on one shard.
        webhooks: (namespace) => createRedisWebhookStores(commands, clustered ? `{${namespace}}` : namespace),
        dependencyChecks: { redis: () => commands.ping() },
        describeRedis: () => describeTopology(topology, commands),
        onDataLoss: (listener) => epoch.onLoss(listener),
        async close() {
            epoch.stop();
            await Promise.all([quitOrDisconnect(commands), quitOrDisconnect(subscriber)]);
        },
    };
}
/** A graceful close: QUIT lets replies already under way arrive; a Redis that is down or stuck is just dropped. */
async function quitOrDisconnect(redis, withinMs = 1_000) {
    let timer;
    const stuck = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('QUIT timed out')), withinMs)));
    try {
        await Promise.race([redis.quit(), stuck]);
    }
    catch {
        redis.disconnect();
    }
    finally {
        clearTimeout(timer);
    }
}
/**
 * The event target calls publish and subscribe without awaiting them, so a rejection
 * there (Redis down) would be unhandled and end the process. Live updates are best
 * effort (the poll still runs): this wrapper drops those failures.
 */
function bestEffortPubSub(redis, sharded) {
    const dropFailure = (pending) => void pending.catch(() => undefined);
    // On a Cluster, sharded pub/sub (Redis 7): a channel lives on its slot's shard, so its messages keep their order.
    const wrapper = {
        publish: (channel, message) => dropFailure(sharded ? redis.spublish(channel, message) : redis.publish(channel, message)),
        subscribe: (channel) => dropFailure(sharded ? redis.ssubscribe(channel) : redis.subscribe(channel)),
        unsubscribe: (channel) => dropFailure(sharded ? redis.sunsubscribe(channel) : redis.unsubscribe(channel)),
        on: (event, listener) => {
            redis.on(sharded && event === 'message' ? 'smessage' : event, listener);
            return wrapper;
        },
    };
    // Only these four methods are used by @graphql-yoga/redis-event-target.
    return wrapper;
}
/**
 * Compare-and-set on the record's version and creation time (JSON fields `version`,
 * `createdAt`). The creation time tells two incarnations of a reference apart: after
 * Redis lost a record, a new claim starts again at version 1, and the old holder's
 * write must not land on it.
 */
const REPLACE_IF_VERSION = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.version == tonumber(ARGV[1]) and record.createdAt == tonumber(ARGV[4]) then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;
const REMOVE_IF_VERSION = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.version == tonumber(ARGV[1]) and (ARGV[2] == '' or record.createdAt == tonumber(ARGV[2])) then
  return redis.call('DEL', KEYS[1])
end
return 0`;
/**
 * SET NX, only while the epoch marker is ours: a record created in a Redis that forgot
 * must not be created before the gateway knows it forgot. 1: created; 0: the key is
 * taken; otherwise the marker found ('' when missing).
 */
const CREATE_IN_EPOCH = `
local epoch = redis.call('GET', KEYS[2])
if epoch ~= ARGV[1] then return epoch or '' end
if redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') then return 1 end
return 0`;
/** One record per reference for every instance: `create` is SET NX, changes are compare-and-set scripts. */
class RedisIdempotencyStore {
    #redis;
    #epoch;
    #prefix = `${PREFIX}idempotency:`;
    #clustered;
    #metrics;
    constructor(redis, epoch, clustered, metrics) {
        this.#redis = redis;
        this.#epoch = epoch;
        this.#clustered = clustered;
        this.#metrics = metrics;
    }
    #key(key) {
        return recordKeyFor(this.#prefix, key, this.#clustered);
    }
    async get(key) {
        const json = await this.#redis.get(this.#key(key));
        return json === null ? null : JSON.parse(json);
    }
    /** False also when the marker showed a loss: the loss is handled (listeners told) first, so the caller's next read knows. */
    async create(key, record, ttlMs) {
        const recordKey = this.#key(key);
        const markerKey = this.#epoch.markerKeyFor(recordKey);
        const losses = this.#epoch.losses;
        const epoch = await this.#epoch.current(markerKey);
        // The check before the first claim after a reconnect found a loss: the caller must read again, now inside the look-up window.
        if (this.#epoch.losses !== losses)
            return false;
        const replicas = this.#epoch.replicasToWaitFor();
        // The claim and its WAIT in one round trip, on the connection to the record's primary.
        const command = scriptCommand(this.#redis, CREATE_IN_EPOCH); // defined before the pipeline, which copies the client's scripts
        const pipeline = this.#redis.pipeline();
        pipeline[command]?.(2, recordKey, markerKey, epoch, JSON.stringify(record), ttlMs);
        if (replicas > 0)
            pipeline.wait(replicas, REPLICA_WAIT_MS);
        const replies = (await pipeline.exec()) ?? [];
        const [error, created] = replies[0] ?? [new Error('redis: no reply to the claim')];
        if (error)
            throw error;
        if (typeof created === 'string')
            await this.#epoch.mismatch(created === '' ? null : created);
        if (created !== 1 || replicas === 0)
            return created === 1;
        const [, acknowledged] = replies[1] ?? [];
        if (Number(acknowledged) >= replicas) {
            this.#metrics?.claimsReplicated.inc();
            return true;
        }
        // Not on a replica: a failover now would forget the claim. Take it back and let the client retry.
        this.#metrics?.claimsUnreplicated.inc();
        await this.remove(key, record.version, record.createdAt).catch(() => undefined);
        throw new RedisReplicationError();
    }
    async replace(key, next, ttlMs) {
        const swapped = await evalBySha(this.#redis, REPLACE_IF_VERSION, 1, this.#key(key), next.version - 1, JSON.stringify(next), ttlMs, next.createdAt);
        return swapped === 1;
    }
    async remove(key, version, createdAt) {
        return (await evalBySha(this.#redis, REMOVE_IF_VERSION, 1, this.#key(key), version, createdAt ?? '')) === 1;
    }
}
/**
 * The catalog's second level: an instance that has never fetched the catalog serves what
 * another fetched. Entries carry their original fetch time, so every instance judges
 * freshness alike.
 */
class RedisCatalogStore {
    #redis;
    #prefix = `${PREFIX}catalog:`;
    constructor(redis) {
        this.#redis = redis;
    }
    async get(key) {
        const json = await this.#redis.get(this.#prefix + key);
        return json === null ? null : JSON.parse(json);
    }
    async set(key, entry, ttlMs) {
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
class RedisPollLock {
    #redis;
    #prefix = `${PREFIX}poll-lock:`;
    #me = randomUUID();
    constructor(redis) {
        this.#redis = redis;
    }
    async acquire(key, ttlMs) {
        return (await evalBySha(this.#redis, ACQUIRE_OR_RENEW, 1, this.#prefix + key, this.#me, ttlMs)) === 1;
    }
    async release(key) {
        await evalBySha(this.#redis, RELEASE_IF_HOLDER, 1, this.#prefix + key, this.#me);
    }
}
/** A registered query outlives a deploy by this much; unused ones expire. */
const APQ_TTL_MS = 24 * 3_600_000;
/**
 * Registered queries shared by every instance, each expiring a day after its last
 * registration. Redis being down only costs the client its full-query retry.
 */
class RedisApqStore {
    #redis;
    #prefix = `${PREFIX}apq:`;
    constructor(redis) {
        this.#redis = redis;
    }
    async get(hash) {
        return this.#redis.get(this.#prefix + hash).catch(() => null);
    }
    async set(hash, query) {
        await this.#redis.set(this.#prefix + hash, query, 'PX', APQ_TTL_MS).catch(() => undefined);
    }
}
