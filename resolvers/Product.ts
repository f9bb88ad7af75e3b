import { parsePriceHistoryArgs, parseHistogramShape } from './arguments/analytics';
import { parseSaleFilter } from './arguments/filters';
import { parsePaging } from './arguments/paging';
import { parseCurrency, parseId, parseLimit, parseTimeRange } from './arguments/scalars';
import { badUserInput } from '../lib/errors';
import { saleSortKey } from '../data/sort-keys';
import type { ProductResolvers } from './__generated__/resolvers-types';
import { bucketNeeds } from './selection';
import { required } from './catalog-rows';

/** Most images a listing can have on eBay (24) with headroom; more is a client bug. */
const MAX_IMAGES = 100;

/** Most links per product: a comparison table, not every listing sharing a GTIN. */
const MAX_LINKS = 50;

/** Most observations per product per history field: years of Keepa points, not unbounded. */
const MAX_HISTORY_POINTS = 10_000;

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { data }) => data.product(parseId(id, 'Product.id')),
  identifiers: (product) => product,
  conditionLabel: (product) => product.conditionRaw,
  price: (product) =>
    product.priceMinor === null ? null : { minorUnits: product.priceMinor, currency: product.currency },
  convertedPrice: (product) =>
    product.convertedPriceMinor === null || product.convertedCurrency === null || product.convertedAt === null
      ? null
      : {
          amount: { minorUnits: product.convertedPriceMinor, currency: product.convertedCurrency },
          convertedAt: product.convertedAt,
        },
  marketplace: async (product, _args, { data }) => {
    const catalog = await data.catalog();
    return required(catalog.marketplaceById.get(product.marketplaceId), `marketplace ${product.marketplaceId}`);
  },
  category: async (product, _args, { data }) => {
    if (product.categoryId === null) return null;
    const catalog = await data.catalog();
    return catalog.categoryById.get(product.categoryId) ?? null;
  },
  images: (product, { first }, { data }) =>
    data.productImages(product.id, parseLimit(first ?? 12, MAX_IMAGES, 'first')),
  sales: async (product, args, { data }) => {
    const paging = parsePaging(args, saleSortKey(args.orderBy?.field, args.orderBy?.direction ?? undefined), 20);
    const filter = parseSaleFilter(args.filter, await data.catalog());
    return data.productSales(product.id, { ...paging, filter });
  },
  priceHistory: (product, args, { data }, info) =>
    data.productPriceHistory(product.id, parsePriceHistoryArgs(args, bucketNeeds(info))),
  priceDistribution: async (product, args, { data }) => {
    const shape = parseHistogramShape(args);
    const period = parseTimeRange({ from: args.from, to: args.to }, 'from');
    const histogram = await data.productPriceDistribution(product.id, { ...shape, period });
    return { currency: product.currency, ...histogram };
  },
  listPriceHistory: (product, { from, to, kind, first }, { data }) => {
    const period = parseTimeRange({ from, to }, 'from');
    const limit = parseLimit(first ?? 1000, MAX_HISTORY_POINTS, 'first');
    return data.productListPrices(product.id, { period, limit, kinds: kind ?? undefined });
  },
  sameItemElsewhere: (product, { currency, minConfidence, first }, { data }) => {
    const confidence = minConfidence ?? 0.5;
    if (!(confidence >= 0 && confidence <= 1)) {
      throw badUserInput(`minConfidence must be between 0 and 1, got ${confidence}`, 'minConfidence');
    }
    return data.productLinks(product.id, {
      currency: parseCurrency(currency, 'currency'),
      minConfidence: confidence,
      limit: parseLimit(first ?? 10, MAX_LINKS, 'first'),
    });
  },
  salesRankHistory: (product, { from, to, first }, { data }) => {
    const period = parseTimeRange({ from, to }, 'from');
    const limit = parseLimit(first ?? 1000, MAX_HISTORY_POINTS, 'first');
    return data.productSalesRanks(product.id, { period, limit });
  },
  salesSummary: (product, { from, to }, { data }) =>
    data.productSalesSummary(product.id, parseTimeRange({ from, to }, 'from')),
};
