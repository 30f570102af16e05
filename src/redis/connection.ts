/**
 * The Redis connections of one gateway instance (REDIS_URL): one for commands and one
 * for pub/sub (a subscribed connection can do nothing else). Commands fail fast when
 * Redis is down or slow, so callers can fall back instead of queueing behind it.
 */
import { Redis } from 'ioredis';

export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  /** The two clients for yoga's Redis event target, with pub/sub failures contained. */
  eventTargetClients(): { publishClient: Redis; subscribeClient: Redis };
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
    eventTargetClients: () => ({ publishClient: fireAndForget(commands), subscribeClient: fireAndForget(subscriber) }),
    async ping() {
      await commands.ping();
    },
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

const PUB_SUB_COMMANDS = new Set<PropertyKey>(['publish', 'subscribe', 'unsubscribe']);

/**
 * The event target calls publish/subscribe without awaiting them; a rejection there
 * (Redis down) would be unhandled and end the process. Live updates are best effort
 * (the poll still runs), so a failed publish is dropped.
 */
function fireAndForget(redis: Redis): Redis {
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (!PUB_SUB_COMMANDS.has(property)) return value.bind(target);
      return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch(() => undefined);
    },
  });
}
