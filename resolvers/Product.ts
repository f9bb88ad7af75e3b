import { parseRequiredRange } from './arguments/analytics';
import { parseHistogramShape } from '../data/analytics/price-distribution';
import { checkRange, parseTimeZone } from '../data/analytics/time';
import { parseId, parseLimit, parsePageSize, parseTimeRange } from './arguments/scalars';
import { bucketNeeds } from './AnalyticsQuery';
import { parseSaleFilter } from '../data/filters';
import { parentKey } from '../data/loaders';
import { positionAfter, toPage } from '../data/pagination';
import { saleSortKey } from '../data/sort-keys';
import type { ProductResolvers } from './__generated__/resolvers-types';

/** Most images a listing can have on eBay (24) with headroom; more is a client bug. */
const MAX_IMAGES = 100;

/** Most observations per product per history field: years of Keepa points, not unbounded. */
const MAX_HISTORY_POINTS = 10_000;

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.productById.load(parseId(id, 'Product.id')),
  identifiers: (product) => product,
  conditionLabel: (product) => product.conditionRaw,
  price: (product) => ({ minorUnits: product.priceMinor, currency: product.currency }),
  marketplace: async (product, _args, { loaders }) => {
    const catalog = await loaders.catalog();
    const marketplace = catalog.marketplaceById.get(product.marketplaceId);
    if (!marketplace) throw new Error(`catalog is missing marketplace ${product.marketplaceId}`);
    return marketplace;
  },
  category: async (product, _args, { loaders }) => {
    if (product.categoryId === null) return null;
    const catalog = await loaders.catalog();
    return catalog.categoryById.get(product.categoryId) ?? null;
  },
  images: (product, { first }, { loaders }) => {
    const limit = parseLimit(first ?? 12, MAX_IMAGES, 'first');
    return loaders.imagesByProductId.load(parentKey(product.id, { limit }));
  },
  sales: async (product, args, { loaders }) => {
    const first = parsePageSize(args.first, 20);
    const sort = saleSortKey(args.orderBy?.field, args.orderBy?.direction ?? undefined);
    const afterCursor = positionAfter(sort, args.after);
    const filter = parseSaleFilter(args.filter, await loaders.catalog());
    const rows = await loaders.salesByProductId.load(
      parentKey(product.id, { filter, sort, first, afterCursor }, [filter, sort.tag, first, afterCursor]),
    );
    const totalCount = () => loaders.saleCountByProductId.load(parentKey(product.id, filter));
    return toPage(rows, sort, first, Boolean(afterCursor), totalCount);
  },
  priceHistory: (product, args, { loaders }, info) => {
    const { from, to } = parseRequiredRange(args.from, args.to);
    const interval = args.interval ?? 'MONTH';
    checkRange(from, to, interval);
    const { percentiles } = bucketNeeds(info);
    const timeZone = parseTimeZone(args.timeZone ?? 'UTC');
    return loaders.priceHistoryByProductId.load(parentKey(product.id, { interval, from, to, timeZone, percentiles }));
  },
  priceDistribution: async (product, args, { loaders }) => {
    const shape = parseHistogramShape(args);
    const period = parseTimeRange({ from: args.from, to: args.to }, 'from');
    const histogram = await loaders.priceDistributionByProductId.load(parentKey(product.id, { ...shape, period }));
    return { currency: product.currency, ...histogram };
  },
  listPriceHistory: (product, { from, to, kind, first }, { loaders }) => {
    const period = parseTimeRange({ from, to }, 'from');
    const limit = parseLimit(first ?? 1000, MAX_HISTORY_POINTS, 'first');
    const kinds = kind ?? undefined;
    return loaders.listPricesByProductId.load(parentKey(product.id, { period, limit, kinds }));
  },
  salesRankHistory: (product, { from, to, first }, { loaders }) => {
    const period = parseTimeRange({ from, to }, 'from');
    const limit = parseLimit(first ?? 1000, MAX_HISTORY_POINTS, 'first');
    return loaders.salesRanksByProductId.load(parentKey(product.id, { period, limit }));
  },
  salesSummary: (product, { from, to }, { loaders }) => {
    const period = parseTimeRange({ from, to }, 'from');
    return loaders.salesSummaryByProductId.load(parentKey(product.id, period));
  },
};
