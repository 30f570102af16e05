import { isLaterStatus } from '../webhooks/events.js';
import { evalBySha } from './redis-scripts.js';
/** How long events and deliveries are kept: past WEBHOOK_RETRY_MS's default of 3 days, for webhookDeliveries. */
const RETENTION_MS = 10 * 24 * 3_600_000;
/** Events kept in the log for listing. */
const MAX_LOGGED_EVENTS = 100_000;
/** How far behind a lane's head a later status is looked for (a lane holds one entry per status, plus redeliveries). */
const MAX_LANE_LOOKAHEAD = 20;
export function createRedisWebhookStores(redis, namespace) {
    const prefix = `kspay-gateway:webhooks:${namespace}:`;
    return { watchList: new RedisWatchList(redis, prefix), outbox: new RedisOutbox(redis, prefix) };
}
const ADD_WATCH = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1`;
const UPDATE_WATCH = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`;
class RedisWatchList {
    redis;
    #keys;
    constructor(redis, prefix) {
        this.redis = redis;
        this.#keys = [`${prefix}watch`, `${prefix}watch:due`, `${prefix}watch:since`];
    }
    async add(entry) {
        return (await evalBySha(this.redis, ADD_WATCH, 3, ...this.#keys, entry.id, JSON.stringify(entry), entry.nextPollAt, entry.since)) === 1;
    }
    async get(id) {
        const json = await this.redis.hget(this.#keys[0], id);
        return json ? JSON.parse(json) : null;
    }
    async due(now, limit) {
        return this.#entries(await this.redis.zrangebyscore(this.#keys[1], '-inf', now, 'LIMIT', 0, limit));
    }
    async update(entry) {
        await evalBySha(this.redis, UPDATE_WATCH, 2, this.#keys[0], this.#keys[1], entry.id, JSON.stringify(entry), entry.nextPollAt);
    }
    async remove(id) {
        await this.redis.multi().hdel(this.#keys[0], id).zrem(this.#keys[1], id).zrem(this.#keys[2], id).exec();
    }
    async olderThan(before, limit) {
        return this.#entries(await this.redis.zrangebyscore(this.#keys[2], '-inf', `(${before}`, 'LIMIT', 0, limit));
    }
    async size() {
        return this.redis.hlen(this.#keys[0]);
    }
    async #entries(ids) {
        if (ids.length === 0)
            return [];
        const found = await this.redis.hmget(this.#keys[0], ...ids);
        return found.flatMap((json) => (json ? [JSON.parse(json)] : []));
    }
}
/**
 * KEYS: rank, seq, event, log, txlog, due, undelivered, then per delivery: its key and its lane's key.
 * ARGV: rank, ttl, event id, event JSON, final ('1'/'0'), now, max logged, then per delivery: id, JSON, lane.
 */
const APPEND_EVENT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local seq = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[2])
redis.call('ZADD', KEYS[4], seq, ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -tonumber(ARGV[7]) - 1)
redis.call('ZADD', KEYS[5], seq, ARGV[3])
redis.call('PEXPIRE', KEYS[5], ARGV[2])
local n = (#KEYS - 7) / 2
for i = 0, n - 1 do
  local id, json, lane = ARGV[8 + i * 3], ARGV[9 + i * 3], ARGV[10 + i * 3]
  redis.call('SET', KEYS[8 + i * 2], json, 'PX', ARGV[2])
  redis.call('RPUSH', KEYS[9 + i * 2], id)
  -- Due now even behind a head in backoff: a retried head is superseded by this later status.
  redis.call('ZADD', KEYS[6], ARGV[6], lane)
  if ARGV[5] == '1' then redis.call('ZADD', KEYS[7], seq, id) end
end
return seq`;
/**
 * KEYS: delivery, lane, due, undelivered.
 * ARGV: JSON, ttl, done, next due time, lane, id, delivered ('1'/'0'), now, lane length seen (-1: unknown).
 * Done: the head leaves the lane and the next one is due now. Otherwise the lane waits for the
 * retry, unless it grew meanwhile (a later status may supersede the head: due now).
 */
const RECORD_ATTEMPT = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[7] == '1' then redis.call('ZREM', KEYS[4], ARGV[6]) end
if ARGV[3] ~= '1' then
  local seen = tonumber(ARGV[9])
  if seen >= 0 and redis.call('LLEN', KEYS[2]) > seen then
    redis.call('ZADD', KEYS[3], ARGV[8], ARGV[5])
  else
    redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
  end
  return 1
end
if redis.call('LINDEX', KEYS[2], 0) == ARGV[6] then redis.call('LPOP', KEYS[2]) end
if redis.call('LLEN', KEYS[2]) > 0 then redis.call('ZADD', KEYS[3], ARGV[8], ARGV[5]) else redis.call('ZREM', KEYS[3], ARGV[5]) end
return 1`;
/** KEYS: delivery, lane, due, undelivered. ARGV: JSON, ttl, requeue ('1'/'0'), now, lane, id, final ('1'/'0'). */
const REQUEUE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[7] == '1' then redis.call('ZADD', KEYS[4], ARGV[4], ARGV[6]) end
if ARGV[3] == '1' then
  if redis.call('RPUSH', KEYS[2], ARGV[6]) == 1 then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5]) end
elseif redis.call('LINDEX', KEYS[2], 0) == ARGV[6] then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
end
return 1`;
/** KEYS: lane, due. ARGV: lane. Forgets the lane only if it is still empty: an event may have just arrived. */
const FORGET_EMPTY_LANE = `
if redis.call('LLEN', KEYS[1]) == 0 then return redis.call('ZREM', KEYS[2], ARGV[1]) end
return 0`;
class RedisOutbox {
    redis;
    prefix;
    constructor(redis, prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }
    async append(event, deliveries, rank) {
        const p = this.prefix;
        const keys = [
            `${p}rank:${event.transactionId}`,
            `${p}seq`,
            `${p}ev:${event.id}`,
            `${p}log`,
            `${p}txlog:${event.transactionId}`,
            `${p}due`,
            `${p}undelivered`,
        ];
        const args = [rank, RETENTION_MS, event.id, JSON.stringify(event), isFinal(event) ? '1' : '0', Date.now(), MAX_LOGGED_EVENTS];
        for (const delivery of deliveries) {
            keys.push(`${p}dl:${delivery.id}`, `${p}lane:${delivery.lane}`);
            args.push(delivery.id, JSON.stringify(delivery), delivery.lane);
        }
        return (await evalBySha(this.redis, APPEND_EVENT, keys.length, ...keys, ...args)) !== 0;
    }
    async dueLanes(now, limit) {
        return this.redis.zrangebyscore(`${this.prefix}due`, '-inf', now, 'LIMIT', 0, limit);
    }
    async backlog(sampleLanes) {
        const [lanes, sample] = await Promise.all([this.redis.zcard(`${this.prefix}due`), this.redis.zrange(`${this.prefix}due`, 0, sampleLanes - 1)]);
        if (sample.length === 0)
            return { lanes, oldestCreatedAt: null };
        const headIds = await Promise.all(sample.map((lane) => this.redis.lindex(`${this.prefix}lane:${lane}`, 0)));
        const deliveries = await this.#deliveries(headIds.filter((id) => id !== null));
        const eventIds = deliveries.filter((d) => d.state === 'PENDING').map((d) => `${this.prefix}ev:${d.eventId}`);
        const events = eventIds.length ? await this.redis.mget(eventIds) : [];
        const times = events.flatMap((json) => (json ? [Date.parse(JSON.parse(json).createdAt)] : []));
        return { lanes, oldestCreatedAt: times.length ? Math.min(...times) : null };
    }
    async head(lane) {
        for (;;) {
            const id = await this.redis.lindex(`${this.prefix}lane:${lane}`, 0);
            if (id === null) {
                await evalBySha(this.redis, FORGET_EMPTY_LANE, 2, `${this.prefix}lane:${lane}`, `${this.prefix}due`, lane);
                return null;
            }
            const delivery = await this.#json(`dl:${id}`);
            const event = delivery ? await this.#json(`ev:${delivery.eventId}`) : null;
            if (delivery && event)
                return { event, delivery, ...(await this.#behind(lane, event.status)) };
            // Expired past retention: drop it from the lane and look at the next.
            await this.redis.lrem(`${this.prefix}lane:${lane}`, 1, id);
        }
    }
    /** How long the lane is, and whether a later status than the head's waits in it (lanes are a few entries long). */
    async #behind(lane, headStatus) {
        const queued = await this.redis.llen(`${this.prefix}lane:${lane}`);
        if (queued < 2)
            return { queued, newerQueued: false };
        const deliveries = await this.#deliveries(await this.redis.lrange(`${this.prefix}lane:${lane}`, 1, MAX_LANE_LOOKAHEAD));
        if (deliveries.length === 0)
            return { queued, newerQueued: false };
        const events = await this.redis.mget(...deliveries.map((d) => `${this.prefix}ev:${d.eventId}`));
        const newerQueued = events.some((json) => json !== null && isLaterStatus(JSON.parse(json).status, headStatus));
        return { queued, newerQueued };
    }
    async record(delivery, done, now, queued = -1) {
        const p = this.prefix;
        const keys = [`${p}dl:${delivery.id}`, `${p}lane:${delivery.lane}`, `${p}due`, `${p}undelivered`];
        const delivered = delivery.state === 'DELIVERED' ? '1' : '0';
        const args = [JSON.stringify(delivery), RETENTION_MS, done ? '1' : '0', delivery.nextAttemptAt ?? now, delivery.lane, delivery.id, delivered, now, queued];
        await evalBySha(this.redis, RECORD_ATTEMPT, keys.length, ...keys, ...args);
    }
    async find(eventId) {
        const [event, seq] = await Promise.all([this.#json(`ev:${eventId}`), this.redis.zscore(`${this.prefix}log`, eventId)]);
        return event ? this.#withDeliveries(Number(seq ?? 0), event) : null;
    }
    async list({ limit, beforeSeq, transactionId }) {
        const log = transactionId ? `${this.prefix}txlog:${transactionId}` : `${this.prefix}log`;
        const max = beforeSeq === undefined ? '+inf' : `(${beforeSeq}`;
        const flat = await this.redis.zrevrangebyscore(log, max, '-inf', 'WITHSCORES', 'LIMIT', 0, limit);
        const page = [];
        for (let i = 0; i < flat.length; i += 2) {
            const event = await this.#json(`ev:${flat[i]}`);
            if (event)
                page.push(await this.#withDeliveries(Number(flat[i + 1]), event));
        }
        return page;
    }
    async redeliver(eventId, now) {
        const found = await this.find(eventId);
        if (!found)
            return false;
        const p = this.prefix;
        for (const delivery of found.deliveries) {
            const requeue = delivery.state !== 'PENDING';
            const next = { ...delivery, state: 'PENDING', nextAttemptAt: now };
            const keys = [`${p}dl:${delivery.id}`, `${p}lane:${delivery.lane}`, `${p}due`, `${p}undelivered`];
            const args = [JSON.stringify(next), RETENTION_MS, requeue ? '1' : '0', now, delivery.lane, delivery.id, isFinal(found.event) ? '1' : '0'];
            await evalBySha(this.redis, REQUEUE, keys.length, ...keys, ...args);
        }
        return true;
    }
    async undeliveredFinal(limit) {
        const ids = await this.redis.zrange(`${this.prefix}undelivered`, 0, limit - 1);
        return this.#deliveries(ids);
    }
    async #withDeliveries(seq, event) {
        return { seq, event, deliveries: await this.#deliveries(event.deliveryIds) };
    }
    async #deliveries(ids) {
        if (ids.length === 0)
            return [];
        const found = await this.redis.mget(...ids.map((id) => `${this.prefix}dl:${id}`));
        return found.flatMap((json) => (json ? [JSON.parse(json)] : []));
    }
    async #json(key) {
        const json = await this.redis.get(this.prefix + key);
        return json === null ? null : JSON.parse(json);
    }
}
function isFinal(event) {
    return event.status === 'SUCCESS' || event.status === 'FAILED';
}
