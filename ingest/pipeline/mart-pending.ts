import { sql } from 'drizzle-orm';
import { refreshMartWithin } from '../../analytics/mart';
import type { Db } from '../../db/client';

/**
 * Refreshes the mart for every UTC day core queued in `ingest_mart_pending`, by this run or by
 * an earlier one killed before its refresh. The days are taken off the queue in the refresh's
 * own transaction, so a crash puts them back and a day queued meanwhile by a concurrent run
 * stays queued. Returns how many days were refreshed.
 */
export async function refreshPendingMart(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const taken = (await tx.execute(sql`delete from ingest_mart_pending returning day::text as day`)) as unknown as {
      rows: { day: unknown }[];
    };
    const days = taken.rows.map((row) => String(row.day));
    await refreshMartWithin(tx, days);
    return days.length;
  });
}
