import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  type CanonicalCategoryRow,
  canonicalCategories,
  type CategoryRow,
  categories,
  type MarketplaceRow,
  marketplaces,
} from '../db/schema';
import type { EntityCache } from '../lib/cache';
import { CACHE_KEYS } from '../lib/cache-keys';
import { CACHE_TAGS, lastPurgeOf } from '../lib/cache-tags';

/**
 * Reference data every request needs (marketplaces, their category taxonomies and the
 * canonical tree those map onto): small,
 * read constantly and changed rarely, so it lives in the shared cache.
 */
export type Catalog = {
  marketplaces: MarketplaceRow[];
  categories: CategoryRow[];
  canonicalCategories: CanonicalCategoryRow[];
  marketplaceById: Map<number, MarketplaceRow>;
  marketplaceByCode: Map<string, MarketplaceRow>;
  categoryById: Map<number, CategoryRow>;
  canonicalById: Map<number, CanonicalCategoryRow>;
};

type CatalogRows = {
  marketplaces: MarketplaceRow[];
  categories: CategoryRow[];
  canonicalCategories: CanonicalCategoryRow[];
};

type CachedCatalog = Omit<CatalogRows, 'marketplaces'> & {
  marketplaces: (Omit<MarketplaceRow, 'createdAt'> & { createdAt: string })[];
};

function index(raw: CatalogRows): Catalog {
  return {
    ...raw,
    marketplaceById: new Map(raw.marketplaces.map((m) => [m.id, m])),
    marketplaceByCode: new Map(raw.marketplaces.map((m) => [m.code, m])),
    categoryById: new Map(raw.categories.map((c) => [c.id, c])),
    canonicalById: new Map(raw.canonicalCategories.map((c) => [c.id, c])),
  };
}

/** How long this process trusts its parsed copy without hearing of a change (a lost message). */
const IN_PROCESS_MS = 30_000;

/**
 * The catalog, kept parsed and indexed in this process for up to 30 s and dropped in every
 * process as soon as an ingestion run deletes its key; otherwise as `readCatalog` gives it.
 */
export function loadCatalog(db: Db, cache: EntityCache): Promise<Catalog> {
  return cache.remember(CACHE_KEYS.catalog, IN_PROCESS_MS, () => readCatalog(db, cache));
}

/**
 * Reads the catalog from the shared cache, or from the database (three statements at once) on a
 * miss, then stores it for the cache's default time unless a purge of it came meanwhile.
 */
async function readCatalog(db: Db, cache: EntityCache): Promise<Catalog> {
  const cached = await cache.get<CachedCatalog>(CACHE_KEYS.catalog);
  if (cached) {
    return index({
      marketplaces: cached.marketplaces.map((m) => ({ ...m, createdAt: new Date(m.createdAt) })),
      categories: cached.categories,
      canonicalCategories: cached.canonicalCategories,
    });
  }
  const started = Date.now();
  const [marketplaceRows, categoryRows, canonicalRows] = await Promise.all([
    db.select().from(marketplaces).orderBy(asc(marketplaces.code)),
    db.select().from(categories).orderBy(asc(categories.path)),
    db.select().from(canonicalCategories).orderBy(asc(canonicalCategories.path)),
  ]);
  // A run that changed the catalog while these rows were read has deleted the key already:
  // storing them now would bring the old catalog back for everyone until it expires.
  const purged = await lastPurgeOf(cache, [CACHE_TAGS.catalog, CACHE_TAGS.all]);
  if (purged !== undefined && purged < started) {
    await cache.set(CACHE_KEYS.catalog, {
      marketplaces: marketplaceRows.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
      categories: categoryRows,
      canonicalCategories: canonicalRows,
    } satisfies CachedCatalog);
  }
  return index({ marketplaces: marketplaceRows, categories: categoryRows, canonicalCategories: canonicalRows });
}
