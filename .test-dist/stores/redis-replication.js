import { Counter } from 'prom-client';
import { infoField } from './redis-epoch.js';
import { isCluster, primariesOf } from './redis-topology.js';
/** Idempotency hash tags on a Cluster: enough to spread records over any realistic number of shards. */
const IDEMPOTENCY_TAG_COUNT = 256;
export function idempotencyTags() {
    return Array.from({ length: IDEMPOTENCY_TAG_COUNT }, (_, i) => `{kspay-idem-${i}}`);
}
/** The record's key: on a Cluster it carries one of the tags, chosen by the idempotency key (FNV-1a). */
export function recordKeyFor(prefix, key, clustered) {
    if (!clustered)
        return prefix + key;
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++)
        hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return `${prefix}{kspay-idem-${(hash >>> 0) % IDEMPOTENCY_TAG_COUNT}}:${key}`;
}
/** No replica acknowledged a claim in time: KS Pay was not called, the claim was taken back; retrying is safe. */
export class RedisReplicationError extends Error {
    constructor() {
        super('redis: no replica acknowledged the idempotency claim');
        this.name = 'RedisReplicationError';
    }
}
export function createRedisTopologyMetrics(registry) {
    const registers = [registry];
    return {
        primaryChanges: new Counter({
            name: 'kspay_gateway_redis_primary_changes_total',
            help: 'Redis primaries replaced (a failover or a restart, seen as a new run_id); each opens the look-up window',
            registers,
        }),
        claimsUnreplicated: new Counter({
            name: 'kspay_gateway_redis_claims_unreplicated_total',
            help: 'Idempotency claims refused (typed, retryable) because no replica acknowledged them within the wait',
            registers,
        }),
        claimsReplicated: new Counter({
            name: 'kspay_gateway_redis_claims_replicated_total',
            help: 'Idempotency claims that waited for (and got) a replica acknowledgement (WAIT) before KS Pay was called',
            registers,
        }),
        slotRefreshes: new Counter({
            name: 'kspay_gateway_redis_cluster_slot_refreshes_total',
            help: 'Redis Cluster slot-map refreshes (after MOVED/ASK redirections, node changes or failovers)',
            registers,
        }),
        redirections: new Counter({
            name: 'kspay_gateway_redis_cluster_redirections_total',
            help: 'Redis Cluster redirections followed, by kind: moved (a slot changed owner) or ask (a slot being migrated)',
            labelNames: ['kind'],
            registers,
        }),
    };
}
export function watchTopology(redis, metrics) {
    if (!metrics || !isCluster(redis))
        return;
    const cluster = redis;
    cluster.on('refresh', () => metrics.slotRefreshes.inc());
    for (const kind of ['moved', 'ask'])
        metrics.redirections.inc({ kind }, 0);
    // Every command's and pipeline's error reply passes here before ioredis follows a MOVED or ASK;
    // the client emits no event for either, so the one place that sees them is wrapped.
    const handleError = cluster.handleError.bind(cluster);
    cluster.handleError = (error, ...rest) => {
        const kind = /^(MOVED|ASK) /.exec(error.message)?.[1];
        if (kind)
            metrics.redirections.inc({ kind: kind.toLowerCase() });
        handleError(error, ...rest);
    };
}
export async function describeTopology(topology, redis) {
    const nodes = primariesOf(redis);
    const infos = await Promise.all(nodes.map((node) => node.info('replication')));
    const clusterInfo = isCluster(redis) ? String(await nodes[0]?.cluster('INFO')) : null;
    return {
        kind: topology.kind,
        clusterState: clusterInfo === null ? null : infoField(clusterInfo, 'cluster_state'),
        primaries: nodes.map(addressOf),
        replicas: infos.map((info) => Number(infoField(info, 'connected_slaves') ?? 0)),
    };
}
/** Where a connection is connected to (never its credentials). */
function addressOf(node) {
    const stream = node.stream;
    return stream?.remoteAddress ? `${stream.remoteAddress}:${stream.remotePort}` : `${node.options.host}:${node.options.port}`;
}
