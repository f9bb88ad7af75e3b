import { parseId } from './arguments/scalars';
import type { MarketplaceResolvers } from './__generated__/resolvers-types';

export const Marketplace: MarketplaceResolvers = {
  __resolveReference: async ({ id }, { data }) => {
    const catalog = await data.catalog();
    return catalog.marketplaceById.get(parseId(id, 'Marketplace.id')) ?? null;
  },
  rootCategories: async (marketplace, _args, { data }) => {
    const { categories } = await data.catalog();
    return categories.filter((c) => c.marketplaceId === marketplace.id && c.parentId === null);
  },
};
