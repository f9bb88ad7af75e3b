import { parseId, parsePageSize } from './arguments/scalars';
import { marketplaceByCode } from '../data/catalog';
import { parseProductFilter, parseSaleFilter } from '../data/filters';
import { positionAfter } from '../data/pagination';
import { findProducts } from '../data/products';
import { findSales } from '../data/sales';
import { productSortKey, saleSortKey } from '../data/sort-keys';
import type { QueryResolvers } from './__generated__/resolvers-types';

export const Query: QueryResolvers = {
  marketplaces: async (_root, _args, { loaders }) => (await loaders.catalog()).marketplaces,
  categories: async (_root, args, { loaders }) => {
    const catalog = await loaders.catalog();
    let categories = catalog.categories;
    if (args.marketplace) {
      const marketplace = marketplaceByCode(catalog, args.marketplace, 'marketplace');
      categories = categories.filter((c) => c.marketplaceId === marketplace.id);
    }
    if (args.parentId !== null && args.parentId !== undefined) {
      const parentId = parseId(args.parentId, 'parentId');
      categories = categories.filter((c) => c.parentId === parentId);
    }
    if (args.rootsOnly) categories = categories.filter((c) => c.parentId === null);
    return categories;
  },
  category: async (_root, { id }, { loaders }) =>
    (await loaders.catalog()).categoryById.get(parseId(id, 'id')) ?? null,
  product: (_root, { id }, { loaders }) => loaders.productById.load(parseId(id, 'id')),
  products: async (_root, args, { db, loaders }) => {
    const first = parsePageSize(args.first, 20);
    const sort = productSortKey(args.orderBy?.field, args.orderBy?.direction ?? undefined);
    const afterCursor = positionAfter(sort, args.after);
    const filter = parseProductFilter(args.filter, await loaders.catalog());
    const page = await findProducts(db, { filter, sort, first, afterCursor });
    // Later lookups of these products by id (e.g. through Sale.product) need no query.
    for (const { node } of page.edges) loaders.productById.prime(node.id, node);
    return page;
  },
  sale: (_root, { id }, { loaders }) => loaders.saleById.load(parseId(id, 'id')),
  sales: async (_root, args, { db, loaders }) => {
    const first = parsePageSize(args.first, 20);
    const sort = saleSortKey(args.orderBy?.field, args.orderBy?.direction ?? undefined);
    const afterCursor = positionAfter(sort, args.after);
    const filter = parseSaleFilter(args.filter, await loaders.catalog());
    return findSales(db, { filter, sort, first, afterCursor });
  },
  image: (_root, { id }, { loaders }) => loaders.imageById.load(parseId(id, 'id')),
};
