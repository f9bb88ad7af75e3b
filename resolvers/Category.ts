import type { CategoryRow } from '../db/schema';
import { parseId } from './arguments/scalars';
import type { CategoryResolvers } from './__generated__/resolvers-types';

function required<T>(value: T | undefined, what: string): T {
  // The catalog is read whole, so a missing parent or marketplace means broken reference data.
  if (value === undefined) throw new Error(`catalog is missing ${what}`);
  return value;
}

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
  path: async (category, _args, { data }) => {
    const catalog = await data.catalog();
    // `path` is "/root/child/.../self/": walk it to ancestors from the root down.
    return category.path
      .split('/')
      .filter(Boolean)
      .map((id): CategoryRow => required(catalog.categoryById.get(Number(id)), `category ${id}`));
  },
};
