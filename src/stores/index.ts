/**
 * createStores: the one place that chooses between the in-process stores and Redis.
 * Everything that survives a request — idempotency records, the shared catalog level,
 * the poll lock, subscription events, registered persisted queries — comes from the set
 * it returns, and `close()` releases whichever set it is.
 */
import type { RedisConfig } from '../config.js';
import { LocalPollLock, MemoryApqStore, MemoryIdempotencyStore } from './memory.js';
import type { Registry } from 'prom-client';
import { createRedisStores } from './redis.js';
import { createRedisTopologyMetrics } from './redis-replication.js';
import { redisTopologyOf, type RedisTopologyConfig } from './redis-topology.js';
import { memoryReferenceLedger } from './reference-ledger.js';
import { memorySignatureOwners } from './signature-owners.js';
import { createMemoryWebhookStores } from './webhooks-memory.js';
import type { Stores } from './types.js';

export function createStores(
  config: { redis: RedisTopologyConfig & Pick<RedisConfig, 'acceptDataLoss'>; idempotencyMaxRecords: number },
  onWarning?: (message: string) => void,
  registry?: Registry,
): Stores {
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

export type { Stores } from './types.js';
