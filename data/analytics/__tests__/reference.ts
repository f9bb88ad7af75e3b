import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { rows } from '../../../test/support/rows';

/** A sale with its listing's attributes, read straight from the tables. */
export type RawSale = {
  soldAt: Date;
  price: number;
  quantity: number;
  currency: string;
  productId: number;
  marketplaceId: number;
  categoryId: number | null;
  /** The canonical node the listing's category maps onto, read from the mapping. */
  canonicalCategoryId: number | null;
  brand: string | null;
  condition: string;
};

export async function loadRawSales(db: Db): Promise<RawSale[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select extract(epoch from s.sold_at)::float8 as t, s.unit_price_minor, s.quantity, s.currency, s.product_id,
               p.marketplace_id, p.category_id, c.canonical_category_id, p.brand, p.condition
        from sales s join products p on p.id = s.product_id left join categories c on c.id = p.category_id`,
  );
  return found.map((r) => ({
    soldAt: new Date(Number(r.t) * 1000),
    price: Number(r.unit_price_minor),
    quantity: Number(r.quantity),
    currency: String(r.currency),
    productId: Number(r.product_id),
    marketplaceId: Number(r.marketplace_id),
    categoryId: r.category_id === null ? null : Number(r.category_id),
    canonicalCategoryId: r.canonical_category_id === null ? null : Number(r.canonical_category_id),
    brand: (r.brand as string | null) ?? null,
    condition: String(r.condition),
  }));
}

/** minor units per USD by `${day}|${currency}`. */
export async function loadRates(db: Db): Promise<Map<string, number>> {
  const found = await rows<{ day: string; currency: string; minor: number }>(
    db,
    sql`select to_char(day, 'YYYY-MM-DD') as day, currency, minor_per_usd as minor from exchange_rates`,
  );
  return new Map(found.map((r) => [`${r.day}|${r.currency}`, Number(r.minor)]));
}

/** Local calendar parts of an instant in a time zone, computed by Intl, not by PostgreSQL. */
export function localParts(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), weekday: get('weekday') };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The local calendar period an instant falls in, as a comparable label. */
export function periodLabel(date: Date, interval: string, timeZone: string): string {
  const { year, month, day, weekday } = localParts(date, timeZone);
  switch (interval) {
    case 'DAY':
      return `${year}-${month}-${day}`;
    case 'WEEK': {
      const monday = new Date(Date.UTC(year, month - 1, day - WEEKDAYS.indexOf(weekday)));
      return `W${monday.toISOString().slice(0, 10)}`;
    }
    case 'MONTH':
      return `${year}-${month}`;
    case 'QUARTER':
      return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
    case 'YEAR':
      return `${year}`;
    default:
      return 'TOTAL';
  }
}

/** percentile_cont: linear interpolation between the closest ranks. */
export function percentile(sorted: number[], fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] ?? 0;
  const b = sorted[upper] ?? 0;
  return Math.round(a + (b - a) * (position - lower));
}

export type Expected = {
  key: string;
  saleCount: number;
  units: number;
  revenue: number;
  averagePrice: number | null;
  minPrice: number | null;
  maxPrice: number | null;
  medianPrice: number;
  p25Price: number;
  p75Price: number;
};

/** Groups sales and computes every measure in plain JavaScript. */
export function expectedBuckets(
  sales: RawSale[],
  keyOf: (sale: RawSale) => string,
  convert: (sale: RawSale) => number = () => 1,
): Map<string, Expected> {
  const groups = new Map<string, RawSale[]>();
  for (const sale of sales) {
    const key = keyOf(sale);
    const list = groups.get(key);
    if (list) list.push(sale);
    else groups.set(key, [sale]);
  }
  const result = new Map<string, Expected>();
  for (const [key, list] of groups) {
    const prices = list.map((s) => s.price * convert(s)).sort((a, b) => a - b);
    const units = list.reduce((n, s) => n + s.quantity, 0);
    const revenue = Math.round(list.reduce((n, s) => n + s.price * s.quantity * convert(s), 0));
    result.set(key, {
      key,
      saleCount: list.length,
      units,
      revenue,
      averagePrice: units > 0 ? Math.round(revenue / units) : null,
      minPrice: Math.round(prices[0] ?? 0),
      maxPrice: Math.round(prices.at(-1) ?? 0),
      medianPrice: percentile(prices, 0.5),
      p25Price: percentile(prices, 0.25),
      p75Price: percentile(prices, 0.75),
    });
  }
  return result;
}
