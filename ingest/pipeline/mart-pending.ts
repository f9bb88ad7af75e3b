import { sql } from 'drizzle-orm';
import { lockMartMonths, refreshMartWithin } from '../../db/mart';
import { type Db, selectRows } from '../../db/client';
import { transactionsInFlight } from './transaction';

/**
 * Refreshes the mart for every UTC day core queued in `ingest_mart_pending`, by this run or by
 * an earlier one killed before its refresh. Each transaction deletes the queue rows it can
 * see for its days and recomputes them, so a crash puts them back, and a day a concurrent run
 * queues meanwhile (still uncommitted, so invisible here) stays queued for that run's refresh.
 * On PostgreSQL the days are split by month into parallel transactions; each takes its months'
 * locks before it touches the queue, so refreshes of the same months, from this run or
 * another, take turns instead of deadlocking. Returns the days refreshed (YYYY-MM-DD).
 */
export async function refreshPendingMart(db: Db): Promise<string[]> {
  const queued = await selectRows<{ day: unknown }>(
    db,
    sql`select distinct day::text as day from ingest_mart_pending order by 1`,
  );
  const batches = byMonthInBatches(
    queued.map((row) => String(row.day)),
    transactionsInFlight(db),
  );
  const results = await Promise.allSettled(
    batches.map((batch) =>
      db.transaction(async (tx) => {
        await lockMartMonths(tx, batch);
        const taken = await selectRows<{ day: unknown }>(
          tx,
          sql`delete from ingest_mart_pending where day = any(${sql.param(batch)}::date[]) returning day::text as day`,
        );
        const days = [...new Set(taken.map((row) => String(row.day)))];
        await refreshMartWithin(tx, days);
        return days;
      }),
    ),
  );
  const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (failed.length > 0) {
    const messages = failed.map((error) => (error instanceof Error ? error.message : String(error)));
    throw new Error(`${failed.length} of ${batches.length} refresh transactions failed: ${messages.join('; ')}`);
  }
  return results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
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
