/**
 * Which client a processTransaction signature was issued to, so that only that client
 * may spend it (a storefront's key ships in its bundle: one key must not process another's
 * payments). Bound when an initiate succeeds, read by processTransaction. Only a digest of
 * the signature is kept: the signature itself authorises a payment. With Redis the binding
 * is shared, so it holds whichever instance initiated.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
function digestOf(signature) {
    return createHash('sha256').update(signature).digest('base64url');
}
/** In process: as many bindings as idempotency records, each for as long. */
export function memorySignatureOwners(maxEntries) {
    const owners = new LRUCache({ max: maxEntries });
    return {
        async bind(signature, owner, ttlMs) {
            owners.set(digestOf(signature), owner, { ttl: ttlMs });
        },
        async ownerOf(signature) {
            return owners.get(digestOf(signature)) ?? null;
        },
    };
}
export function redisSignatureOwners(redis, prefix) {
    return {
        async bind(signature, owner, ttlMs) {
            await redis.set(prefix + digestOf(signature), owner, 'PX', ttlMs);
        },
        async ownerOf(signature) {
            return redis.get(prefix + digestOf(signature));
        },
    };
}
