import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { rebuildMart } from '../../../db/mart';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { fileSource } from '../../sources/file/source';
import { byMonthInBatches, refreshPendingMart } from '../mart-pending';
import { runIngest } from '../run';
import { countRows, coreSnapshot, writeFixture } from './fixtures';

const daysBetween = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
  );

describe('splitting queued days for parallel refreshes', () => {
  it('cuts only between months, into at most the given number of batches of about equal size', () => {
    const year = daysBetween('2025-06-01', 366);
    const batches = byMonthInBatches(year, 2);
    expect(batches).toHaveLength(2);
    expect(batches.flat()).toEqual(year);
    const months = batches.map((batch) => new Set(batch.map((day) => day.slice(0, 7))));
    expect([...(months[0] ?? [])].some((month) => months[1]?.has(month))).toBe(false);
    expect(Math.abs((batches[0]?.length ?? 0) - (batches[1]?.length ?? 0))).toBeLessThan(62);
  });

  it('keeps one month whole however many batches are allowed, and gives nothing for nothing', () => {
    expect(byMonthInBatches(daysBetween('2026-03-01', 31), 4)).toEqual([daysBetween('2026-03-01', 31)]);
    expect(byMonthInBatches([], 2)).toEqual([]);
  });
});

(process.env.DATABASE_URL ? describe : describe.skip)('a refresh while another run commits (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let dir: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-refresh-race-'));
  });
  afterAll(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a day queued by a transaction still open, so its own refresh still covers it', async () => {
    const fixture = await writeFixture(dir, 5, 3);
    await runIngest({ db: database.db }, fileSource, { path: fixture.listingsCsv });
    await runIngest({ db: database.db }, fileSource, { path: fixture.salesCsv });
    const [day] = await rows<{ day: string; product_id: number }>(
      database.db,
      sql`select (sold_at at time zone 'UTC')::date::text as day, product_id from sales order by sold_at limit 1`,
    );
    if (!day) throw new Error('no sales');
    // Another run's day is queued and committed, waiting for its refresh...
    await database.db.execute(sql`insert into ingest_mart_pending (day) values (${day.day}::date)`);
    // ...while a third run's core transaction, still open, changes a sale of that day.
    const other = new Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(
        `insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
         values ($1, 'race-1', $2::date + interval '1 hour', 4200, 'USD', 7)`,
        [day.product_id, day.day],
      );
      await other.query(`insert into ingest_mart_pending (day) values ($1::date)`, [day.day]);
      // The first run's refresh: it must neither wait for nor take the open transaction's row.
      expect(await refreshPendingMart(database.db)).toHaveLength(1);
      await other.query('commit');
    } finally {
      await other.end();
    }
    expect(await countRows(database.db, 'ingest_mart_pending')).toBe(1);
    expect(await refreshPendingMart(database.db)).toHaveLength(1);
    const maintained = await coreSnapshot(database.db);
    await rebuildMart(database.db);
    expect(await coreSnapshot(database.db)).toEqual(maintained);
  });
});
