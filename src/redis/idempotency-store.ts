/**
 * Idempotency records in Redis, so that every gateway instance sees one record per
 * reference. `claim` is SET NX with expiry and `replace` a compare-and-set script:
 * of two instances racing for the same reference, exactly one wins.
 */
import type { Redis } from 'ioredis';
import type { IdempotencyRecord, IdempotencyStore } from '../idempotency.js';

const COMPARE_AND_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kspay-gateway:idempotency:',
  ) {}

  async get(key: string): Promise<IdempotencyRecord | null> {
    const json = await this.redis.get(this.prefix + key);
    return json === null ? null : (JSON.parse(json) as IdempotencyRecord);
  }

  async claim(key: string, record: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', ttlMs, 'NX')) === 'OK';
  }

  async replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, ttlMs: number): Promise<boolean> {
    const swapped = await this.redis.eval(COMPARE_AND_SET, 1, this.prefix + key, JSON.stringify(expected), JSON.stringify(next), ttlMs);
    return swapped === 1;
  }

  async put(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
