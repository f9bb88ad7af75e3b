import type { EntityCache } from '../../lib/cache';
import { CACHE_KEYS } from '../../lib/cache-keys';

/** What a run changed that shared caches may hold. */
export type CacheChanges = { marketplacesAdded: number; categoriesChanged: number };

/**
 * Drops cached entries a run made stale: the catalog (marketplaces and categories) when either
 * changed. Entity caches added later plug in here, keyed by what the run touched.
 * @example await invalidateStaleCaches(cache, { marketplacesAdded: 0, categoriesChanged: 3 });
 */
export async function invalidateStaleCaches(cache: EntityCache | undefined, changes: CacheChanges): Promise<string[]> {
  const keys: string[] = [];
  if (changes.marketplacesAdded > 0 || changes.categoriesChanged > 0) keys.push(CACHE_KEYS.catalog);
  if (cache) await Promise.all(keys.map((key) => cache.delete(key)));
  return keys;
}
