/**
 * The start-up check that Redis keeps what it is given: an idempotency record lost in a
 * restart could let a retried initiate pay twice. A Redis without an append-only file
 * stops start-up, unless REDIS_ACCEPT_DATA_LOSS says the operator accepts that. A Redis
 * that cannot be reached now does not: the gateway refuses initiates until it can, and
 * checks again (src/stores/redis-epoch.ts) when it meets it.
 */
import { Redis } from 'ioredis';
import { ConfigError } from '../config.js';
import { infoField, redisKeepsNothingLine } from './redis-epoch.js';

export type PersistenceVerdict = 'aof' | 'accepted-loss' | 'unreachable';

export async function checkRedisPersistence(url: string, acceptDataLoss: boolean): Promise<PersistenceVerdict> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  let info: string;
  try {
    await redis.connect();
    info = await redis.info('persistence');
  } catch {
    return 'unreachable';
  } finally {
    redis.disconnect();
  }
  if (infoField(info, 'aof_enabled') === '1') return 'aof';
  if (acceptDataLoss) return 'accepted-loss';
  throw new ConfigError('REDIS_URL', redisKeepsNothingLine());
}
