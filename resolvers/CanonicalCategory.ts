import { ancestorIds } from '../data/taxonomy';
import type { CanonicalCategoryRow } from '../db/schema';
import { parseMarketplace, reachOf } from './arguments/filters';
import { parseId } from './arguments/scalars';
import { required } from './catalog-rows';
import type { CanonicalCategoryResolvers } from './__generated__/resolvers-types';

const byName = (a: CanonicalCategoryRow, b: CanonicalCategoryRow) => a.name.localeCompare(b.name);

export const CanonicalCategory: CanonicalCategoryResolvers = {
  __resolveReference: async ({ id }, { data }) => {
    const catalog = await data.catalog();
    return catalog.canonicalById.get(parseId(id, 'CanonicalCategory.id')) ?? null;
  },
  parent: async (node, _args, { data }) => {
    if (node.parentId === null) return null;
    const catalog = await data.catalog();
    return required(catalog.canonicalById.get(node.parentId), `canonical category ${node.parentId}`);
  },
  children: async (node, args, { data }) => {
    const catalog = await data.catalog();
    const reach = reachOf(catalog, args.marketplace, 'marketplace');
    return catalog.canonicalCategories
      .filter((child) => child.parentId === node.id && (!reach || reach.has(child.id)))
      .sort(byName);
  },
  path: async (node, _args, { data }) => {
    const catalog = await data.catalog();
    return ancestorIds(node).map((id) => required(catalog.canonicalById.get(id), `canonical category ${id}`));
  },
  categories: async (node, args, { data }) => {
    const catalog = await data.catalog();
    const marketplaceIds = args.marketplace?.map((code) => parseMarketplace(catalog, code, 'marketplace').id);
    return catalog.categories.filter(
      (category) =>
        category.canonicalCategoryId === node.id &&
        (!marketplaceIds || marketplaceIds.includes(category.marketplaceId)),
    );
  },
};
