import { type SQL, sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client';
import type { StatsInterval } from '../types';
import { PERIOD_SQL } from './time';

export type Period = { start: Date; end: Date };

/**
 * Every calendar period of `interval` that overlaps [from, to) in `timeZone`, computed by
 * PostgreSQL so days, weeks and months follow the same DST rules as the statistics.
 */
export async function periodsBetween(
  db: Db,
  interval: StatsInterval,
  from: Date,
  to: Date,
  timeZone: string,
): Promise<Period[]> {
  if (interval === 'TOTAL') return [{ start: from, end: to }];
  const { unit, step } = PERIOD_SQL[interval];
  const periods = await selectRows<{ start: number; end: number }>(
    db,
    sql`
    select extract(epoch from g at time zone ${timeZone})::float8 as start,
           extract(epoch from (g + ${step}::interval) at time zone ${timeZone})::float8 as "end"
    from generate_series(
      date_trunc(${unit}, ${from.toISOString()}::timestamptz at time zone ${timeZone}),
      (${to.toISOString()}::timestamptz - interval '1 microsecond') at time zone ${timeZone},
      ${step}::interval) g`,
  );
  return periods.map((row) => ({
    start: new Date(Number(row.start) * 1000),
    end: new Date(Number(row.end) * 1000),
  }));
}

/**
 * The period each of `periods` is compared with under PREVIOUS_YEAR, in `timeZone`, computed by
 * PostgreSQL as `periodsBetween` computes periods:
 * - DAY, MONTH, QUARTER, YEAR: the same calendar period a year before (29 February 2028 is
 *   compared with 28 February 2027);
 * - WEEK: the ISO week of the same number in the ISO year before (week 53 with week 52 when that
 *   year has no week 53);
 * - TOTAL: the range of the same length starting at `from` a year earlier on the wall clock, so
 *   a range across 29 February is not compared with one a day shorter.
 * @example await periodsYearBefore(db, 'MONTH', [{ start: sept2026, end: oct2026 }], 'UTC') // September 2025
 */
export async function periodsYearBefore(
  db: Db,
  interval: StatsInterval,
  periods: Period[],
  timeZone: string,
): Promise<Period[]> {
  const local = (instant: SQL) => sql`(${instant} at time zone ${timeZone})`;
  const yearBefore = (instant: SQL) => sql`(${local(instant)} - interval '1 year')`;
  // ISO year y's week w, as year y - 1's, capped at that year's last week (28 December's).
  const isoWeekBefore = (instant: SQL) => {
    const year = sql`(extract(isoyear from ${local(instant)})::int - 1)`;
    const week = sql`least(extract(week from ${local(instant)})::int, extract(week from make_date(${year}, 12, 28))::int)`;
    return sql`to_date(${year} || '-' || ${week} || '-1', 'IYYY-IW-ID')::timestamp`;
  };
  const start = interval === 'WEEK' ? isoWeekBefore(sql`p.s`) : yearBefore(sql`p.s`);
  const end =
    interval === 'TOTAL'
      ? sql`(${start} + (${local(sql`p.e`)} - ${local(sql`p.s`)}))`
      : sql`(${start} + ${PERIOD_SQL[interval].step}::interval)`;
  const compared = await selectRows<{ start: number; end: number }>(
    db,
    sql`
    select extract(epoch from ${start} at time zone ${timeZone})::float8 as start,
           extract(epoch from ${end} at time zone ${timeZone})::float8 as "end"
    from unnest(${sql.param(periods.map((p) => p.start.toISOString()))}::timestamptz[],
                ${sql.param(periods.map((p) => p.end.toISOString()))}::timestamptz[]) with ordinality as p(s, e, n)
    order by p.n`,
  );
  return compared.map((row) => ({
    start: new Date(Number(row.start) * 1000),
    end: new Date(Number(row.end) * 1000),
  }));
}
