import type { SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';

/** Runs raw SQL for a test's independent computation and returns plain rows. */
export async function rows<Row = Record<string, unknown>>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}
