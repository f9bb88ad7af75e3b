import type { Db } from '../../db/client';
import type { CanonicalCategoryRow, CategoryRow, MarketplaceRow } from '../../db/schema';
import type { Catalog } from '../catalog';
import { badUserInput } from '../../lib/errors';
import type { StatsComparison, StatsOrderField } from '../types';
import { type Period, periodsBetween, periodsYearBefore } from './periods';
import { computeStats, isPartial, type StatsQuery, type StatsRow } from './stats';

/** Most buckets (periods times groups) one time series may return. */
export const MAX_BUCKETS = 10_000;

/** Additive totals of a bucket's comparison period. */
export type PreviousMeasures = Pick<StatsRow, 'saleCount' | 'units' | 'revenueMinor' | 'currency'>;

/** A bucket as resolvers see it: its row, and its previous period's totals when asked for. */
export type StatsBucket = StatsRow & {
  previous?: PreviousMeasures;
  /** The group's marketplace and category rows, attached once per page (see `attachGroups`). */
  marketplace?: MarketplaceRow | null;
  category?: CategoryRow | null;
  canonicalCategory?: CanonicalCategoryRow | null;
};

export type StatsPage = {
  buckets: StatsBucket[];
  totalCount: number;
  source: 'MART' | 'RAW';
  /** The range the comparison read, when buckets carry `previous` (for the cache tags). */
  compared?: { from: Date; to: Date };
};

export type StatsRequest = StatsQuery & {
  fillGaps: boolean;
  withPrevious: boolean;
  /** What `previous` is: the period just before each bucket, or the same one a year before. */
  compareWith: StatsComparison;
  first: number;
  offset: number;
};

function tooManyBuckets(count: number) {
  const shown = count > MAX_BUCKETS + 1 ? String(count) : `more than ${MAX_BUCKETS}`;
  return badUserInput(
    `the request yields ${shown} buckets; at most ${MAX_BUCKETS} are allowed: narrow the filter, group by fewer dimensions or choose a coarser interval`,
    'groupBy',
  );
}

const groupKey = (row: StatsRow) =>
  [
    row.marketplaceId,
    row.categoryId,
    row.canonicalCategoryId,
    row.brand,
    row.condition,
    row.productId,
    row.currency,
  ].join('|');

const zero = { saleCount: 0, units: 0, revenueMinor: 0 };

function emptyRow(group: StatsRow, period: Period, range: { from: Date; to: Date }): StatsRow {
  return {
    ...group,
    ...zero,
    periodStart: period.start,
    periodEnd: period.end,
    partial: isPartial(period, range),
    minPriceMinor: null,
    maxPriceMinor: null,
    medianPriceMinor: null,
    p25PriceMinor: null,
    p75PriceMinor: null,
  };
}

const MEASURE: Record<StatsOrderField, (row: StatsRow) => number | null> = {
  PERIOD_START: (row) => row.periodStart.getTime(),
  SALE_COUNT: (row) => row.saleCount,
  UNITS: (row) => row.units,
  REVENUE: (row) => row.revenueMinor,
  AVERAGE_PRICE: (row) => (row.units > 0 ? row.revenueMinor / row.units : null),
  MIN_PRICE: (row) => row.minPriceMinor,
  MAX_PRICE: (row) => row.maxPriceMinor,
};

/**
 * Sorts rows by a measure, then period, then group. Keys are computed once per row, and
 * compared with plain operators: localeCompare in a comparator dominated large answers.
 */
function sortRows(rows: StatsRow[], field: StatsOrderField, direction: 'ASC' | 'DESC'): StatsRow[] {
  const measure = MEASURE[field];
  const sign = direction === 'ASC' ? 1 : -1;
  const keyed = rows.map((row) => ({
    row,
    value: measure(row),
    time: row.periodStart.getTime(),
    group: groupKey(row),
  }));
  keyed.sort((a, b) => {
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return (a.value - b.value) * sign;
    }
    if (a.time !== b.time) return a.time - b.time;
    return a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
  });
  return keyed.map((entry) => entry.row);
}

/**
 * Adds zero rows for every (group, period) pair without sales. Without any sales at all,
 * an ungrouped series still gets its zeros when the currency is known.
 */
function fillGaps(rows: StatsRow[], periods: Period[], request: StatsRequest): StatsRow[] {
  const groups = new Map<string, StatsRow>();
  for (const row of rows) groups.set(groupKey(row), row);
  const currency = request.targetCurrency ?? request.filter.currency;
  const [first] = periods;
  if (groups.size === 0 && request.groupBy.length === 0 && currency && first) {
    const blank = emptyRow(
      {
        marketplaceId: null,
        categoryId: null,
        canonicalCategoryId: null,
        brand: null,
        condition: null,
        productId: null,
        currency,
      } as StatsRow,
      first,
      request,
    );
    groups.set(groupKey(blank), blank);
  }
  if (groups.size * periods.length > MAX_BUCKETS) throw tooManyBuckets(groups.size * periods.length);
  const present = new Set(rows.map((row) => `${groupKey(row)}@${row.periodStart.getTime()}`));
  const filled = [...rows];
  for (const [key, group] of groups) {
    for (const period of periods) {
      if (!present.has(`${key}@${period.start.getTime()}`)) filled.push(emptyRow(group, period, request));
    }
  }
  return filled;
}

/**
 * Answers a statistics request: one statement for the buckets, plus the period list when
 * gaps are filled or previous periods compared, plus one statement for the previous period.
 */
export async function salesStats(db: Db, request: StatsRequest): Promise<StatsPage> {
  const order = request.order ?? { field: 'PERIOD_START' as const, direction: 'ASC' as const };
  const total = request.interval === 'TOTAL';
  // Over one TOTAL period the groups can be many (every product): rank and page in SQL.
  const result = await computeStats(
    db,
    // At least one row even for first: 0, since the group count rides on the rows.
    total
      ? { ...request, order, limit: Math.max(request.first, 1), offset: request.offset }
      : { ...request, cap: MAX_BUCKETS + 1 },
  );

  let rows = total ? result.rows.slice(0, request.first) : result.rows;
  let periods: Period[] | undefined;
  let totalCount = total ? (result.totalGroups ?? 0) : rows.length;
  // Past the last page no row carries the count: ask for the first row only to learn it.
  if (total && result.rows.length === 0 && request.offset > 0) {
    const first = await computeStats(db, { ...request, order, limit: 1, offset: 0 });
    totalCount = first.totalGroups ?? 0;
  }
  if (!total) {
    if (request.fillGaps || request.withPrevious) {
      periods = await periodsBetween(db, request.interval, request.from, request.to, request.timeZone);
    }
    if (request.fillGaps && periods) rows = fillGaps(rows, periods, request);
    if (rows.length > MAX_BUCKETS) throw tooManyBuckets(rows.length);
    rows = sortRows(rows, order.field, order.direction);
    totalCount = rows.length;
    rows = rows.slice(request.offset, request.offset + request.first);
  }

  if (!request.withPrevious) return { buckets: rows, totalCount, source: result.source };
  const comparison =
    request.compareWith === 'PREVIOUS_YEAR'
      ? await yearBefore(db, request, periods)
      : await periodBefore(db, request, periods);
  const buckets = await withPrevious(db, request, rows, comparison);
  return { buckets, totalCount, source: result.source, compared: { from: comparison.from, to: comparison.to } };
}

/**
 * What buckets are compared with: the range to compute, and for calendar intervals each current
 * period's start => the start of the period it is compared with (TOTAL buckets pair by group).
 */
type Comparison = { from: Date; to: Date; comparedStart?: Map<number, number> };

/**
 * PREVIOUS_PERIOD: a calendar bucket (a day, week, month, quarter, year) is compared with the
 * whole calendar period just before it: September with all of August, whatever the range. A
 * TOTAL bucket is compared with the range of equal length just before `from`.
 */
async function periodBefore(db: Db, request: StatsRequest, periods: Period[] | undefined): Promise<Comparison> {
  const [first] = periods ?? [];
  if (request.interval === 'TOTAL' || !periods || !first) {
    const length = request.to.getTime() - request.from.getTime();
    return { from: new Date(request.from.getTime() - length), to: request.from };
  }
  const [before] = await periodsBetween(
    db,
    request.interval,
    new Date(first.start.getTime() - 1),
    first.start,
    request.timeZone,
  );
  const from = before?.start ?? first.start;
  const comparedStart = new Map<number, number>();
  periods.forEach((period, i) => comparedStart.set(period.start.getTime(), (periods[i - 1]?.start ?? from).getTime()));
  return { from, to: (periods.at(-1) as Period).start, comparedStart };
}

/**
 * PREVIOUS_YEAR: each bucket is compared with the same period a year before, whole (see
 * `periodsYearBefore` for weeks and 29 February); a TOTAL bucket with its range a year earlier.
 */
async function yearBefore(db: Db, request: StatsRequest, periods: Period[] | undefined): Promise<Comparison> {
  const current = request.interval === 'TOTAL' || !periods ? [{ start: request.from, end: request.to }] : periods;
  const compared = await periodsYearBefore(db, request.interval, current, request.timeZone);
  const from = new Date(Math.min(...compared.map((period) => period.start.getTime())));
  const to = new Date(Math.max(...compared.map((period) => period.end.getTime())));
  if (request.interval === 'TOTAL') return { from, to };
  const comparedStart = new Map(
    current.map((period, i) => [period.start.getTime(), compared[i]?.start.getTime() ?? NaN]),
  );
  return { from, to, comparedStart };
}

/** Attaches to each bucket its group's totals in the period `comparison` pairs it with. */
async function withPrevious(
  db: Db,
  request: StatsRequest,
  rows: StatsRow[],
  { from, to, comparedStart }: Comparison,
): Promise<StatsBucket[]> {
  // Only additive totals are compared, so percentiles never force the previous period onto raw
  // sales: the mart answers it when it fits (a year's median KPI: 406 -> 77 ms on the embedded
  // database, measured with x-explain).
  const previousQuery: StatsQuery = { ...request, from, to, percentiles: false, limit: undefined, offset: undefined };
  // Only the groups on this page matter: narrow the previous query to them.
  if (request.groupBy.includes('PRODUCT')) {
    previousQuery.filter = {
      ...request.filter,
      productIds: [...new Set(rows.flatMap((r) => (r.productId === null ? [] : [r.productId])))],
    };
  }
  const previous =
    rows.length === 0 || from.getTime() >= to.getTime() ? { rows: [] } : await computeStats(db, previousQuery);
  // A TOTAL bucket pairs with the previous range's one bucket of its group.
  const periodOf = (start: Date) => (comparedStart ? start.getTime() : 0);
  const byKey = new Map(previous.rows.map((row) => [`${groupKey(row)}#${periodOf(row.periodStart)}`, row]));
  return rows.map((row) => {
    const start = comparedStart ? (comparedStart.get(row.periodStart.getTime()) ?? NaN) : 0;
    const match = byKey.get(`${groupKey(row)}#${start}`);
    return {
      ...row,
      previous: {
        currency: row.currency,
        saleCount: match?.saleCount ?? 0,
        units: match?.units ?? 0,
        revenueMinor: match?.revenueMinor ?? 0,
      },
    };
  });
}

/** What `Product.priceHistory` asks for, beside the products. */
export type HistoryArgs = Pick<StatsQuery, 'interval' | 'from' | 'to' | 'timeZone' | 'percentiles'>;

/**
 * Price history for many products in one statement (grouped by product), split per
 * product, oldest period first.
 */
export async function priceHistories(db: Db, productIds: readonly number[], args: HistoryArgs): Promise<StatsRow[][]> {
  const { rows } = await computeStats(db, {
    ...args,
    filter: { productIds: [...productIds] },
    groupBy: ['PRODUCT'],
    source: 'AUTO',
  });
  const byProduct = new Map<number, StatsRow[]>(productIds.map((id) => [id, []]));
  for (const row of sortRows(rows, 'PERIOD_START', 'ASC')) {
    if (row.productId !== null) byProduct.get(row.productId)?.push(row);
  }
  return productIds.map((id) => byProduct.get(id) ?? []);
}

/**
 * Attaches each bucket's marketplace and category from the catalog, so their fields resolve
 * synchronously: thousands of buckets with a promise per field would cost far more than the
 * SQL that computed them.
 */
export function attachGroups(buckets: StatsBucket[], catalog: Catalog): StatsBucket[] {
  return buckets.map((bucket) => ({
    ...bucket,
    marketplace: bucket.marketplaceId === null ? null : (catalog.marketplaceById.get(bucket.marketplaceId) ?? null),
    category: bucket.categoryId === null ? null : (catalog.categoryById.get(bucket.categoryId) ?? null),
    canonicalCategory:
      bucket.canonicalCategoryId === null ? null : (catalog.canonicalById.get(bucket.canonicalCategoryId) ?? null),
  }));
}
