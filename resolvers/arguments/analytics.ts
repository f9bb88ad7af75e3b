import type { DistributionRequest, HistogramShape } from '../../data/analytics/price-distribution';
import { MAX_PRICE_BUCKETS } from '../../data/analytics/price-distribution';
import { type HistoryArgs, MAX_BUCKETS, type StatsRequest } from '../../data/analytics/sales-stats';
import type { Catalog } from '../../data/catalog';
import type { StatsInterval } from '../../data/types';
import { badUserInput } from '../../lib/errors';
import type { BucketNeeds } from '../selection';
import type {
  ProductPriceHistoryArgs,
  QueryPriceDistributionArgs,
  QuerySalesStatsArgs,
  QueryTopProductsArgs,
} from '../__generated__/resolvers-types';
import { parseStatsFilter } from './filters';
import { decodeStatsCursor, statsCursorTag } from './paging';
import { parseCurrency, parseLimit, parseRequiredRange, parseTimeRange, parseTimeZone } from './scalars';

/** Most periods one time series may have; beyond that a coarser interval is the answer. */
const MAX_PERIODS = 1_000;

/** Deepest category level a breakdown can ask for; marketplace taxonomies are at most 7 deep. */
const MAX_CATEGORY_DEPTH = 10;

/** Bars when neither bucketCount nor bucketWidth is given. */
const DEFAULT_PRICE_BUCKETS = 20;

const APPROXIMATE_DAYS: Record<Exclude<StatsInterval, 'TOTAL'>, number> = {
  DAY: 1,
  WEEK: 7,
  MONTH: 28,
  QUARTER: 89,
  YEAR: 365,
};

/** Checks a statistics range: ordered, and not more than MAX_PERIODS buckets long. */
function checkRange(from: Date, to: Date, interval: StatsInterval): void {
  if (from.getTime() >= to.getTime()) {
    throw badUserInput(`from (${from.toISOString()}) must be before to (${to.toISOString()})`, 'from');
  }
  if (interval === 'TOTAL') return;
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  const periods = Math.ceil(days / APPROXIMATE_DAYS[interval]);
  if (periods > MAX_PERIODS) {
    throw badUserInput(
      `from..to spans about ${periods} ${interval} periods; at most ${MAX_PERIODS} are allowed: choose a coarser interval or a shorter range`,
      'interval',
    );
  }
}

/**
 * Checks the bucketCount and bucketWidth arguments of a histogram field and applies the
 * default of 20 equal bars.
 * @example parseHistogramShape({ bucketCount: null, bucketWidth: 500 }) // { bucketWidth: 500 }
 */
export function parseHistogramShape(args: {
  bucketCount?: number | null;
  bucketWidth?: number | null;
}): HistogramShape {
  const { bucketCount, bucketWidth } = args;
  if (bucketCount != null && bucketWidth != null) {
    throw badUserInput('give bucketCount or bucketWidth, not both', 'bucketCount');
  }
  if (bucketCount != null && (bucketCount < 1 || bucketCount > MAX_PRICE_BUCKETS)) {
    throw badUserInput(`bucketCount must be between 1 and ${MAX_PRICE_BUCKETS}, got ${bucketCount}`, 'bucketCount');
  }
  if (bucketWidth != null && bucketWidth < 1) {
    throw badUserInput(`bucketWidth must be at least 1 (minor unit), got ${bucketWidth}`, 'bucketWidth');
  }
  return bucketWidth != null ? { bucketWidth } : { bucketCount: bucketCount ?? DEFAULT_PRICE_BUCKETS };
}

/**
 * Validates `salesStats` arguments into a statistics request, with the tag its cursors carry
 * (a digest of everything but the page position, so a cursor only fits the request it came from).
 */
export function parseSalesStatsArgs(
  args: QuerySalesStatsArgs,
  catalog: Catalog,
  needs: BucketNeeds,
): { request: StatsRequest; cursorTag: string } {
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 0 || first > MAX_BUCKETS) {
    throw badUserInput(`first must be between 0 and ${MAX_BUCKETS}, got ${first}`, 'first');
  }
  const { from, to } = parseRequiredRange(args.from, args.to);
  const interval = args.interval ?? 'TOTAL';
  checkRange(from, to, interval);
  if (args.fillGaps && interval === 'TOTAL') {
    throw badUserInput('fillGaps needs an interval other than TOTAL', 'fillGaps');
  }
  const categoryLevel = args.categoryLevel ?? undefined;
  if (categoryLevel !== undefined && (categoryLevel < 0 || categoryLevel > MAX_CATEGORY_DEPTH)) {
    throw badUserInput(
      `categoryLevel must be between 0 and ${MAX_CATEGORY_DEPTH}, got ${categoryLevel}`,
      'categoryLevel',
    );
  }
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
    ...needs,
  };
  const cursorTag = statsCursorTag(base);
  // The comparison changes no bucket and no order: a cursor outlives switching it.
  const compareWith = args.compareWith ?? 'PREVIOUS_PERIOD';
  return { request: { ...base, compareWith, first, offset: decodeStatsCursor(cursorTag, args.after) }, cursorTag };
}

/** Validates `topProducts` arguments: one TOTAL bucket per product, ranked by units or revenue. */
export function parseTopProductsArgs(args: QueryTopProductsArgs, catalog: Catalog, needs: BucketNeeds): StatsRequest {
  const first = parseLimit(args.first ?? 10, 100, 'first');
  const { from, to } = parseRequiredRange(args.from, args.to);
  return {
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
    compareWith: 'PREVIOUS_PERIOD',
    first,
    offset: 0,
    ...needs,
  };
}

/** Validates `priceDistribution` arguments; the currency defaults to USD. */
export function parsePriceDistributionArgs(args: QueryPriceDistributionArgs, catalog: Catalog): DistributionRequest {
  const shape = parseHistogramShape(args);
  return {
    filter: parseStatsFilter(args.filter, catalog),
    currency: parseCurrency(args.currency, 'currency') ?? 'USD',
    period: parseTimeRange({ from: args.from, to: args.to }, 'from'),
    ...shape,
  };
}

/** Validates `Product.priceHistory` arguments; monthly by default. */
export function parsePriceHistoryArgs(
  args: ProductPriceHistoryArgs,
  needs: Pick<BucketNeeds, 'percentiles'>,
): HistoryArgs {
  const { from, to } = parseRequiredRange(args.from, args.to);
  const interval = args.interval ?? 'MONTH';
  checkRange(from, to, interval);
  return { interval, from, to, timeZone: parseTimeZone(args.timeZone ?? 'UTC'), percentiles: needs.percentiles };
}
