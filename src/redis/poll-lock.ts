/**
 * Which instance polls a transaction: the one holding its lock in Redis. The holder
 * renews it on every poll; if it dies, the lock lapses and another watcher takes over.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PollLock } from '../transaction-updates.js';

const ACQUIRE_OR_RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

export class RedisPollLock implements PollLock {
  readonly #me = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kspay-gateway:poll-lock:',
  ) {}

  async acquire(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE_OR_RENEW, 1, this.prefix + key, this.#me, ttlMs)) === 1;
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      this.prefix + key,
      this.#me,
    );
  }
}
