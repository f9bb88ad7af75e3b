import type { SQL } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client';

/** Runs raw SQL for a test's independent computation and returns plain rows. */
export function rows<Row = Record<string, unknown>>(db: Db, query: SQL): Promise<Row[]> {
  return selectRows<Row>(db, query);
}
