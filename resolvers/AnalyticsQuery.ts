import { parsePriceDistributionArgs, parseSalesStatsArgs, parseTopProductsArgs } from './arguments/analytics';
import { encodeStatsCursor } from './arguments/paging';
import type { QueryResolvers } from './__generated__/resolvers-types';
import type { StatsConnectionValue } from './mappers';
import { bucketNeeds } from './selection';

/** Analysts' entry points: statistics over sales, top products and price histograms. */
export const analyticsQuery: QueryResolvers = {
  convertibleCurrencies: (_root, _args, { data }) => data.convertibleCurrencies(),
  salesStats: async (_root, args, { data }, info) => {
    const { request, cursorTag } = parseSalesStatsArgs(args, await data.catalog(), bucketNeeds(info));
    const page = await data.salesStats(request);
    const edges = page.buckets.map((node, i) => ({ node, cursor: encodeStatsCursor(cursorTag, request.offset + i) }));
    const connection: StatsConnectionValue = {
      edges,
      hasNextPage: request.offset + edges.length < page.totalCount,
      hasPreviousPage: request.offset > 0,
      totalCount: async () => page.totalCount,
      source: page.source,
      timeZone: request.timeZone,
      targetCurrency: request.targetCurrency ?? null,
    };
    return connection;
  },
  topProducts: async (_root, args, { data }, info) => {
    const page = await data.salesStats(parseTopProductsArgs(args, await data.catalog(), bucketNeeds(info)));
    return page.buckets;
  },
  priceDistribution: async (_root, args, { data }) =>
    data.priceDistribution(parsePriceDistributionArgs(args, await data.catalog())),
};
