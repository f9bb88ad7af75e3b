import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, sales } from '../db/schema';
import type { TimeRange } from '../lib/arguments';
import { badUserInput } from '../lib/errors';
import { rawFilterConditions, type StatsFilter } from './stats';

/** Most bars a histogram may have. */
export const MAX_PRICE_BUCKETS = 200;

export type PriceBar = { lowerMinor: number; upperMinor: number; saleCount: number; units: number };

export type Distribution = {
  currency: string;
  sampleSize: number;
  minMinor: number | null;
  maxMinor: number | null;
  bucketWidthMinor: number;
  bars: PriceBar[];
};

export type DistributionRequest = {
  filter: StatsFilter;
  currency: string;
  period?: TimeRange;
  /** Exactly one of these: equal bars between min and max, or bars of a fixed width. */
  bucketCount?: number;
  bucketWidth?: number;
};

/**
 * A histogram of sold unit prices in one currency, in one statement over raw sales. Bars are
 * half-open integer ranges of minor units, so every price lands in exactly one bar.
 */
export async function priceDistribution(db: Db, request: DistributionRequest): Promise<Distribution> {
  const conditions = [sql`${sales.currency} = ${request.currency}`];
  if (request.period?.from) conditions.push(sql`${sales.soldAt} >= ${request.period.from.toISOString()}::timestamptz`);
  if (request.period?.to) conditions.push(sql`${sales.soldAt} < ${request.period.to.toISOString()}::timestamptz`);
  conditions.push(...rawFilterConditions(request.filter));

  // Width and origin: equal bars spanning [min, max], or fixed-width bars on multiples of it.
  const width = request.bucketWidth
    ? sql`${request.bucketWidth}::int8`
    : sql`greatest(1, ceil((b.hi - b.lo + 1)::numeric / ${request.bucketCount ?? 20}))::int8`;
  const origin = request.bucketWidth ? sql`(b.lo / ${request.bucketWidth}::int8) * ${request.bucketWidth}::int8` : sql`b.lo`;

  const result = (await db.execute(sql`
    with priced as (
      select ${sales.unitPriceMinor} as price, ${sales.quantity} as quantity
      from ${sales} join ${products} on ${products.id} = ${sales.productId}
      where ${sql.join(conditions, sql` and `)}
    ),
    bounds as (select min(price) as lo, max(price) as hi, count(*) as n from priced),
    shape as (select b.*, ${width} as width, ${origin} as origin from bounds b),
    -- Grouping by the bar alone, then attaching the bounds, is a third faster than
    -- grouping by the bar and every bound column together.
    bars as (
      select (p.price - s.origin) / s.width as bar, count(*) as sale_count, sum(p.quantity) as units
      from priced p cross join shape s group by 1
    )
    select s.lo, s.hi, s.n, s.width, s.origin, bars.bar, bars.sale_count, bars.units
    from shape s left join bars on true
    order by bars.bar`)) as unknown as { rows: Record<string, unknown>[] };

  const [head] = result.rows;
  const sampleSize = Number(head?.n ?? 0);
  if (!head || sampleSize === 0) {
    return { currency: request.currency, sampleSize: 0, minMinor: null, maxMinor: null, bucketWidthMinor: request.bucketWidth ?? 1, bars: [] };
  }
  const lo = Number(head.lo);
  const hi = Number(head.hi);
  const widthMinor = Number(head.width);
  const originMinor = Number(head.origin);
  const barCount = Math.floor((hi - originMinor) / widthMinor) + 1;
  if (barCount > MAX_PRICE_BUCKETS) {
    throw badUserInput(
      `bucketWidth ${widthMinor} gives ${barCount} bars between ${lo} and ${hi}; at most ${MAX_PRICE_BUCKETS} are allowed: use a wider bucketWidth or bucketCount`,
      'bucketWidth',
    );
  }
  const counted = new Map(result.rows.map((row) => [Number(row.bar), row]));
  const bars = Array.from({ length: barCount }, (_, i): PriceBar => {
    const row = counted.get(i);
    return {
      lowerMinor: originMinor + i * widthMinor,
      upperMinor: originMinor + (i + 1) * widthMinor,
      saleCount: Number(row?.sale_count ?? 0),
      units: Number(row?.units ?? 0),
    };
  });
  return { currency: request.currency, sampleSize, minMinor: lo, maxMinor: hi, bucketWidthMinor: widthMinor, bars };
}
