import { LocalPollLock, MemoryApqStore, MemoryIdempotencyStore } from './memory.js';
import { createRedisStores } from './redis.js';
import { createRedisTopologyMetrics } from './redis-replication.js';
import { redisTopologyOf } from './redis-topology.js';
import { memoryReferenceLedger } from './reference-ledger.js';
import { memorySignatureOwners } from './signature-owners.js';
import { createMemoryWebhookStores } from './webhooks-memory.js';
export function createStores(config, onWarning, registry) {
    const topology = redisTopologyOf(config.redis);
    if (topology) {
        const metrics = registry ? createRedisTopologyMetrics(registry) : undefined;
        return createRedisStores(topology, { acceptDataLoss: config.redis.acceptDataLoss, onWarning, metrics });
    }
    const idempotency = new MemoryIdempotencyStore({ maxRecords: config.idempotencyMaxRecords });
    return {
        kind: 'memory',
        idempotency,
        referenceLedger: memoryReferenceLedger(config.idempotencyMaxRecords),
        sharedCatalog: null,
        sharedSettled: () => null,
        pollLock: new LocalPollLock(),
        apq: new MemoryApqStore(),
        signatureOwners: memorySignatureOwners(config.idempotencyMaxRecords),
        eventTarget: undefined, // yoga's in-process event target
        webhooks: () => createMemoryWebhookStores(),
        dependencyChecks: {},
        onDataLoss: () => undefined, // the process is the store: it cannot outlive what it forgets
        async close() {
            idempotency.close();
        },
    };
}
