import type { EntityCache } from '../../lib/cache';
import { CACHE_TAGS, listingChangeTags, martChangeTags, purgeTags } from '../../lib/cache-tags';

/** What a run changed that shared caches may hold. */
export type CacheChanges = {
  marketplacesAdded: number;
  categoriesChanged: number;
  /** Marketplaces whose listings (or their images, sales, history) a committed payload wrote. */
  marketplacesWritten: number[];
  /** Mart days the run refreshed (YYYY-MM-DD). */
  martDaysRefreshed: string[];
  /** The mart refresh failed, perhaps after committing some of its months. */
  martRefreshFailed?: boolean;
};

/**
 * Drops cached entries a run made stale: the catalog (marketplaces and categories) when either
 * changed, and every cached answer that read what the run wrote, in every gateway process
 * (lib/cache-tags.ts). Returns the tags, and whether the purge reached the shared cache.
 * @example await invalidateStaleCaches(cache, { marketplacesAdded: 0, categoriesChanged: 3, marketplacesWritten: [1], martDaysRefreshed: [] });
 */
export async function invalidateStaleCaches(
  cache: EntityCache | undefined,
  changes: CacheChanges,
): Promise<{ tags: string[]; reached: boolean }> {
  const catalogChanged = changes.marketplacesAdded > 0 || changes.categoriesChanged > 0;
  const tags = [
    ...(catalogChanged ? [CACHE_TAGS.catalog] : []),
    ...(changes.marketplacesWritten.length > 0 ? listingChangeTags(changes.marketplacesWritten) : []),
    ...(changes.martDaysRefreshed.length > 0 ? martChangeTags(changes.martDaysRefreshed) : []),
    ...(changes.martRefreshFailed ? [CACHE_TAGS.all] : []),
  ];
  const reached = cache ? await purgeTags(cache, tags) : true;
  return { tags, reached };
}
