import type { GraphQLResolveInfo } from 'graphql';
import {
  decodeStatsCursor,
  encodeStatsCursor,
  parseRequiredRange,
  parseStatsFilter,
  statsCursorTag,
} from './arguments/analytics';
import { parseHistogramShape, priceDistribution } from '../data/analytics/price-distribution';
import { attachGroups, MAX_BUCKETS, salesStats, type StatsRequest } from '../data/analytics/sales-stats';
import { checkRange, parseTimeZone } from '../data/analytics/time';
import { parseCurrency, parseLimit, parseTimeRange } from './arguments/scalars';
import { badUserInput } from '../lib/errors';
import { selectsAny } from './selection';
import type { QueryResolvers } from './__generated__/resolvers-types';
import type { StatsConnectionValue } from './mappers';

/** Deepest category level a breakdown can ask for; marketplace taxonomies are at most 7 deep. */
const MAX_CATEGORY_DEPTH = 10;

/** Largest statistics page. */
const MAX_STATS_PAGE = MAX_BUCKETS;

const PERCENTILE_FIELDS = ['medianPrice', 'p25Price', 'p75Price'];
const COMPARISON_FIELDS = ['previous', 'change'];

/** What the operation asks of each bucket, which decides how much is computed. */
export function bucketNeeds(info: GraphQLResolveInfo) {
  return { percentiles: selectsAny(info, PERCENTILE_FIELDS), withPrevious: selectsAny(info, COMPARISON_FIELDS) };
}

export const analyticsQuery: QueryResolvers = {
  salesStats: async (_root, args, { db, loaders }, info) => {
    const first = args.first ?? 100;
    if (!Number.isInteger(first) || first < 0 || first > MAX_STATS_PAGE) {
      throw badUserInput(`first must be between 0 and ${MAX_STATS_PAGE}, got ${first}`, 'first');
    }
    const { from, to } = parseRequiredRange(args.from, args.to);
    const interval = args.interval ?? 'TOTAL';
    checkRange(from, to, interval);
    if (args.fillGaps && interval === 'TOTAL') {
      throw badUserInput('fillGaps needs an interval other than TOTAL', 'fillGaps');
    }
    const categoryLevel = args.categoryLevel ?? undefined;
    if (categoryLevel !== undefined && (categoryLevel < 0 || categoryLevel > MAX_CATEGORY_DEPTH)) {
      throw badUserInput(`categoryLevel must be between 0 and ${MAX_CATEGORY_DEPTH}, got ${categoryLevel}`, 'categoryLevel');
    }
    const catalog = await loaders.catalog();
    const base = {
      categoryLevel,
      filter: parseStatsFilter(args.filter, catalog),
      groupBy: [...new Set(args.groupBy ?? [])],
      interval,
      from,
      to,
      timeZone: parseTimeZone(args.timeZone ?? 'UTC'),
      targetCurrency: parseCurrency(args.targetCurrency, 'targetCurrency'),
      source: args.source ?? 'AUTO',
      fillGaps: Boolean(args.fillGaps),
      order: args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction ?? 'DESC' } : undefined,
      ...bucketNeeds(info),
    };
    const tag = statsCursorTag(base);
    const offset = decodeStatsCursor(tag, args.after);
    const request: StatsRequest = { ...base, first, offset };
    const page = await salesStats(db, request);
    const edges = attachGroups(page.buckets, catalog).map((node, i) => ({ node, cursor: encodeStatsCursor(tag, offset + i) }));
    const connection: StatsConnectionValue = {
      edges,
      hasNextPage: offset + edges.length < page.totalCount,
      hasPreviousPage: offset > 0,
      totalCount: async () => page.totalCount,
      source: page.source,
      timeZone: request.timeZone,
      targetCurrency: request.targetCurrency ?? null,
    };
    return connection;
  },

  topProducts: async (_root, args, { db, loaders }, info) => {
    const first = parseLimit(args.first ?? 10, 100, 'first');
    const { from, to } = parseRequiredRange(args.from, args.to);
    const catalog = await loaders.catalog();
    const page = await salesStats(db, {
      filter: parseStatsFilter(args.filter, catalog),
      groupBy: ['PRODUCT'],
      interval: 'TOTAL',
      from,
      to,
      timeZone: 'UTC',
      targetCurrency: parseCurrency(args.targetCurrency, 'targetCurrency'),
      source: 'AUTO',
      fillGaps: false,
      order: { field: args.by === 'REVENUE' ? 'REVENUE' : 'UNITS', direction: 'DESC' },
      first,
      offset: 0,
      ...bucketNeeds(info),
    });
    return attachGroups(page.buckets, catalog);
  },

  priceDistribution: async (_root, args, { db, loaders }) => {
    const shape = parseHistogramShape(args);
    return priceDistribution(db, {
      filter: parseStatsFilter(args.filter, await loaders.catalog()),
      currency: parseCurrency(args.currency, 'currency') ?? 'USD',
      period: parseTimeRange({ from: args.from, to: args.to }, 'from'),
      ...shape,
    });
  },
};
