import { inArray, type SQL, sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { type Db, selectRows } from '../../db/client';
import { products, sales } from '../../db/schema';
import type { TimeRange } from '../types';
import { badUserInput } from '../../lib/errors';
import { rawFilterConditions, type StatsFilter } from './stats';

/** Most bars a histogram may have. */
export const MAX_PRICE_BUCKETS = 200;

export type PriceBar = { lowerMinor: number; upperMinor: number; saleCount: number; units: number };

/** How the bars are cut: equal bars between min and max, or bars of a fixed width on its multiples. */
export type HistogramShape =
  { bucketCount: number; bucketWidth?: never } | { bucketWidth: number; bucketCount?: never };

/** A histogram without its currency, which the caller knows (the requested one, or the listing's). */
export type Histogram = {
  sampleSize: number;
  minMinor: number | null;
  maxMinor: number | null;
  bucketWidthMinor: number;
  bars: PriceBar[];
};

export type Distribution = Histogram & { currency: string };

export type DistributionRequest = HistogramShape & {
  filter: StatsFilter;
  currency: string;
  period?: TimeRange;
};

/** What one product's histograms are asked with; the same for every product of a batch. */
export type ProductDistributionArgs = HistogramShape & { period?: TimeRange };

/**
 * A histogram of sold unit prices in one currency, in one statement over raw sales. Bars are
 * half-open integer ranges of minor units, so every price lands in exactly one bar.
 * @example await priceDistribution(db, { filter: {}, currency: 'USD', bucketCount: 20 })
 */
export async function priceDistribution(db: Db, request: DistributionRequest): Promise<Distribution> {
  const conditions = [sql`${sales.currency} = ${request.currency}`, ...periodConditions(request.period)];
  conditions.push(...rawFilterConditions(request.filter));
  const [rows = []] = (await histogramRows(db, conditions, request)).values();
  return { currency: request.currency, ...toHistogram(rows, request) };
}

/**
 * Each product's histogram of its sales in the listing's own currency (sales in other
 * currencies are left out), all in one statement. A product whose bars would exceed the
 * limit gets its own BAD_USER_INPUT error in its place; the others are unaffected.
 * @example await productPriceDistributions(db, [1, 2], { bucketCount: 12 })
 */
export async function productPriceDistributions(
  db: Db,
  productIds: readonly number[],
  args: ProductDistributionArgs,
): Promise<(Histogram | Error)[]> {
  const conditions = [
    inArray(sales.productId, [...productIds]),
    sql`${sales.currency} = ${products.currency}`,
    ...periodConditions(args.period),
  ];
  const byProduct = await histogramRows(db, conditions, args, true);
  return productIds.map((id) => {
    try {
      return toHistogram(byProduct.get(id) ?? [], args);
    } catch (error) {
      if (error instanceof GraphQLError) return error;
      throw error;
    }
  });
}

function periodConditions(period: TimeRange | undefined): SQL[] {
  const conditions: SQL[] = [];
  if (period?.from) conditions.push(sql`${sales.soldAt} >= ${period.from.toISOString()}::timestamptz`);
  if (period?.to) conditions.push(sql`${sales.soldAt} < ${period.to.toISOString()}::timestamptz`);
  return conditions;
}

type HistogramRow = Record<string, unknown>;

/**
 * The bounds and counted bars of the sales matching `conditions`: one histogram per product
 * (keyed by its id) with `perProduct`, else one under key 0. Only bars with sales come back;
 * `toHistogram` fills the empty ones.
 */
async function histogramRows(
  db: Db,
  conditions: SQL[],
  shape: HistogramShape,
  perProduct = false,
): Promise<Map<number, HistogramRow[]>> {
  // Without groups the statement stays the plain single-histogram one the benchmark measures.
  const grouped = (fragment: SQL) => (perProduct ? fragment : sql``);
  // Width and origin: bars on multiples of their width, so every edge is a round amount. With
  // a bar count, the width is the smallest 1, 2, 2.5 or 5 times a power of ten that covers
  // [min, max] in that many bars (one more at most, as the first bar starts at or below min).
  const fixed = shape.bucketWidth;
  const raw = sql`greatest(1, ceil((b.hi - b.lo + 1)::numeric / ${shape.bucketCount ?? 1}))`;
  const width =
    fixed === undefined
      ? sql`(select min(m.c * m.p) from (select c, power(10::numeric, floor(log(${raw}))) as p
               from unnest(array[1, 2, 2.5, 5, 10]::numeric[]) c) m
             where m.c * m.p >= ${raw} and m.c * m.p = trunc(m.c * m.p))::int8`
      : sql`${fixed}::int8`;
  const origin = sql`(s0.lo / s0.width) * s0.width`;

  const histogram = await selectRows<HistogramRow>(
    db,
    sql`
    with priced as (
      select ${grouped(sql`${sales.productId} as grp,`)} ${sales.unitPriceMinor} as price, ${sales.quantity} as quantity
      from ${sales} join ${products} on ${products.id} = ${sales.productId}
      where ${sql.join(conditions, sql` and `)}
    ),
    bounds as (select ${grouped(sql`grp,`)} min(price) as lo, max(price) as hi, count(*) as n from priced ${grouped(sql`group by grp`)}),
    widths as (select b.*, ${width} as width from bounds b),
    shape as (select s0.*, ${origin} as origin from widths s0),
    -- Grouping by the bar alone, then attaching the bounds, is a third faster than
    -- grouping by the bar and every bound column together.
    bars as (
      select ${grouped(sql`p.grp,`)} (p.price - s.origin) / s.width as bar, count(*) as sale_count, sum(p.quantity) as units
      from priced p ${perProduct ? sql`join shape s on s.grp = p.grp group by 1, 2` : sql`cross join shape s group by 1`}
    )
    select ${grouped(sql`s.grp,`)} s.lo, s.hi, s.n, s.width, s.origin, bars.bar, bars.sale_count, bars.units
    from shape s left join bars on ${perProduct ? sql`bars.grp = s.grp` : sql`true`}
    order by ${grouped(sql`s.grp,`)} bars.bar`,
  );

  const groups = new Map<number, HistogramRow[]>();
  for (const row of histogram) {
    const key = perProduct ? Number(row.grp) : 0;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** One histogram from its rows: every bar from the origin to the highest price, empty ones as zeros. */
function toHistogram(rows: HistogramRow[], shape: HistogramShape): Histogram {
  const [head] = rows;
  const sampleSize = Number(head?.n ?? 0);
  if (!head || sampleSize === 0) {
    return { sampleSize: 0, minMinor: null, maxMinor: null, bucketWidthMinor: shape.bucketWidth ?? 1, bars: [] };
  }
  const lo = Number(head.lo);
  const hi = Number(head.hi);
  const widthMinor = Number(head.width);
  const originMinor = Number(head.origin);
  const barCount = Math.floor((hi - originMinor) / widthMinor) + 1;
  // A bar count is kept by construction (one bar more at most, from the rounded origin).
  if (shape.bucketWidth !== undefined && barCount > MAX_PRICE_BUCKETS) {
    throw badUserInput(
      `bucketWidth ${widthMinor} gives ${barCount} bars between ${lo} and ${hi}; at most ${MAX_PRICE_BUCKETS} are allowed: use a wider bucketWidth or bucketCount`,
      'bucketWidth',
    );
  }
  const counted = new Map(rows.map((row) => [Number(row.bar), row]));
  const bars = Array.from({ length: barCount }, (_, i): PriceBar => {
    const row = counted.get(i);
    return {
      lowerMinor: originMinor + i * widthMinor,
      upperMinor: originMinor + (i + 1) * widthMinor,
      saleCount: Number(row?.sale_count ?? 0),
      units: Number(row?.units ?? 0),
    };
  });
  return { sampleSize, minMinor: lo, maxMinor: hi, bucketWidthMinor: widthMinor, bars };
}
