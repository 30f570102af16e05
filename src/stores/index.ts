/**
 * createStores: the one place that chooses between the in-process stores and Redis.
 * Everything that survives a request — idempotency records, the shared catalog level,
 * the poll lock, subscription events, registered persisted queries — comes from the set
 * it returns, and `close()` releases whichever set it is.
 */
import type { Config } from '../config.js';
import { LocalPollLock, MemoryApqStore, MemoryIdempotencyStore } from './memory.js';
import { createRedisStores } from './redis.js';
import { memorySignatureOwners } from './signature-owners.js';
import { createMemoryWebhookStores } from './webhooks-memory.js';
import type { Stores } from './types.js';

export function createStores(
  config: Pick<Config, 'redisUrl' | 'idempotencyMaxRecords' | 'redisAcceptDataLoss'>,
  onWarning?: (message: string) => void,
): Stores {
  if (config.redisUrl) return createRedisStores(config.redisUrl, { acceptDataLoss: config.redisAcceptDataLoss, onWarning });
  const idempotency = new MemoryIdempotencyStore({ maxRecords: config.idempotencyMaxRecords });
  return {
    kind: 'memory',
    idempotency,
    sharedCatalog: null,
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
