/**
 * The Redis connections of one gateway instance (REDIS_URL): one for commands and one
 * for pub/sub (a subscribed connection can do nothing else). Commands fail fast when
 * Redis is down or slow, so callers can fall back instead of queueing behind it.
 */
import { Redis } from 'ioredis';

export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  /** Resolves when Redis answers a PING (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const COMMAND_TIMEOUT_MS = 500;

export function connectRedis(url: string): RedisConnections {
  const options = {
    // Never queue commands while disconnected: a payment must not wait on a dead Redis.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const commands = new Redis(url, options);
  // The subscriber must queue its SUBSCRIBE until connected, and keep its subscriptions across reconnects.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true, commandTimeout: undefined });
  // Connection errors surface as failed commands; without listeners ioredis would log them itself.
  commands.on('error', () => undefined);
  subscriber.on('error', () => undefined);

  return {
    commands,
    subscriber,
    async ping() {
      await commands.ping();
    },
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
