import type { CanonicalCategoryRow } from '../db/schema';
import type { Catalog } from './catalog';

// Per catalog (one parsed copy lives up to 30 s) and marketplace set: menus ask on every page.
const reachByCatalog = new WeakMap<Catalog, Map<string, Set<number>>>();

/**
 * The canonical nodes that categories of these marketplaces (all, when none are given) map
 * onto, with every ancestor of those: the part of the tree a menu scoped to them shows.
 */
export function canonicalReach(catalog: Catalog, marketplaceIds?: readonly number[]): Set<number> {
  const key = marketplaceIds ? [...new Set(marketplaceIds)].sort((a, b) => a - b).join(',') : '*';
  let byKey = reachByCatalog.get(catalog);
  if (!byKey) {
    byKey = new Map();
    reachByCatalog.set(catalog, byKey);
  }
  let reach = byKey.get(key);
  if (!reach) {
    const wanted = marketplaceIds ? new Set(marketplaceIds) : undefined;
    reach = new Set();
    for (const category of catalog.categories) {
      if (category.canonicalCategoryId === null || (wanted && !wanted.has(category.marketplaceId))) continue;
      const node = catalog.canonicalById.get(category.canonicalCategoryId);
      for (const id of node ? ancestorIds(node) : []) reach.add(id);
    }
    byKey.set(key, reach);
  }
  return reach;
}

/** The ids on a category's or canonical node's materialized path (`/root/child/self/`), from the root down. */
export function ancestorIds(node: Pick<CanonicalCategoryRow, 'path'>): number[] {
  return node.path.split('/').filter(Boolean).map(Number);
}
