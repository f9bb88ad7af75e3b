import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../../test/support/database';
import { selectRows } from '../client';
import { seedDemoData } from '../seed/load';

describe('the demo seed', () => {
  it('leaves the planner statistics of what it loaded, on the embedded database too', async () => {
    // PGlite runs no autovacuum: a seeded embedded database has statistics only if the seed takes them.
    const database = await openTestDatabase();
    try {
      const statisticsOf = async (table: string) =>
        (
          await selectRows(
            database.db,
            sql`select (select reltuples from pg_class where oid = ${table}::regclass)::float8 as estimated,
                       (select count(*) from pg_stats where schemaname = 'public' and tablename = ${table})::int as columns`,
          )
        )[0];
      expect(await statisticsOf('products')).toEqual({ estimated: -1, columns: 0 });
      const counts = await seedDemoData(database.db, { size: 'small', now: new Date('2026-06-30T00:00:00Z') });
      const products = await statisticsOf('products');
      expect(products?.estimated).toBe(counts.products);
      expect(products?.columns).toBeGreaterThan(5);
      // sales is partitioned: its statistics are those of the whole hierarchy.
      expect((await statisticsOf('sales'))?.columns).toBeGreaterThan(5);
    } finally {
      await database.close();
    }
  });
});
