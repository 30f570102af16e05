/**
 * Which Redis the gateway talks to — one server (REDIS_URL), a Redis Cluster
 * (REDIS_CLUSTER_NODES) or a primary under Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME) —
 * and the client for it. Passwords (REDIS_PASSWORD or a seed's userinfo) and TLS (a
 * `rediss://` seed) work for all three. Everything above this file sees one `Redis`: a
 * Cluster client answers the same commands, routed by key.
 */
import { Cluster, Redis } from 'ioredis';
/** The topology the configuration names; null: no Redis (in-process stores). */
export function redisTopologyOf(config) {
    const password = config.password ?? null;
    if (config.clusterNodes?.length)
        return { kind: 'cluster', nodes: config.clusterNodes, password };
    if (config.sentinels?.length && config.sentinelName) {
        return { kind: 'sentinel', sentinels: config.sentinels, name: config.sentinelName, password };
    }
    return config.url ? { kind: 'single', url: config.url, password } : null;
}
/** `host:port`, or a `redis://`/`rediss://` URL with optional userinfo. */
export function parseSeed(seed) {
    const url = new URL(seed.includes('://') ? seed : `redis://${seed}`);
    return {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || 6379),
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        tls: url.protocol === 'rediss:',
    };
}
/** A client for the topology; `options` are the per-connection ones (timeouts, queueing, retries). */
export function connectRedis(topology, options, { shardedSubscribers = false } = {}) {
    if (topology.kind === 'single') {
        return new Redis(topology.url, topology.password ? { ...options, password: topology.password } : options);
    }
    const seeds = (topology.kind === 'cluster' ? topology.nodes : topology.sentinels).map(parseSeed);
    // Credentials and TLS come from the first seed (config guarantees one).
    const first = seeds[0] ?? parseSeed('127.0.0.1:6379');
    const auth = { username: first.username, password: topology.password ?? first.password };
    const tls = first.tls ? { tls: {} } : {};
    if (topology.kind === 'sentinel') {
        return new Redis({
            ...options,
            ...auth,
            ...tls,
            sentinels: seeds.map(({ host, port }) => ({ host, port })),
            name: topology.name,
            sentinelUsername: auth.username,
            sentinelPassword: auth.password,
            enableTLSForSentinelMode: first.tls,
            // Learn of a promotion from the sentinels at once, rather than at the next failed command.
            failoverDetector: true,
        });
    }
    const cluster = new Cluster(seeds.map(({ host, port }) => ({ host, port })), {
        enableOfflineQueue: options.enableOfflineQueue,
        lazyConnect: options.lazyConnect,
        // SSUBSCRIBE on the node owning each channel's slot, so a channel's messages keep their order.
        shardedSubscribers,
        redisOptions: { ...options, ...auth, ...tls },
        scaleReads: 'master',
        slotsRefreshTimeout: 2_000,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // Same commands, routed by key: the stores need nothing else of it.
    return cluster;
}
/** The connections that hold data: every cluster primary, or the one primary. */
export function primariesOf(redis) {
    return isCluster(redis) ? redis.nodes('master') : [redis];
}
export function isCluster(redis) {
    return redis instanceof Cluster;
}
