import { type SQL, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../db/client';
import { exchangeRates, marketplaces, productLinkVerdicts, products, sales } from '../db/schema';
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
  /** The UTC day whose rates converted it; null when none was needed or none exists. */
  rateDay: string | null;
};

/** A listing on another marketplace that is probably the same item. */
export type ProductLinkRow = {
  productId: number;
  otherId: number;
  confidence: number;
  matchedBy: ProductMatch[];
  askingPrice: ComparedAmount;
  lastSale: ComparedAmount | null;
};

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
 * The rate that turns `currency` into `target` around `day`: both currencies' rates of the
 * newest day on or before it that has both, else of the first day after. Columns `factor` and
 * `day`; no row when no day has both.
 */
function rateAround(currency: SQL, target: SQL, day: SQL): SQL {
  const pick = (direction: 'before' | 'after') => sql`(
    select t.minor_per_usd / s.minor_per_usd as factor, s.day
    from ${exchangeRates} s join ${exchangeRates} t on t.day = s.day and t.currency = ${target}
    where s.currency = ${currency} and s.day ${direction === 'before' ? sql`<=` : sql`>`} ${day}
    order by s.day ${direction === 'before' ? sql`desc` : sql`asc`} limit 1)`;
  return sql`(select * from ${pick('before')} b union all select * from ${pick('after')} a limit 1)`;
}

/** An amount's conversion columns: converted minor units and the rate's day, null without a rate. */
function converted(prefix: string, amount: SQL, currency: SQL, target: SQL): SQL {
  const rate = sql.raw(`${prefix}_rate`);
  return sql`case when ${currency} = ${target} then ${amount} else round(${amount} * ${rate}.factor)::int8 end
      as ${sql.raw(`${prefix}_converted`)},
    case when ${currency} = ${target} then null else to_char(${rate}.day, 'YYYY-MM-DD') end as ${sql.raw(`${prefix}_rate_day`)}`;
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
  const found = await selectRows<Record<string, unknown>>(
    db,
    sql`
    with p as (
      select x.id, x.marketplace_id, x.gtin, x.epid, x.external_id, x.currency, lower(x.brand) as brand,
             lower(x.mpn) as mpn, m.code like 'amazon-%' as amazon
      from ${products} x join ${marketplaces} m on m.id = x.marketplace_id
      where x.id = any(${sql.param([...productIds])}::int[])),
    matched as (
      select p.id as for_id, o.id as other_id, 'GTIN' as method from p join ${products} o on o.gtin = p.gtin
      union all
      select p.id, o.id, 'EPID' from p join ${products} o on o.epid = p.epid
      union all
      select p.id, o.id, 'ASIN' from p join ${products} o on o.external_id = p.external_id
        join ${marketplaces} om on om.id = o.marketplace_id and om.code like 'amazon-%'
        where p.amazon
      union all
      select p.id, o.id, 'MPN_BRAND' from p join ${products} o on lower(o.brand) = p.brand and lower(o.mpn) = p.mpn
        where o.brand is not null and o.mpn is not null
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
           o.price_minor, o.currency, extract(epoch from o.last_seen_at)::float8 as seen_at,
           ${converted('ask', sql`o.price_minor`, sql`o.currency`, target)},
           ls.unit_price_minor as sale_minor, ls.currency as sale_currency, extract(epoch from ls.sold_at)::float8 as sold_at,
           ${converted('sale', sql`ls.unit_price_minor`, sql`ls.currency`, target)}
    from ranked r join p on p.id = r.for_id join ${products} o on o.id = r.other_id
    left join lateral (select ${sales.unitPriceMinor} as unit_price_minor, ${sales.currency} as currency, ${sales.soldAt} as sold_at
                       from ${sales} where ${sales.productId} = o.id order by ${sales.soldAt} desc limit 1) ls on true
    left join lateral ${rateAround(sql`o.currency`, target, sql`(o.last_seen_at at time zone 'UTC')::date`)} ask_rate on true
    left join lateral ${rateAround(sql`ls.currency`, target, sql`(ls.sold_at at time zone 'UTC')::date`)} sale_rate on true
    where r.n <= ${args.limit}
    order by r.for_id, r.n`,
  );
  const links = found.map((row): ProductLinkRow => ({
    productId: Number(row.for_id),
    otherId: Number(row.other_id),
    confidence: Number(row.confidence),
    matchedBy: row.methods as ProductMatch[],
    askingPrice: amount(row, 'price_minor', 'currency', 'ask_converted', 'seen_at', 'ask_rate_day'),
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
