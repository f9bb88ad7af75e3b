import { ancestorIds } from '../data/taxonomy';
import type { CategoryRow } from '../db/schema';
import { parseId } from './arguments/scalars';
import { required } from './catalog-rows';
import type { CategoryResolvers } from './__generated__/resolvers-types';

export const Category: CategoryResolvers = {
  __resolveReference: async ({ id }, { data }) => {
    const catalog = await data.catalog();
    return catalog.categoryById.get(parseId(id, 'Category.id')) ?? null;
  },
  marketplace: async (category, _args, { data }) => {
    const catalog = await data.catalog();
    return required(catalog.marketplaceById.get(category.marketplaceId), `marketplace ${category.marketplaceId}`);
  },
  parent: async (category, _args, { data }) => {
    if (category.parentId === null) return null;
    const catalog = await data.catalog();
    return required(catalog.categoryById.get(category.parentId), `category ${category.parentId}`);
  },
  children: async (category, _args, { data }) => {
    const { categories } = await data.catalog();
    return categories.filter((c) => c.parentId === category.id).sort((a, b) => a.name.localeCompare(b.name));
  },
  canonical: async (category, _args, { data }) => {
    if (category.canonicalCategoryId === null) return null;
    const catalog = await data.catalog();
    return catalog.canonicalById.get(category.canonicalCategoryId) ?? null;
  },
  path: async (category, _args, { data }) => {
    const catalog = await data.catalog();
    return ancestorIds(category).map((id): CategoryRow => required(catalog.categoryById.get(id), `category ${id}`));
  },
};
