import { sql } from 'drizzle-orm';
import { refreshMartWithin } from '../../analytics/mart';
import type { Db } from '../../db/client';
import { transactionsInFlight } from './transaction';

/**
 * Refreshes the mart for every UTC day core queued in `ingest_mart_pending`, by this run or by
 * an earlier one killed before its refresh. Each transaction takes its days off the queue
 * itself, so a crash puts them back and a day queued meanwhile by a concurrent run stays
 * queued for that run's refresh. On PostgreSQL the days are split by month into parallel
 * transactions (months never shared, so they never wait on each other). Returns how many
 * days were refreshed.
 */
export async function refreshPendingMart(db: Db): Promise<number> {
  const queued = (await db.execute(sql`select day::text as day from ingest_mart_pending order by day`)) as unknown as {
    rows: { day: unknown }[];
  };
  const batches = byMonthInBatches(queued.rows.map((row) => String(row.day)), transactionsInFlight(db));
  const refreshed = await Promise.all(
    batches.map((batch) =>
      db.transaction(async (tx) => {
        const taken = (await tx.execute(
          sql`delete from ingest_mart_pending where day = any(${sql.param(batch)}::date[]) returning day::text as day`,
        )) as unknown as { rows: { day: unknown }[] };
        const days = taken.rows.map((row) => String(row.day));
        await refreshMartWithin(tx, days);
        return days.length;
      }),
    ),
  );
  return refreshed.reduce((sum, days) => sum + days, 0);
}

/** Sorted days cut into at most `count` runs of whole months with about equal numbers of days. */
export function byMonthInBatches(days: readonly string[], count: number): string[][] {
  const batches: string[][] = [];
  const perBatch = Math.ceil(days.length / count);
  let current: string[] = [];
  for (const [i, day] of days.entries()) {
    const sameMonth = i > 0 && days[i - 1]?.slice(0, 7) === day.slice(0, 7);
    if (current.length >= perBatch && !sameMonth) {
      batches.push(current);
      current = [];
    }
    current.push(day);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
