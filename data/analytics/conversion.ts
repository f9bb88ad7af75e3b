import { type SQL, sql } from 'drizzle-orm';
import { exchangeRates } from '../../db/schema';

/**
 * How amounts in `currency` on the UTC `day` (both SQL over the rows being summed) become
 * amounts in `target`: `factor` multiplies an amount in minor units (null when either currency
 * has no rate at all), and `joins` are the left joins of `exchange_rates` (as `rs` and `rt`, or `aliases`) it
 * reads. The factor is target/source minor units per USD on that day, in numeric so that the
 * mart (sums per day) and raw sales (each sale) agree to the unit. A day without a rate takes
 * the last known one before it (else the first after): a gap or a feed that lags a day never
 * drops sales from the totals. Those lookups run only for rows the exact-day join missed, each
 * one probe of the (day, currency) key. An amount already in `target` needs no rate, so a
 * database without rates still answers in the currency its sales are in.
 * @example conversion(sql`m.day`, sql`m.currency`, sql`${'EUR'}`) // revenue: sum(m.revenue_minor * factor)
 */
export function conversion(
  day: SQL,
  currency: SQL,
  target: SQL,
  /** The joins' aliases, for a statement that converts amounts of more than one day. */
  aliases: { source: string; target: string } = { source: 'rs', target: 'rt' },
): { factor: SQL; joins: SQL } {
  const rateOf = (alias: string, of: SQL) => {
    const exact = sql.raw(`${alias}.minor_per_usd`);
    const nearest = (direction: 'before' | 'after') => sql`(
        select r.minor_per_usd from ${exchangeRates} r where r.currency = ${of}
          and r.day ${direction === 'before' ? sql`<=` : sql`>`} ${day}
        order by r.day ${direction === 'before' ? sql`desc` : sql`asc`} limit 1)`;
    return sql`coalesce(${exact}, ${nearest('before')}, ${nearest('after')})::numeric`;
  };
  return {
    factor: sql`(case when ${currency} = ${target} then 1::numeric
            else ${rateOf(aliases.target, target)} / ${rateOf(aliases.source, currency)} end)`,
    joins: sql` left join ${exchangeRates} ${sql.raw(aliases.source)} on ${sql.raw(aliases.source)}.day = ${day} and ${sql.raw(aliases.source)}.currency = ${currency}
           left join ${exchangeRates} ${sql.raw(aliases.target)} on ${sql.raw(aliases.target)}.day = ${day} and ${sql.raw(aliases.target)}.currency = ${target}`,
  };
}

/**
 * `conversion` for rows that are many per UTC day, such as raw sales: the factor of every UTC day
 * of [`from`, `to`) and every currency with rates is computed once, in a derived table (`dr`)
 * joined on (`day`, `currency`), instead of once per row and measure. The factors are the same
 * expression, so the numbers are identical (a year of sales converted to USD: 51,000 rows, about
 * 1,500 factors instead of 5 per sale). Amounts already in `target` take 1, as in `conversion`;
 * a currency without any rate finds no factor (null), as there.
 * @example dailyConversion(sql`(s.sold_at at time zone 'UTC')::date`, sql`s.currency`, sql`${'USD'}`, from, to)
 */
export function dailyConversion(
  day: SQL,
  currency: SQL,
  target: SQL,
  from: Date,
  to: Date,
): { factor: SQL; joins: SQL } {
  const each = conversion(sql`d.day`, sql`c.currency`, target);
  const firstDay = sql`(${from.toISOString()}::timestamptz at time zone 'UTC')::date`;
  const lastDay = sql`((${to.toISOString()}::timestamptz - interval '1 microsecond') at time zone 'UTC')::date`;
  return {
    factor: sql`(case when ${currency} = ${target} then 1::numeric else dr.factor end)`,
    joins: sql` left join (
        select d.day, c.currency, ${each.factor} as factor
        from generate_series(${firstDay}, ${lastDay}, interval '1 day') g
        cross join lateral (select g::date as day) d
        cross join (select distinct currency from ${exchangeRates}) c${each.joins}
      ) dr on dr.day = ${day} and dr.currency = ${currency}`,
  };
}
