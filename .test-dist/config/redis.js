/** Shared state: one Redis, a Cluster or a Sentinel-watched primary (at most one of the three), or none. */
import { z } from 'zod';
import { problem } from './problems.js';
import { flag, list } from './rules.js';
import { parseWith, setting } from './settings.js';
export const REDIS_VARIABLES = {
    REDIS_URL: setting('redis', 'REDIS_URL', null, 'One Redis (redis:// or rediss:// for TLS) shared by every instance. compose.yaml sets redis://redis:6379.', 'unset (state in process)'),
    REDIS_CLUSTER_NODES: setting('redis', 'REDIS_CLUSTER_NODES', null, 'Or a Redis Cluster: comma-separated host:port seeds (or redis(s):// URLs).', 'unset'),
    REDIS_SENTINELS: setting('redis', 'REDIS_SENTINELS', null, 'Or a primary under Sentinel: comma-separated sentinel host:port pairs.', 'unset'),
    REDIS_SENTINEL_NAME: setting('redis', 'REDIS_SENTINEL_NAME', null, 'The name of the primary the sentinels watch; required with REDIS_SENTINELS.', 'unset'),
    REDIS_PASSWORD: setting('redis', 'REDIS_PASSWORD', null, "The password for whichever Redis is set (a URL's userinfo works too).", 'unset'),
    REDIS_ACCEPT_DATA_LOSS: setting('redis', 'REDIS_ACCEPT_DATA_LOSS', false, '`true` starts on a Redis without an append-only file (appendonly no); otherwise that stops start-up.'),
};
const V = REDIS_VARIABLES;
const redisSeeds = list.pipe(z
    .array(z.string().regex(/^(rediss?:\/\/([^@/]*@)?)?[^\s/@]+:\d{1,5}$/, 'must be comma-separated host:port pairs'))
    .min(1, 'must name at least one host:port'));
export function parseRedis(env) {
    const url = parseWith(env, V.REDIS_URL, z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'));
    const clusterNodes = parseWith(env, V.REDIS_CLUSTER_NODES, redisSeeds);
    const sentinels = parseWith(env, V.REDIS_SENTINELS, redisSeeds);
    const sentinelName = parseWith(env, V.REDIS_SENTINEL_NAME, z.string().regex(/^[\w.-]+$/, 'must be the name of the primary the sentinels watch'));
    const password = parseWith(env, V.REDIS_PASSWORD, z.string());
    const named = [url && 'REDIS_URL', clusterNodes && 'REDIS_CLUSTER_NODES', sentinels && 'REDIS_SENTINELS'].filter(Boolean);
    if (named.length > 1)
        problem(env, String(named[1]), `cannot be set together with ${named[0]}: set exactly one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS`, null);
    if (sentinels && !sentinelName)
        problem(env, 'REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS (the name of the primary the sentinels watch)', null);
    if (sentinelName && !sentinels)
        problem(env, 'REDIS_SENTINEL_NAME', 'is set but REDIS_SENTINELS is not', null);
    return Object.freeze({ url, clusterNodes, sentinels, sentinelName, password, acceptDataLoss: parseWith(env, V.REDIS_ACCEPT_DATA_LOSS, flag) });
}
