import { saleSortKey } from '../data/sort-keys';
import { parseMarketplace, parseProductFilter, parseSaleFilter, reachOf } from './arguments/filters';
import { parseProductOrder } from './arguments/orders';
import { parsePaging } from './arguments/paging';
import { parseId } from './arguments/scalars';
import type { QueryResolvers } from './__generated__/resolvers-types';

export const Query: QueryResolvers = {
  marketplaces: async (_root, _args, { data }) => (await data.catalog()).marketplaces,
  categories: async (_root, args, { data }) => {
    const catalog = await data.catalog();
    let categories = catalog.categories;
    if (args.marketplace) {
      const marketplace = parseMarketplace(catalog, args.marketplace, 'marketplace');
      categories = categories.filter((c) => c.marketplaceId === marketplace.id);
    }
    if (args.parentId !== null && args.parentId !== undefined) {
      const parentId = parseId(args.parentId, 'parentId');
      categories = categories.filter((c) => c.parentId === parentId);
    }
    if (args.rootsOnly) categories = categories.filter((c) => c.parentId === null);
    return categories;
  },
  category: async (_root, { id }, { data }) => (await data.catalog()).categoryById.get(parseId(id, 'id')) ?? null,
  canonicalCategories: async (_root, args, { data }) => {
    const catalog = await data.catalog();
    const reach = reachOf(catalog, args.marketplace, 'marketplace');
    const parentId =
      args.parentId === null || args.parentId === undefined ? undefined : parseId(args.parentId, 'parentId');
    return catalog.canonicalCategories.filter(
      (node) =>
        (!reach || reach.has(node.id)) &&
        (parentId === undefined || node.parentId === parentId) &&
        (!args.rootsOnly || node.parentId === null),
    );
  },
  canonicalCategory: async (_root, { id }, { data }) =>
    (await data.catalog()).canonicalById.get(parseId(id, 'id')) ?? null,
  product: (_root, { id }, { data }) => data.product(parseId(id, 'id')),
  products: async (_root, args, { data }) => {
    const { sort, salesWindow } = parseProductOrder(args.orderBy);
    const paging = parsePaging(args, sort, 20);
    const filter = parseProductFilter(args.filter, await data.catalog());
    return data.products({ ...paging, filter, salesWindow });
  },
  sale: (_root, { id }, { data }) => data.sale(parseId(id, 'id', Number.MAX_SAFE_INTEGER)),
  sales: async (_root, args, { data }) => {
    const paging = parsePaging(args, saleSortKey(args.orderBy?.field, args.orderBy?.direction ?? undefined), 20);
    const filter = parseSaleFilter(args.filter, await data.catalog());
    return data.sales({ ...paging, filter });
  },
  image: (_root, { id }, { data }) => data.image(parseId(id, 'id')),
};
