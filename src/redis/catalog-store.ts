/**
 * The catalog's second level in Redis: an instance that has never fetched the catalog
 * serves what another instance fetched. Entries carry their original fetch time, so
 * freshness is judged the same way on every instance.
 */
import type { Redis } from 'ioredis';
import type { CatalogEntry, SharedCatalogStore } from '../cache.js';

export class RedisCatalogStore implements SharedCatalogStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kspay-gateway:catalog:',
  ) {}

  async get(key: string): Promise<CatalogEntry<unknown> | null> {
    const json = await this.redis.get(this.prefix + key);
    return json === null ? null : (JSON.parse(json) as CatalogEntry<unknown>);
  }

  async set(key: string, entry: CatalogEntry<unknown>, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(entry), 'PX', ttlMs);
  }
}
