import { type SQL, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../db/client';
import { marketplaces, productLinkVerdicts, products, sales } from '../db/schema';
import { conversion } from './analytics/conversion';
import { groupByKey } from './batch';
import type { ProductMatch } from './types';

/**
 * How sure each kind of match alone makes Soldgraph, 0 to 1: a GTIN names one trade item (but
 * sellers reuse and mistype them); an ePID one eBay catalog product; an ASIN on two Amazon sites
 * usually the same product (regional variants share some); a part number with its brand is
 * the weakest (bundles and lots reuse it). Matches that agree add up as independent evidence:
 * 1 - (1 - a)(1 - b). An operator's verdict is certain either way.
 */
export const MATCH_CONFIDENCE: Readonly<Record<Exclude<ProductMatch, 'MANUAL'>, number>> = {
  GTIN: 0.95,
  EPID: 0.9,
  ASIN: 0.85,
  MPN_BRAND: 0.6,
};

/** An amount as the other listing had it, converted for comparison when a rate allows. */
export type ComparedAmount = {
  minorUnits: number;
  currency: string;
  /** The currency it was converted to: the requested one, or the linked-from product's own. */
  convertedCurrency: string;
  /** In `convertedCurrency`; null when no exchange rate covers it. */
  convertedMinorUnits: number | null;
  at: Date;
  /** The UTC day whose rates (or the nearest known, as in salesStats) converted it; null when none was needed. */
  rateDay: string | null;
};

/** A listing on another marketplace that is probably the same item. */
export type ProductLinkRow = {
  productId: number;
  otherId: number;
  confidence: number;
  matchedBy: ProductMatch[];
  /** Null when the other listing has no current price (out of stock). */
  askingPrice: ComparedAmount | null;
  lastSale: ComparedAmount | null;
};

/** Listings each way of matching considers per product: a comparison, not every copy of a bestseller. */
const MAX_CANDIDATES = 200;

export type ProductLinkArgs = {
  /** Convert to this currency; each product's own when absent. */
  currency?: string;
  minConfidence: number;
  limit: number;
};

const weights = sql.join(
  Object.entries(MATCH_CONFIDENCE).map(([method, weight]) => sql`(${method}, ${weight}::float8)`),
  sql`, `,
);

/**
 * An amount's conversion columns, `<prefix>_converted` (null without a rate) and
 * `<prefix>_rate_day` (null when no conversion was needed or possible), converted as salesStats converts:
 * at the rates of its UTC day, or the nearest known (conversion.ts).
 */
function converted(prefix: string, amount: SQL, currency: SQL, target: SQL, day: SQL): { columns: SQL; joins: SQL } {
  const { factor, joins } = conversion(day, currency, target, { source: `${prefix}_rs`, target: `${prefix}_rt` });
  return {
    columns: sql`round(${amount} * ${factor})::int8 as ${sql.raw(`${prefix}_converted`)},
      case when ${currency} = ${target} or ${factor} is null then null
           else to_char(${day}, 'YYYY-MM-DD') end as ${sql.raw(`${prefix}_rate_day`)}`,
    joins,
  };
}

/**
 * Listings on other marketplaces that share an identifier with each product (GTIN, ePID, the
 * ASIN between Amazon sites, MPN with brand) or that an operator linked, minus the pairs an
 * operator separated; most confident first, at most `limit` per product. Each comes with its
 * asking price and its last sale, converted at the rates of the day they were seen or paid.
 * One statement for any number of products.
 */
export async function linksForProducts(
  db: Db,
  productIds: readonly number[],
  args: ProductLinkArgs,
): Promise<ProductLinkRow[][]> {
  const target = args.currency ? sql`${args.currency}::text` : sql`p.currency::text`;
  // Each way of matching looks at most this many listings per product, newest first, and
  // only on other marketplaces: a GTIN shared by thousands of listings stays cheap.
  const candidates = (method: string, match: SQL, extra: SQL = sql``) => sql`
      select p.id as for_id, c.id as other_id, ${method}::text as method from p cross join lateral (
        select o.id from ${products} o${extra}
        where ${match} and o.marketplace_id <> p.marketplace_id
        order by o.last_seen_at desc limit ${MAX_CANDIDATES}) c`;
  const ask = converted(
    'ask',
    sql`o.price_minor`,
    sql`o.currency`,
    target,
    sql`(o.last_seen_at at time zone 'UTC')::date`,
  );
  const sale = converted(
    'sale',
    sql`ls.unit_price_minor`,
    sql`ls.currency`,
    target,
    sql`(ls.sold_at at time zone 'UTC')::date`,
  );
  const found = await selectRows<Record<string, unknown>>(
    db,
    sql`
    with p as (
      select x.id, x.marketplace_id, x.gtin, x.epid, x.external_id, x.currency, lower(x.brand) as brand,
             lower(x.mpn) as mpn, m.code like 'amazon-%' as amazon
      from ${products} x join ${marketplaces} m on m.id = x.marketplace_id
      where x.id = any(${sql.param([...productIds])}::int[])),
    matched as (
      ${candidates('GTIN', sql`p.gtin is not null and o.gtin = p.gtin`)}
      union all
      ${candidates('EPID', sql`p.epid is not null and o.epid = p.epid`)}
      union all
      ${candidates(
        'ASIN',
        sql`p.amazon and o.external_id = p.external_id`,
        sql` join ${marketplaces} om on om.id = o.marketplace_id and om.code like 'amazon-%'`,
      )}
      union all
      ${candidates('MPN_BRAND', sql`p.brand is not null and p.mpn is not null and lower(o.brand) = p.brand and lower(o.mpn) = p.mpn`)}
      union all
      select p.id, case when v.product_id = p.id then v.other_product_id else v.product_id end, 'MANUAL'
        from p join ${productLinkVerdicts} v on p.id in (v.product_id, v.other_product_id) and v.verdict = 'SAME'),
    scored as (
      select x.for_id, x.other_id, array_agg(distinct x.method order by x.method) as methods,
             case when bool_or(x.method = 'MANUAL') then 1
                  else 1 - exp(sum(ln(1 - w.weight)) filter (where w.weight is not null)) end as confidence
      from matched x left join (values ${weights}) w(method, weight) on w.method = x.method
      group by x.for_id, x.other_id),
    ranked as (
      select s.*, row_number() over (partition by s.for_id order by s.confidence desc, o.last_seen_at desc, s.other_id) as n
      from scored s join p on p.id = s.for_id join ${products} o on o.id = s.other_id
      where o.marketplace_id <> p.marketplace_id and s.confidence >= ${args.minConfidence}
        and not exists (select 1 from ${productLinkVerdicts} v where v.verdict = 'DIFFERENT'
                        and v.product_id = least(s.for_id, s.other_id) and v.other_product_id = greatest(s.for_id, s.other_id)))
    select r.for_id, r.other_id, r.methods, r.confidence::float8 as confidence, ${target} as target,
           o.price_minor, o.currency, extract(epoch from o.last_seen_at)::float8 as seen_at, ${ask.columns},
           ls.unit_price_minor as sale_minor, ls.currency as sale_currency, extract(epoch from ls.sold_at)::float8 as sold_at,
           ${sale.columns}
    from ranked r join p on p.id = r.for_id join ${products} o on o.id = r.other_id
    left join lateral (select ${sales.unitPriceMinor} as unit_price_minor, ${sales.currency} as currency, ${sales.soldAt} as sold_at
                       from ${sales} where ${sales.productId} = o.id order by ${sales.soldAt} desc limit 1) ls on true
    ${ask.joins}${sale.joins}
    where r.n <= ${args.limit}
    order by r.for_id, r.n`,
  );
  const links = found.map((row): ProductLinkRow => ({
    productId: Number(row.for_id),
    otherId: Number(row.other_id),
    confidence: Number(row.confidence),
    matchedBy: row.methods as ProductMatch[],
    // A listing without a current price (out of stock) has no asking price to compare.
    askingPrice:
      row.price_minor === null
        ? null
        : amount(row, 'price_minor', 'currency', 'ask_converted', 'seen_at', 'ask_rate_day'),
    lastSale:
      row.sale_minor === null
        ? null
        : amount(row, 'sale_minor', 'sale_currency', 'sale_converted', 'sold_at', 'sale_rate_day'),
  }));
  return groupByKey(productIds, links, (link) => link.productId);
}

/** One amount's columns of a result row, by name. */
function amount(
  row: Record<string, unknown>,
  ...[minor, currency, convertedMinor, at, rateDay]: string[]
): ComparedAmount {
  const value = (column: string | undefined) => (column === undefined ? null : row[column]);
  const converted = value(convertedMinor);
  return {
    minorUnits: Number(value(minor)),
    currency: String(value(currency)),
    convertedCurrency: String(row.target),
    convertedMinorUnits: converted === null ? null : Number(converted),
    at: new Date(Number(value(at)) * 1000),
    rateDay: (value(rateDay) as string | null) ?? null,
  };
}
