/**
 * Noticing that Redis forgot: an epoch marker written when this gateway first meets the
 * Redis, checked inside the claim script (no extra round trip on the hot path) and on a
 * timer together with Redis' run_id, so a loss is seen even without traffic.
 *
 * A missing marker means the data set was emptied (restart without persistence,
 * FLUSHALL, eviction); another marker means another instance saw that first and wrote a
 * new one; another run_id means Redis restarted or a replica was promoted, which may
 * cost the writes of its last second. Each is a loss: listeners are told at once.
 *
 * One marker covers a single Redis. On a Cluster there is one marker per idempotency hash
 * tag (src/stores/redis.ts spreads records over IDEMPOTENCY_TAGS tags), in the same slot as
 * the records it covers, so the claim script can check it and a shard that lost its data is
 * seen; run_ids are those of every primary.
 */
import { randomUUID } from 'node:crypto';
import { primariesOf } from './redis-topology.js';
/** How often the marker and run_id are checked without traffic. */
export const EPOCH_CHECK_MS = 2_000;
export class RedisEpoch {
    #redis;
    #options;
    #listeners = [];
    /** The epoch this instance believes in, per marker key; empty until the Redis is met. */
    #epochs = new Map();
    /** The run_ids of the primaries seen at the last check: a new one is a restart or a promoted replica. */
    #runIds = null;
    /** Replicas every primary had at the last check: what a claim waits for (WAIT). */
    #replicas = 0;
    /** The connection was lost since the last check: a primary may have changed, so check before the next claim. */
    #unverified = false;
    #starting = null;
    /** Losses handled so far: a claim that saw one happen while it waited must not go on. */
    #losses = 0;
    #timer = null;
    /** A loss being handled: the claim script and the timer may both see the same one. */
    #handling = null;
    constructor(redis, options) {
        this.#redis = redis;
        this.#options = options;
        // A reconnect may land on a promoted replica: the next claim checks first.
        redis.on('close', () => (this.#unverified = this.#epochs.size > 0));
    }
    /** The marker key covering `recordKey`: the one marker, or (on a Cluster) the one sharing its hash tag, hence its slot. */
    markerKeyFor(recordKey) {
        const tag = /\{[^}]+\}/.exec(recordKey);
        return tag ? `${this.#options.prefix}epoch:${tag[0]}` : `${this.#options.prefix}epoch`;
    }
    onLoss(listener) {
        this.#listeners.push(listener);
    }
    /** How many losses this instance has handled (see `current`). */
    get losses() {
        return this.#losses;
    }
    /** Replicas each claim must reach before KS Pay is called (0: the primaries have none, so none can be promoted). */
    replicasToWaitFor() {
        return this.#replicas;
    }
    /** Checks the marker and run_id every EPOCH_CHECK_MS from now on. */
    watch() {
        this.#timer = setInterval(() => void this.check().catch(() => undefined), EPOCH_CHECK_MS);
        this.#timer.unref();
    }
    stop() {
        if (this.#timer)
            clearInterval(this.#timer);
    }
    /** The epoch this instance believes in for `markerKey`; the first call meets the Redis (a fresh Redis is no loss). */
    async current(markerKey = this.markerKeyFor('')) {
        if (this.#epochs.size === 0) {
            this.#starting ??= this.#meet().finally(() => (this.#starting = null));
            await this.#starting;
        }
        else if (this.#unverified)
            await this.check();
        await this.#handling;
        return this.#epochs.get(markerKey) ?? '';
    }
    /** The claim script found `seen` (null: no marker) instead of our epoch. */
    async mismatch(seen) {
        await this.#lost(seen === null ? 'marker-missing' : 'marker-changed');
    }
    /** One check: every marker, and the primaries' run_ids. */
    async check() {
        if (this.#epochs.size === 0) {
            await this.current();
            return;
        }
        this.#unverified = false;
        const keys = this.#markerKeys();
        const [markers, primaries] = await Promise.all([Promise.all(keys.map((key) => this.#redis.get(key))), this.#primaries()]);
        const missing = markers.some((marker) => marker === null);
        const changed = markers.some((marker, i) => marker !== null && marker !== this.#epochs.get(keys[i] ?? ''));
        const seenBefore = this.#runIds;
        const newPrimary = seenBefore !== null && [...primaries.runIds].some((id) => !seenBefore.has(id));
        this.#runIds = primaries.runIds;
        this.#replicas = primaries.replicas;
        // Counted whoever handles the loss first: another instance may have replaced the markers already.
        if (newPrimary)
            this.#options.onPrimaryChange?.();
        if (missing || changed)
            await this.#lost(missing ? 'marker-missing' : 'marker-changed');
        else if (newPrimary)
            await this.#lost('restarted');
    }
    /** Marker keys: one, or one per idempotency hash tag on a Cluster. */
    #markerKeys() {
        const tags = this.#options.tags ?? [];
        return tags.length === 0 ? [this.markerKeyFor('')] : tags.map((tag) => this.markerKeyFor(tag));
    }
    async #primaries() {
        const nodes = primariesOf(this.#redis);
        const infos = await Promise.all(nodes.map((node) => node.info()));
        const replicas = Math.min(...infos.map((info) => Number(infoField(info, 'connected_slaves') ?? 0)));
        return { runIds: new Set(infos.flatMap((info) => infoField(info, 'run_id') ?? [])), replicas: Number.isFinite(replicas) ? replicas : 0 };
    }
    async #meet() {
        await this.#adoptOrWrite(false);
        const primaries = await this.#primaries();
        this.#runIds = primaries.runIds;
        this.#replicas = primaries.replicas;
        const persistence = await Promise.all(primariesOf(this.#redis).map((node) => node.info('persistence')));
        if (persistence.some((info) => infoField(info, 'aof_enabled') !== '1') && !this.#options.acceptDataLoss) {
            this.#options.onWarning(`${this.#options.variable ?? 'REDIS_URL'} ${redisKeepsNothingLine()}`);
        }
    }
    /**
     * Per marker: writes a new one unless one other than ours is there already, and believes
     * the marker then in force. `replaceOurs`: our own marker survived a loss (a restart
     * that kept data, a promoted replica): replace it, so every instance learns of the loss.
     */
    async #adoptOrWrite(replaceOurs) {
        await Promise.all(this.#markerKeys().map(async (key) => {
            const fresh = randomUUID();
            const ours = this.#epochs.get(key) ?? null;
            const written = await this.#redis.set(key, fresh, 'NX');
            const epoch = written === 'OK' ? fresh : await this.#redis.get(key);
            if (epoch === null || (replaceOurs && epoch === ours)) {
                await this.#redis.set(key, fresh);
                this.#epochs.set(key, fresh);
            }
            else
                this.#epochs.set(key, epoch);
        }));
    }
    #lost(cause) {
        this.#handling ??= this.#handle(cause).finally(() => (this.#handling = null));
        return this.#handling;
    }
    async #handle(cause) {
        const detectedAt = Date.now();
        await this.#adoptOrWrite(true);
        this.#losses += 1;
        const event = { detectedAt, cause };
        for (const listener of this.#listeners)
            listener(event);
    }
}
/** What a gateway says of a REDIS_URL that keeps nothing (after the variable's name). */
export function redisKeepsNothingLine() {
    return ('points at a Redis that keeps nothing across a restart (append-only file off), so idempotency ' +
        'records could be lost and a payment sent twice: turn AOF on (appendonly yes, appendfsync everysec in ' +
        'redis.conf, or CONFIG SET appendonly yes), or set REDIS_ACCEPT_DATA_LOSS=true to run anyway');
}
/** One `field:value` line of an INFO section; null when absent. */
export function infoField(info, field) {
    const match = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
    return match ? match[1].trim() : null;
}
