import { sql } from 'drizzle-orm';
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
