/**
 * The start-up check that Redis keeps what it is given: an idempotency record lost in a
 * restart could let a retried initiate pay twice. A Redis without an append-only file
 * stops start-up, unless REDIS_ACCEPT_DATA_LOSS says the operator accepts that. A Redis
 * that cannot be reached now does not: the gateway refuses initiates until it can, and
 * checks again (src/stores/redis-epoch.ts) when it meets it.
 */
import { ConfigError } from '../config.js';
import { infoField, redisKeepsNothingLine } from './redis-epoch.js';
import { connectRedis, primariesOf } from './redis-topology.js';
export async function checkRedisPersistence(topology, acceptDataLoss) {
    const redis = connectRedis(topology, { lazyConnect: true, connectTimeout: 2_000, commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    let info;
    try {
        await redis.connect();
        // Every primary of a Cluster must keep its data: one that forgets is enough to pay twice.
        const infos = await Promise.all(primariesOf(redis).map((node) => node.info('persistence')));
        info = infos.find((each) => infoField(each, 'aof_enabled') !== '1') ?? infos[0] ?? '';
    }
    catch {
        return 'unreachable';
    }
    finally {
        redis.disconnect();
    }
    if (infoField(info, 'aof_enabled') === '1')
        return 'aof';
    if (acceptDataLoss)
        return 'accepted-loss';
    const variable = { single: 'REDIS_URL', cluster: 'REDIS_CLUSTER_NODES', sentinel: 'REDIS_SENTINELS' }[topology.kind];
    throw new ConfigError(variable, redisKeepsNothingLine());
}
