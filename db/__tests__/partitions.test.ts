import { sql } from 'drizzle-orm';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rows } from '../../test/support/rows';
import { withAdmin } from '../../test/support/database';
import { type Database, openDatabase, selectRows } from '../client';
import { archiveBefore, listPartitions, maintainPartitions, type PartitionRow } from '../partitions';

/** The last migration before the history tables were partitioned. */
const BEFORE_PARTITIONING = '0015_run_page_fetch_time';

const HISTORY = {
  sales: 'id, product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor, granularity',
  price_observations: 'id, product_id, observed_at, last_confirmed_at, kind, amount_minor, currency, source',
  sales_rank_observations: 'product_id, observed_at, last_confirmed_at, rank',
  sold_snapshots:
    'id, product_id, observed_at, last_confirmed_at, total_sold_quantity, last_sold_at, last_sold_price_minor, currency, raw_id',
} as const;

type Opened = Database & { drop(): Promise<void> };
let folder: string;

/** A copy of db/migrations that ends at `lastTag`: what a database of that release was made with. */
async function migrationsUpTo(lastTag: string): Promise<string> {
  const source = path.join(__dirname, '..', 'migrations');
  const journal = JSON.parse(await readFile(path.join(source, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (end < 0) throw new Error(`no migration ${lastTag}`);
  const entries = journal.entries.slice(0, end + 1);
  await mkdir(path.join(folder, 'meta'), { recursive: true });
  await writeFile(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) await copyFile(path.join(source, `${tag}.sql`), path.join(folder, `${tag}.sql`));
  return folder;
}

/** An empty database of its own (PostgreSQL with DATABASE_URL, else in-memory PGlite), migrated to BEFORE_PARTITIONING. */
async function openOldDatabase(): Promise<Opened> {
  const adminUrl = process.env.DATABASE_URL;
  let database: Database;
  let drop = async () => undefined;
  if (adminUrl) {
    const name = `soldgraph_partitions_${randomBytes(6).toString('hex')}`;
    await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory://', poolMax: 4 });
    drop = async () => {
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    };
  } else {
    database = openDatabase({ pgliteDir: 'memory://' });
  }
  const migrationsFolder = await migrationsUpTo(BEFORE_PARTITIONING);
  if (database.driver === 'postgres') {
    await migrateNodePg(database.db as Parameters<typeof migrateNodePg>[0], { migrationsFolder });
  } else {
    await migratePglite(database.db as Parameters<typeof migratePglite>[0], { migrationsFolder });
  }
  return {
    ...database,
    async drop() {
      await database.close();
      await drop();
    },
  };
}

/** Every row of each history table as text, in key order, with the column list fixed. */
async function historyContents(database: Database): Promise<Record<string, { count: number; digest: string }>> {
  const result: Record<string, { count: number; digest: string }> = {};
  for (const [table, columns] of Object.entries(HISTORY)) {
    const [row] = await rows<{ count: number; digest: string }>(
      database.db,
      sql.raw(`select count(*)::int as count, md5(coalesce(string_agg(row(${columns})::text, '|' order by ${columns}), ''))
               as digest from ${table}`),
    );
    result[table] = row ?? { count: 0, digest: '' };
  }
  return result;
}

/**
 * Old-release data with the awkward cases: instants on and just before a UTC month boundary,
 * a month far in the past and one far ahead, a rank past 2^31 - 1, a sale with no shipping.
 */
async function fillHistory(database: Database): Promise<void> {
  await database.db.execute(sql`
    with m as (insert into marketplaces (code, name, default_currency) values ('ebay-us', 'eBay US', 'USD') returning id)
    insert into products (marketplace_id, external_id, title, price_minor, currency)
    select m.id, 'item-' || n, 'Item ' || n, 1000 + n, 'USD' from m, generate_series(1, 5) n`);
  await database.db.execute(sql`
    insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor)
    select p.id, 'order-' || n, timestamptz '2024-01-01 00:00:00+00' + (n * interval '7 days 3 hours'), 500 + n, 'USD',
           1 + n % 3, case when n % 4 = 0 then null else 99 end
    from products p, generate_series(1, 120) n`);
  await database.db.execute(sql`
    insert into sales (product_id, source_key, sold_at, unit_price_minor, currency)
    select p.id, k, t, 700, 'USD' from (select id from products order by id limit 1) p,
      (values ('edge-on', timestamptz '2025-03-01 00:00:00+00'), ('edge-before', timestamptz '2025-02-28 23:59:59.999+00'),
              ('past', timestamptz '1999-12-31 23:00:00-05'), ('ahead', timestamptz '2031-07-04 12:00:00+00')) v(k, t)`);
  await database.db.execute(sql`
    insert into price_observations (product_id, observed_at, last_confirmed_at, kind, amount_minor, currency, source)
    select p.id, timestamptz '2023-06-15 08:00:00+00' + n * interval '11 days', timestamptz '2023-06-15 08:00:00+00' + n * interval '11 days',
           'LIST', 900 + n, 'USD', 'keepa'
    from products p, generate_series(0, 60) n`);
  await database.db.execute(sql`
    insert into sales_rank_observations (product_id, observed_at, last_confirmed_at, rank)
    select p.id, timestamptz '2024-05-01 00:00:00+00' + n * interval '9 days', timestamptz '2024-05-01 00:00:00+00' + n * interval '9 days',
           2522160443 + n
    from products p, generate_series(0, 40) n`);
  await database.db.execute(sql`
    insert into sold_snapshots (product_id, observed_at, last_confirmed_at, total_sold_quantity, last_sold_at, last_sold_price_minor, currency)
    select p.id, timestamptz '2026-01-20 00:00:00+00' + n * interval '13 days', timestamptz '2026-01-20 00:00:00+00' + n * interval '13 days',
           n * 2, timestamptz '2026-01-19 00:00:00+00' + n * interval '13 days', 1500, 'USD'
    from products p, generate_series(0, 20) n`);
}

const partitionsOf = async (database: Database, parent: string) =>
  (await selectRows<PartitionRow>(database.db, listPartitions())).filter((row) => row.parent === parent);

const rowsIn = async (database: Database, table: string) =>
  (await rows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]?.n;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'soldgraph-migrations-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('partitioning the history of an existing database', () => {
  let database: Opened;
  let before: Awaited<ReturnType<typeof historyContents>>;
  beforeAll(async () => {
    database = await openOldDatabase();
    await fillHistory(database);
    before = await historyContents(database);
    await database.migrate();
  });
  afterAll(() => database?.drop());

  it('keeps every row of every history table, values and ids unchanged', async () => {
    expect(before.sales?.count).toBe(604);
    expect(await historyContents(database)).toEqual(before);
  });

  it('makes each table partitioned by month, with every stored month in a partition of its own', async () => {
    const parents = await rows<{ parent: string; strategy: string }>(
      database.db,
      sql`select c.relname as parent, p.partstrat as strategy from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
          where c.relnamespace = current_schema()::regnamespace order by 1`,
    );
    expect(parents).toEqual(
      Object.keys(HISTORY)
        .sort()
        .map((parent) => ({ parent, strategy: 'r' })),
    );
    for (const table of Object.keys(HISTORY)) {
      const [outside] = await rows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where tableoid::regclass::text !~ '_[0-9]{4}_[0-9]{2}$'`,
      );
      expect(outside?.n).toBe(0);
    }
    const where = await rows<{ source_key: string; partition: string }>(
      database.db,
      sql`select source_key, tableoid::regclass::text as partition from sales
          where source_key in ('edge-on', 'edge-before', 'past', 'ahead') order by source_key`,
    );
    expect(where).toEqual([
      { source_key: 'ahead', partition: 'sales_2031_07' },
      { source_key: 'edge-before', partition: 'sales_2025_02' },
      { source_key: 'edge-on', partition: 'sales_2025_03' },
      { source_key: 'past', partition: 'sales_2000_01' },
    ]);
  });

  it('goes on numbering after the copied ids and keeps the keys unique', async () => {
    const [{ max } = { max: 0 }] = await rows<{ max: number }>(database.db, sql`select max(id)::int as max from sales`);
    const [added] = await rows<{ id: number }>(
      database.db,
      sql`insert into sales (product_id, source_key, sold_at, unit_price_minor, currency)
          select id, 'after-migration', now(), 1, 'USD' from products order by id limit 1 returning id::int as id`,
    );
    expect(added?.id).toBe(max + 1);
    await expect(
      database.db.execute(sql`insert into sales (product_id, source_key, sold_at, unit_price_minor, currency)
        select product_id, source_key, sold_at, 1, 'USD' from sales where source_key = 'edge-on'`),
    ).rejects.toThrow();
    await expect(
      database.db.execute(sql`insert into sales_rank_observations (product_id, observed_at, last_confirmed_at, rank)
        select product_id, observed_at, observed_at, 1 from sales_rank_observations limit 1`),
    ).rejects.toThrow();
  });
});

describe('partition upkeep', () => {
  let database: Opened;
  beforeAll(async () => {
    database = await openOldDatabase();
    await database.migrate();
    await database.db.execute(sql`
      with m as (insert into marketplaces (code, name, default_currency) values ('ebay-us', 'eBay US', 'USD') returning id)
      insert into products (marketplace_id, external_id, title, price_minor, currency) select m.id, 'item-1', 'Item', 100, 'USD' from m`);
  });
  afterAll(() => database?.drop());

  const addSale = (key: string, at: string) =>
    database.db.execute(sql`insert into sales (product_id, source_key, sold_at, unit_price_minor, currency)
      select id, ${key}, ${at}::timestamptz, 100, 'USD' from products`);
  const partitionOf = async (key: string) =>
    (
      await rows<{ partition: string }>(
        database.db,
        sql`select tableoid::regclass::text as partition from sales where source_key = ${key}`,
      )
    )[0]?.partition;

  it('makes this month and three ahead, with rest partitions around them, and nothing more on a second pass', async () => {
    const today = new Date();
    const month = (ahead: number) =>
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + ahead, 1)).toISOString().slice(0, 7);
    const ranges = (await partitionsOf(database, 'sales')).map((row) => [row.from, row.to]);
    expect(ranges).toEqual([
      [null, month(0)],
      [month(0), month(1)],
      [month(1), month(2)],
      [month(2), month(3)],
      [month(3), month(4)],
      [month(4), null],
    ]);
    expect(await selectRows(database.db, maintainPartitions())).toEqual([]);
  });

  it('stores a month with no partition in a rest partition, then moves it to a partition of its own', async () => {
    await addSale('far-1', '2040-02-10T00:00:00Z');
    await addSale('far-2', '2040-02-29T23:59:59.999Z');
    expect(await partitionOf('far-1')).toMatch(/^sales_\d{4}_\d{2}_to_max$/);
    expect(await selectRows(database.db, maintainPartitions())).toEqual([{ made: 'sales_2040_02' }]);
    expect([await partitionOf('far-1'), await partitionOf('far-2')]).toEqual(['sales_2040_02', 'sales_2040_02']);
    expect((await partitionsOf(database, 'sales')).slice(-3).map((row) => [row.from, row.to])).toEqual([
      [expect.any(String), '2040-02'],
      ['2040-02', '2040-03'],
      ['2040-03', null],
    ]);
  });

  it('lets two processes make the same months at once: each month is made once, no row is lost', async () => {
    await addSale('far-3', '2041-01-01T00:00:00Z');
    await addSale('far-4', '2041-05-31T12:00:00Z');
    if (database.driver === 'pglite') {
      // One process owns an embedded database (db/data-dir-lock.ts): one pass is all there is.
      expect(await selectRows(database.db, maintainPartitions())).toHaveLength(2);
    } else {
      const other = openDatabase({ databaseUrl: await currentUrl(database), pgliteDir: 'memory://', poolMax: 2 });
      try {
        const made = await Promise.all([
          selectRows<{ made: string }>(database.db, maintainPartitions()),
          selectRows<{ made: string }>(other.db, maintainPartitions()),
        ]);
        expect(
          made
            .flat()
            .map((row) => row.made)
            .sort(),
        ).toEqual(['sales_2041_01', 'sales_2041_05']);
      } finally {
        await other.close();
      }
    }
    expect([await partitionOf('far-3'), await partitionOf('far-4')]).toEqual(['sales_2041_01', 'sales_2041_05']);
    expect(await rowsIn(database, 'sales')).toBe(4);
  });

  it("reads a product's newest sales from the newest partitions only, oldest never touched", async () => {
    await addSale('old-1', '2019-05-02T00:00:00Z');
    await selectRows(database.db, maintainPartitions());
    const plan = (
      await rows<{ 'QUERY PLAN': string }>(
        database.db,
        sql`explain (analyze, costs off, timing off, summary off)
            select * from sales where product_id = (select id from products limit 1) order by sold_at desc, id desc limit 2`,
      )
    ).map((row) => row['QUERY PLAN']);
    expect(plan.some((line) => line.includes('Merge Append'))).toBe(false);
    expect(plan.find((line) => line.includes('sales_2019_05'))).toBeDefined();
    const oldest = plan.findIndex((line) => line.includes('on sales_2019_05'));
    expect(plan.slice(oldest, oldest + 2).join(' ')).toContain('never executed');
  });

  it('archives the months before a month: their rows leave sales, stay readable in the archive schema, and the range takes new rows', async () => {
    expect(await selectRows(database.db, archiveBefore('2019-06'))).toEqual([{ archived: 'sales_2019_05' }]);
    expect(await rowsIn(database, 'sales')).toBe(4);
    const [archived] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from archive.sales_2019_05`,
    );
    expect(archived?.n).toBe(1);
    expect((await partitionsOf(database, 'sales'))[0]).toMatchObject({
      partition: 'sales_min_to_2019_06',
      from: null,
      to: '2019-06',
    });
    await addSale('old-2', '2019-05-03T00:00:00Z');
    expect(await partitionOf('old-2')).toBe('sales_min_to_2019_06');
  });
});
/** The connection string of a PostgreSQL test database, read back from the server. */
async function currentUrl(database: Database): Promise<string> {
  const [row] = await rows<{ name: string }>(database.db, sql`select current_database() as name`);
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${row?.name ?? ''}`;
  return url.toString();
}
