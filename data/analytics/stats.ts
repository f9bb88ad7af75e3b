import { type SQL, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client';
import {
  canonicalCategories,
  categories,
  categoryMetricsDaily,
  categoryMetricsMonthly,
  productMetricsDaily,
  products,
  sales,
  segmentMetricsDaily,
  segmentMetricsMonthly,
} from '../../db/schema';
import { canonicalSubtree, categorySubtree, lowered } from '../filters';
import type { AmountRange } from '../types';
import { badUserInput } from '../../lib/errors';
import { STATS_DIMENSIONS } from '../types';
import type { ProductCondition, StatsDimension, StatsInterval, StatsOrderField, StatsSource } from '../types';
import { conversion, dailyConversion } from './conversion';
import { convertibleCurrencies } from './currencies';
import { isUtcMidnight, isUtcMonthStart, isUtcZone, PERIOD_SQL, utcDay } from './time';

/** Which sales a statistics request covers, after validation. */
export type StatsFilter = {
  marketplaceIds?: number[];
  categoryPath?: string;
  canonicalCategoryPath?: string;
  brands?: string[];
  conditions?: ProductCondition[];
  currency?: string;
  productIds?: number[];
  price?: AmountRange;
};

/** A validated statistics request. `limit`/`offset` page through groups in SQL (interval TOTAL). */
export type StatsQuery = {
  filter: StatsFilter;
  groupBy: StatsDimension[];
  interval: StatsInterval;
  from: Date;
  to: Date;
  timeZone: string;
  targetCurrency?: string;
  percentiles: boolean;
  source: StatsSource;
  order?: { field: StatsOrderField; direction: 'ASC' | 'DESC' };
  limit?: number;
  offset?: number;
  /** Group CATEGORY and MARKETPLACE_CATEGORY by the ancestor at this depth (0: top-level) instead of the leaf. */
  categoryLevel?: number;
  /** Fetch at most this many rows, in no particular order (to detect oversized answers cheaply). */
  cap?: number;
};

/** One group in one period in one currency, as computed by either source. */
export type StatsRow = {
  periodStart: Date;
  periodEnd: Date;
  /** The period reaches outside the request's range, so its totals cover only part of it. */
  partial: boolean;
  marketplaceId: number | null;
  /** The marketplace category (grouped by MARKETPLACE_CATEGORY). */
  categoryId: number | null;
  /** The canonical category (grouped by CATEGORY). */
  canonicalCategoryId: number | null;
  brand: string | null;
  condition: ProductCondition | null;
  productId: number | null;
  currency: string;
  saleCount: number;
  units: number;
  revenueMinor: number;
  minPriceMinor: number | null;
  maxPriceMinor: number | null;
  medianPriceMinor: number | null;
  p25PriceMinor: number | null;
  p75PriceMinor: number | null;
};

/** The rows of a request, which data answered it, and how many groups exist in all (TOTAL paging). */
export type StatsResult = { rows: StatsRow[]; source: 'MART' | 'RAW'; totalGroups?: number };

type Table = 'raw' | 'product_daily' | 'segment_daily' | 'segment_monthly' | 'category_daily' | 'category_monthly';

/**
 * Picks the cheapest data that answers the request exactly, or explains why the mart cannot.
 * The mart holds additive measures per UTC day, so it fits UTC-day ranges without
 * percentiles or unit-price filters; monthly rollups fit month ranges without conversion.
 */
function chooseTable(query: StatsQuery): { table: Table } {
  const refusal = !isUtcZone(query.timeZone)
    ? `periods in ${query.timeZone} do not align with the mart's UTC days`
    : !isUtcMidnight(query.from) || !isUtcMidnight(query.to)
      ? 'from and to must be UTC midnights for the mart'
      : query.percentiles
        ? 'median and percentiles need every sale'
        : query.filter.price
          ? 'a unit-price filter needs every sale'
          : undefined;
  if (refusal) {
    if (query.source === 'MART') throw badUserInput(`source MART cannot answer this request: ${refusal}`, 'source');
    return { table: 'raw' };
  }
  if (query.source === 'RAW') return { table: 'raw' };
  if (query.groupBy.includes('PRODUCT') || query.filter.productIds) return { table: 'product_daily' };
  const monthly =
    ['MONTH', 'QUARTER', 'YEAR', 'TOTAL'].includes(query.interval) &&
    isUtcMonthStart(query.from) &&
    isUtcMonthStart(query.to) &&
    !query.targetCurrency;
  // The category grain knows no brand or condition; it is far smaller when it suffices.
  const needsSegments =
    query.groupBy.includes('BRAND') ||
    query.groupBy.includes('CONDITION') ||
    query.filter.brands ||
    query.filter.conditions;
  const grain = needsSegments ? 'segment' : 'category';
  return { table: `${grain}_${monthly ? 'monthly' : 'daily'}` };
}

/** Column expressions of one source: where each dimension, the day and the measures live. */
type Source = {
  from: SQL;
  instant: SQL;
  day: SQL;
  currency: SQL;
  dimensions: Record<StatsDimension, SQL>;
  timeRange: (from: Date, to: Date) => SQL;
  measures: (factor: SQL) => { saleCount: SQL; units: SQL; revenue: SQL; min: SQL; max: SQL };
  unitPrice?: SQL;
};

// CATEGORY, the canonical category, is read through the marketplace category joined as `mc`
// (computeStats adds the join when it is grouped by).
const CANONICAL = sql`mc.canonical_category_id`;

const productDimensions = (productId: SQL): Record<StatsDimension, SQL> => ({
  MARKETPLACE: sql`${products.marketplaceId}`,
  CATEGORY: CANONICAL,
  MARKETPLACE_CATEGORY: sql`${products.categoryId}`,
  BRAND: sql`${products.brand}`,
  CONDITION: sql`${products.condition}`,
  PRODUCT: productId,
});

const rolledUpMeasures = (factor: SQL) => ({
  saleCount: sql`sum(m.sale_count)`,
  units: sql`sum(m.units)`,
  revenue: sql`sum(m.revenue_minor * ${factor})`,
  min: sql`min(m.min_price_minor * ${factor})`,
  max: sql`max(m.max_price_minor * ${factor})`,
});

/**
 * Whether a request reads a listing's columns (to filter or group by): only then do raw sales
 * join `products` (every sale has its product; the join cost a third of a year's median, measured).
 */
function readsProducts(query: StatsQuery): boolean {
  const { marketplaceIds, categoryPath, canonicalCategoryPath, brands, conditions } = query.filter;
  return (
    query.groupBy.some((name) => name !== 'PRODUCT') ||
    Boolean(marketplaceIds || categoryPath || canonicalCategoryPath || brands || conditions)
  );
}

function source(table: Table, withProducts = true): Source {
  switch (table) {
    case 'raw':
      return {
        from: withProducts ? sql`${sales} join ${products} on ${products.id} = ${sales.productId}` : sql`${sales}`,
        instant: sql`${sales.soldAt}`,
        day: sql`(${sales.soldAt} at time zone 'UTC')::date`,
        currency: sql`${sales.currency}`,
        dimensions: productDimensions(sql`${sales.productId}`),
        timeRange: (from, to) =>
          sql`${sales.soldAt} >= ${from.toISOString()}::timestamptz and ${sales.soldAt} < ${to.toISOString()}::timestamptz`,
        measures: (factor) => ({
          saleCount: sql`count(*)`,
          units: sql`sum(${sales.quantity})`,
          revenue: sql`sum(${sales.unitPriceMinor} * ${sales.quantity} * ${factor})`,
          min: sql`min(${sales.unitPriceMinor} * ${factor})`,
          max: sql`max(${sales.unitPriceMinor} * ${factor})`,
        }),
        unitPrice: sql`${sales.unitPriceMinor}`,
      };
    case 'product_daily':
      return {
        from: sql`${productMetricsDaily} m join ${products} on ${products.id} = m.product_id`,
        instant: sql`m.day::timestamp at time zone 'UTC'`,
        day: sql`m.day`,
        currency: sql`m.currency`,
        dimensions: productDimensions(sql`m.product_id`),
        timeRange: (from, to) => sql`m.day >= ${utcDay(from)}::date and m.day < ${utcDay(to)}::date`,
        measures: rolledUpMeasures,
      };
    case 'segment_daily':
    case 'segment_monthly':
    case 'category_daily':
    case 'category_monthly': {
      const monthly = table.endsWith('monthly');
      const period = monthly ? sql`m.month` : sql`m.day`;
      const tables = {
        segment_daily: segmentMetricsDaily,
        segment_monthly: segmentMetricsMonthly,
        category_daily: categoryMetricsDaily,
        category_monthly: categoryMetricsMonthly,
      };
      return {
        from: sql`${tables[table]} m`,
        instant: sql`${period}::timestamp at time zone 'UTC'`,
        day: period,
        currency: sql`m.currency`,
        dimensions: {
          MARKETPLACE: sql`m.marketplace_id`,
          CATEGORY: CANONICAL,
          MARKETPLACE_CATEGORY: sql`m.category_id`,
          // chooseTable keeps brand and condition requests off the category grain.
          BRAND: table.startsWith('segment') ? sql`m.brand` : sql`null::text`,
          CONDITION: table.startsWith('segment') ? sql`m.condition` : sql`null::product_condition`,
          PRODUCT: sql`null::int`,
        },
        timeRange: (from, to) => sql`${period} >= ${utcDay(from)}::date and ${period} < ${utcDay(to)}::date`,
        measures: rolledUpMeasures,
      };
    }
  }
}

/** SQL conditions for a statistics filter over raw sales joined to products. */
export function rawFilterConditions(filter: StatsFilter): SQL[] {
  return filterConditions(filter, source('raw'), 'raw');
}

function filterConditions(filter: StatsFilter, src: Source, table: Table): SQL[] {
  const conditions: SQL[] = [];
  const dims = src.dimensions;
  if (filter.marketplaceIds)
    conditions.push(sql`${dims.MARKETPLACE} = any(${sql.param(filter.marketplaceIds)}::int[])`);
  if (filter.categoryPath)
    conditions.push(sql`${dims.MARKETPLACE_CATEGORY} in (${categorySubtree(filter.categoryPath)})`);
  if (filter.canonicalCategoryPath) {
    conditions.push(sql`${dims.MARKETPLACE_CATEGORY} in (${canonicalSubtree(filter.canonicalCategoryPath)})`);
  }
  if (filter.brands) {
    // Brands match case-insensitively, as in product filters.
    conditions.push(sql`lower(${dims.BRAND}) = any(${lowered(filter.brands)})`);
  }
  if (filter.conditions) conditions.push(sql`${dims.CONDITION}::text = any(${sql.param(filter.conditions)}::text[])`);
  if (filter.currency) conditions.push(sql`${src.currency} = ${filter.currency}`);
  if (filter.productIds) {
    if (table !== 'raw' && table !== 'product_daily') throw new Error('segment rollups cannot filter by product');
    conditions.push(sql`${dims.PRODUCT} = any(${sql.param(filter.productIds)}::int[])`);
  }
  if (filter.price && src.unitPrice) {
    if (filter.price.min !== undefined) conditions.push(sql`${src.unitPrice} >= ${filter.price.min}`);
    if (filter.price.max !== undefined) conditions.push(sql`${src.unitPrice} <= ${filter.price.max}`);
  }
  return conditions;
}

const ORDER_COLUMNS: Record<StatsOrderField, string> = {
  PERIOD_START: 'period_start',
  SALE_COUNT: 'sale_count',
  UNITS: 'units',
  REVENUE: 'revenue_minor',
  AVERAGE_PRICE: 'average_price',
  MIN_PRICE: 'min_price_minor',
  MAX_PRICE: 'max_price_minor',
};

/** How a request's groups are computed over a source: each dimension's expression and the joins they read. */
type Grouping = { dimension: (name: StatsDimension) => SQL; joins: SQL[] };

function grouping(query: StatsQuery, src: Source): Grouping {
  const level = query.categoryLevel;
  const grouped = (name: StatsDimension) => query.groupBy.includes(name);
  // The joins a category grouping reads: the listing's category (`mc`) for its canonical node,
  // and with a level the node (`kl`) or category (`cl`) whose path names the ancestor.
  const joins = [
    grouped('CATEGORY') ? sql` left join ${categories} mc on mc.id = ${src.dimensions.MARKETPLACE_CATEGORY}` : sql``,
    grouped('CATEGORY') && level !== undefined
      ? sql` left join ${canonicalCategories} kl on kl.id = mc.canonical_category_id`
      : sql``,
    grouped('MARKETPLACE_CATEGORY') && level !== undefined
      ? sql` left join ${categories} cl on cl.id = ${src.dimensions.MARKETPLACE_CATEGORY}`
      : sql``,
  ];
  const dimension = (name: StatsDimension) =>
    level === undefined
      ? src.dimensions[name]
      : name === 'CATEGORY'
        ? ancestorAt('kl', level)
        : name === 'MARKETPLACE_CATEGORY'
          ? ancestorAt('cl', level)
          : src.dimensions[name];
  return { dimension, joins };
}

/**
 * A daily rollup summed per UTC day, currency and group before anything converts it, as a
 * source (`m`) with the same measure columns: the range, the filter and the groups (category
 * levels included) are applied inside, so the statement around it only converts and adds up.
 */
function daySums(query: StatsQuery, table: 'segment_daily' | 'category_daily'): Grouping & { source: Source } {
  const rollup = source(table);
  const inner = grouping(query, rollup);
  const alias = (name: StatsDimension) => `g_${name.toLowerCase()}`;
  const groups = query.groupBy.map((name) => sql`${inner.dimension(name)} as ${sql.raw(alias(name))}`);
  const sums = sql`(
      select m.day, m.currency${sql.join(
        groups.map((group) => sql`, ${group}`),
        sql``,
      )},
             sum(m.sale_count) as sale_count, sum(m.units) as units, sum(m.revenue_minor) as revenue_minor,
             min(m.min_price_minor) as min_price_minor, max(m.max_price_minor) as max_price_minor
      from ${rollup.from}${sql.join(inner.joins)}
      where ${sql.join([rollup.timeRange(query.from, query.to), ...filterConditions(query.filter, rollup, table)], sql` and `)}
      group by ${sql.join([sql`m.day`, sql`m.currency`, ...query.groupBy.map(inner.dimension)], sql`, `)}) m`;
  const dimension = (name: StatsDimension) => sql.raw(`m.${alias(name)}`);
  return {
    source: {
      ...rollup,
      from: sums,
      dimensions: Object.fromEntries(STATS_DIMENSIONS.map((name) => [name, dimension(name)])) as Record<
        StatsDimension,
        SQL
      >,
    },
    dimension,
    joins: [],
  };
}

/**
 * Computes statistics rows for a request in one statement, from the mart or from raw sales.
 * Both sources produce identical rows for requests the mart can answer.
 */
export async function computeStats(db: Db, query: StatsQuery): Promise<StatsResult> {
  const { table } = chooseTable(query);
  const converting = Boolean(query.targetCurrency);
  // Converting daily rollups, the rows are first summed per day, currency and group: every
  // measure is a sum or an extreme and every rate is one per day and currency, so converting
  // the sums gives the same numbers as converting each row (numeric products are exact and rates
  // are positive), for a fraction of the rows (a year by marketplace: 23,000 -> 2,000).
  const summed =
    converting && (table === 'segment_daily' || table === 'category_daily') ? daySums(query, table) : undefined;
  const src = summed?.source ?? source(table, readsProducts(query));
  const tz = query.timeZone;

  const target = sql`${query.targetCurrency}`;
  // Raw sales are many per day: each day and currency's factor is computed once and joined,
  // not once per sale and measure. (Over product days the planner chose a nested loop over
  // those factors without statistics: 11 s instead of 0.15 s, measured; the rollups keep theirs.)
  const converted = !converting
    ? undefined
    : table === 'raw'
      ? dailyConversion(src.day, src.currency, target, query.from, query.to)
      : conversion(src.day, src.currency, target);
  // Computed once per row in a lateral subquery: inlined, each measure would divide the rates again.
  const factor = converted ? sql`fx.factor` : sql`1`;
  const rateJoin = converted
    ? sql`${converted.joins} cross join lateral (select ${converted.factor} as factor) fx`
    : sql``;
  const currency = converting ? sql`${query.targetCurrency}::text` : sql`${src.currency}::text`;

  const period =
    query.interval === 'TOTAL'
      ? { start: sql`${query.from.toISOString()}::timestamptz`, end: sql`${query.to.toISOString()}::timestamptz` }
      : (() => {
          const { unit, step } = PERIOD_SQL[query.interval as Exclude<StatsInterval, 'TOTAL'>];
          const local = sql`date_trunc(${unit}, ${src.instant} at time zone ${tz})`;
          return {
            start: sql`${local} at time zone ${tz}`,
            end: sql`(${local} + ${step}::interval) at time zone ${tz}`,
          };
        })();

  const measures = src.measures(factor);
  const { dimension, joins: categoryJoins } = summed ?? grouping(query, src);
  const groupColumns = query.groupBy.map(dimension);
  const dimensionSelect = (name: StatsDimension, alias: string) =>
    query.groupBy.includes(name) ? sql`${dimension(name)} as ${sql.raw(alias)}` : sql`null as ${sql.raw(alias)}`;
  // The quartiles in one sort of the period's prices (three percentile_cont calls sorted them
  // three times); the statement around it rounds each as before.
  const quartiles =
    src.unitPrice && query.percentiles
      ? sql`percentile_cont(array[0.25, 0.5, 0.75]::float8[]) within group (order by (${src.unitPrice} * ${factor})::float8)`
      : sql`null::float8[]`;
  const quartile = (index: number) => sql.raw(`round(quartiles[${index}]::numeric)::int8`);

  // Summed first, the days and the filter were applied inside the sums.
  const conditions = summed
    ? [sql`true`]
    : [src.timeRange(query.from, query.to), ...filterConditions(query.filter, src, table)];
  const order = query.order ?? { field: 'PERIOD_START', direction: 'ASC' };
  const direction = sql.raw(order.direction === 'ASC' ? 'asc' : 'desc');
  const paging =
    query.limit === undefined
      ? query.cap === undefined
        ? sql``
        : sql` limit ${query.cap}`
      : sql` order by ${sql.raw(ORDER_COLUMNS[order.field])} ${direction} nulls last, 1, 2, 3, 4, 5, 6, 7, 8, 9
             limit ${query.limit} offset ${query.offset ?? 0}`;

  const statement = sql`
    select *, ${quartile(2)} as median_price_minor, ${quartile(1)} as p25_price_minor,
           ${quartile(3)} as p75_price_minor, count(*) over () as total_groups from (
      select extract(epoch from ${period.start})::float8 as period_start,
             extract(epoch from ${period.end})::float8 as period_end,
             ${dimensionSelect('MARKETPLACE', 'marketplace_id')},
             ${dimensionSelect('MARKETPLACE_CATEGORY', 'category_id')},
             ${dimensionSelect('CATEGORY', 'canonical_category_id')},
             ${dimensionSelect('BRAND', 'brand')},
             ${dimensionSelect('CONDITION', 'condition')},
             ${dimensionSelect('PRODUCT', 'product_id')},
             ${currency} as currency,
             ${measures.saleCount}::int8 as sale_count,
             ${measures.units}::int8 as units,
             round(${measures.revenue})::int8 as revenue_minor,
             round(${measures.min})::int8 as min_price_minor,
             round(${measures.max})::int8 as max_price_minor,
             ${quartiles} as quartiles${
               converting
                 ? sql`,
             count(*) filter (where ${factor} is null) as unconverted`
                 : sql``
             }
      from ${src.from}${rateJoin}${sql.join(categoryJoins)}
      where ${sql.join(conditions, sql` and `)}
      group by ${sql.join([sql`1`, sql`2`, ...groupColumns, ...(converting ? [] : [src.currency])], sql`, `)}
    ) grouped
    cross join lateral (select case when units > 0 then round(revenue_minor::numeric / units) end as average_price) average
    ${paging}`;

  const found = await selectRows(db, statement);
  // Rows without a rate are counted (a sum would skip them): only then is the rates table asked why.
  if (query.targetCurrency && found.some((row) => Number(row.unconverted) > 0)) {
    await refuseUnconvertible(db, query.targetCurrency);
  }
  const rows = found.map((row) => toStatsRow(row, query));
  const totalGroups = found[0] ? Number(found[0].total_groups) : 0;
  return { rows, source: table === 'raw' ? 'RAW' : 'MART', totalGroups };
}

/**
 * Refuses a conversion that could not be made (some amounts had no rate), naming the currencies
 * that have rates: the target currency has none, or some sales are in a currency without any.
 * Asked only then, so answers that converted pay no extra statement.
 */
async function refuseUnconvertible(db: Db, target: string): Promise<never> {
  const currencies = await convertibleCurrencies(db);
  const known = currencies.join(', ');
  if (!currencies.includes(target)) {
    throw badUserInput(
      `targetCurrency ${target} has no exchange rates, so no amount can be converted to it; use one of ${known}, or leave it out to get each currency as sold`,
      'targetCurrency',
    );
  }
  throw badUserInput(
    `some of these sales are in a currency without exchange rates (rates exist for ${known}); leave targetCurrency out to get each currency as sold`,
    'targetCurrency',
  );
}

/**
 * The id of the ancestor at `depth` of the category (or canonical node) joined as `alias`,
 * read from its materialized path (`/root/child/leaf/`); one shallower than `depth` stands for
 * itself. The depth is inlined (it is a validated integer) so the select and group-by
 * expressions are textually identical, as PostgreSQL requires.
 */
function ancestorAt(alias: 'cl' | 'kl', depth: number): SQL {
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`invalid category depth ${depth}`);
  const table = sql.raw(alias);
  return sql`coalesce(nullif(split_part(${table}.path, '/', ${sql.raw(String(depth + 2))}), '')::int, ${table}.id)`;
}

/** Whether a period reaches outside a range: the first and last buckets of an unaligned range. */
export function isPartial(period: { start: Date; end: Date }, range: { from: Date; to: Date }): boolean {
  return period.start.getTime() < range.from.getTime() || period.end.getTime() > range.to.getTime();
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function toStatsRow(row: Record<string, unknown>, range: { from: Date; to: Date }): StatsRow {
  const periodStart = new Date(Number(row.period_start) * 1000);
  const periodEnd = new Date(Number(row.period_end) * 1000);
  return {
    periodStart,
    periodEnd,
    partial: isPartial({ start: periodStart, end: periodEnd }, range),
    marketplaceId: nullableNumber(row.marketplace_id),
    categoryId: nullableNumber(row.category_id),
    canonicalCategoryId: nullableNumber(row.canonical_category_id),
    brand: (row.brand as string | null) ?? null,
    condition: (row.condition as ProductCondition | null) ?? null,
    productId: nullableNumber(row.product_id),
    currency: String(row.currency),
    saleCount: Number(row.sale_count),
    units: Number(row.units),
    revenueMinor: Number(row.revenue_minor),
    minPriceMinor: nullableNumber(row.min_price_minor),
    maxPriceMinor: nullableNumber(row.max_price_minor),
    medianPriceMinor: nullableNumber(row.median_price_minor),
    p25PriceMinor: nullableNumber(row.p25_price_minor),
    p75PriceMinor: nullableNumber(row.p75_price_minor),
  };
}
