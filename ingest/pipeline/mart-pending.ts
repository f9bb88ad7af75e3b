import { sql } from 'drizzle-orm';
import { refreshMart } from '../../analytics/mart';
import type { Db } from '../../db/client';

/**
 * Refreshes the mart for every (product, day) core queued in `ingest_mart_pending`, by this
 * run or by an earlier one killed before its refresh, then clears what it refreshed. A crash
 * in between only repeats an idempotent refresh. Returns how many days were refreshed.
 */
export async function refreshPendingMart(db: Db): Promise<number> {
  const result = (await db.execute(
    sql`select product_id, day::text as day from ingest_mart_pending`,
  )) as unknown as { rows: { product_id: unknown; day: unknown }[] };
  if (result.rows.length === 0) return 0;
  const productIds = [...new Set(result.rows.map((row) => Number(row.product_id)))];
  const days = [...new Set(result.rows.map((row) => String(row.day)))];
  await refreshMart(db, { productIds, days });
  await db.execute(sql`
    delete from ingest_mart_pending p
    using unnest(${sql.param(result.rows.map((row) => Number(row.product_id)))}::int[],
                 ${sql.param(result.rows.map((row) => String(row.day)))}::date[]) as done(product_id, day)
    where p.product_id = done.product_id and p.day = done.day`);
  return days.length;
}
