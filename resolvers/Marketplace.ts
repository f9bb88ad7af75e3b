import { parseId } from './arguments/scalars';
import type { MarketplaceResolvers } from './__generated__/resolvers-types';

export const Marketplace: MarketplaceResolvers = {
  __resolveReference: async ({ id }, { loaders }) => {
    const catalog = await loaders.catalog();
    return catalog.marketplaceById.get(parseId(id, 'Marketplace.id')) ?? null;
  },
  rootCategories: async (marketplace, _args, { loaders }) => {
    const { categories } = await loaders.catalog();
    return categories.filter((c) => c.marketplaceId === marketplace.id && c.parentId === null);
  },
};
