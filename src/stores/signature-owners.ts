/**
 * Which client a processTransaction signature was issued to, so that only that client
 * may spend it (a storefront's key ships in its bundle: one key must not process another's
 * payments). Bound when an initiate succeeds, read by processTransaction. Only a digest of
 * the signature is kept: the signature itself authorises a payment. With Redis the binding
 * is shared, so it holds whichever instance initiated.
 */
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface SignatureOwners {
  bind(signature: string, owner: string, ttlMs: number): Promise<void>;
  /** The owner bound to the signature; null when none is known (issued elsewhere, expired or forgotten). */
  ownerOf(signature: string): Promise<string | null>;
}

function digestOf(signature: string): string {
  return hash('sha256', signature, 'base64url');
}

/** In process: as many bindings as idempotency records, each for as long. */
export function memorySignatureOwners(maxEntries: number): SignatureOwners {
  const owners = new LRUCache<string, string>({ max: maxEntries });
  return {
    async bind(signature, owner, ttlMs) {
      owners.set(digestOf(signature), owner, { ttl: ttlMs });
    },
    async ownerOf(signature) {
      return owners.get(digestOf(signature)) ?? null;
    },
  };
}

export function redisSignatureOwners(redis: Redis, prefix: string): SignatureOwners {
  return {
    async bind(signature, owner, ttlMs) {
      await redis.set(prefix + digestOf(signature), owner, 'PX', ttlMs);
    },
    async ownerOf(signature) {
      return redis.get(prefix + digestOf(signature));
    },
  };
}
