import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rebuildMart } from '../../../db/mart';
import type { Database } from '../../../db/client';
import { createEntityCache } from '../../../lib/cache';
import { CACHE_KEYS } from '../../../lib/cache-keys';
import { untilCacheIsUp } from '../../../test/support/cache';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { fileSource } from '../../sources/file/source';
import type { IngestRecord, ListingRecord, RawPayload, Source } from '../../types';
import { replay } from '../replay';
import { runIngest } from '../run';
import { transactionsInFlight } from '../transaction';
import { countRows, coreSnapshot, writeFixture } from './fixtures';

const SAMPLES = path.join(__dirname, '..', '..', 'samples');

let dir: string;
let fixture: Awaited<ReturnType<typeof writeFixture>>;
const databases: Database[] = [];

async function freshDatabase(): Promise<Database> {
  const database = await openTestDatabase();
  databases.push(database);
  return database;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-ingest-'));
  fixture = await writeFixture(dir, 60, 8);
});

afterAll(async () => {
  await Promise.all(databases.map((database) => database.close()));
  await rm(dir, { recursive: true, force: true });
});

async function ingestFixture(database: Database, chunkLines = 40) {
  const listings = await runIngest({ db: database.db }, fileSource, { path: fixture.listingsCsv, chunkLines });
  const sales = await runIngest({ db: database.db }, fileSource, { path: fixture.salesCsv, chunkLines });
  return { listings, sales };
}

describe('ingesting files end to end', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });

  it('loads the bundled samples into an empty database and quarantines bad records with codes, reasons and raw ids', async () => {
    const summaries = [];
    for (const sample of ['listings.csv', 'sales.csv', 'sales.jsonl']) {
      summaries.push(await runIngest({ db: database.db }, fileSource, { path: path.join(SAMPLES, sample) }));
    }
    expect(
      summaries.map((s) => [s.status, s.counts.inserted, s.counts.updated, s.counts.unchanged, s.counts.quarantined]),
    ).toEqual([
      ['SUCCEEDED', 9, 0, 0, 4],
      ['SUCCEEDED', 8, 0, 0, 3],
      ['SUCCEEDED', 4, 0, 0, 3],
    ]);
    const quarantined = await rows<{ code: string; locator: string; reason: string; raw_ok: boolean; run_id: number }>(
      database.db,
      sql`select q.code, q.locator, q.reason, q.run_id,
                 exists (select 1 from ingest_run_pages p where p.raw_id = q.raw_id and p.run_id = q.run_id) as raw_ok
          from ingest_quarantine q order by q.run_id, q.locator`,
    );
    expect(quarantined.map((q) => [q.locator, q.code])).toEqual([
      ['listings.csv line 10:gtin', 'INVALID_GTIN'],
      ['listings.csv line 11', 'UNKNOWN_CURRENCY'],
      ['listings.csv line 12', 'INVALID_PRICE'],
      ['listings.csv line 13', 'UNKNOWN_MARKETPLACE'],
      ['listings.csv line 14', 'BAD_LINE'],
      ['sales.csv line 10', 'INVALID_QUANTITY'],
      ['sales.csv line 11', 'UNKNOWN_LISTING'],
      ['sales.csv line 9', 'INVALID_TIMESTAMP'],
      ['sales.jsonl line 5', 'INVALID_PRICE'],
      ['sales.jsonl line 6', 'BAD_LINE'],
      ['sales.jsonl line 7', 'INVALID_QUANTITY'],
    ]);
    expect(quarantined.every((q) => q.raw_ok)).toBe(true);
    expect(quarantined.find((q) => q.code === 'UNKNOWN_LISTING')?.reason).toBe(
      'no listing 999999999999 on ebay-us is known; import the listing first, then re-run or replay',
    );
    // The raw chunk the bad record came from is the file's text, kept verbatim.
    const [raw] = await rows<{ body: string }>(
      database.db,
      sql`select r.body from staging_raw r join ingest_quarantine q on q.raw_id = r.id where q.code = 'INVALID_GTIN'`,
    );
    expect(raw?.body).toBe(await readFile(path.join(SAMPLES, 'listings.csv'), 'utf8'));
    const [sale] = await rows<{ unit_price_minor: unknown; shipping_minor: unknown; sold_ms: unknown }>(
      database.db,
      sql`select unit_price_minor, shipping_minor, extract(epoch from sold_at) * 1000 as sold_ms from sales where source_key = 'order-1005-1'`,
    );
    expect([
      Number(sale?.unit_price_minor),
      Number(sale?.shipping_minor),
      new Date(Number(sale?.sold_ms)).toISOString(),
    ]).toEqual([11500, 499, '2026-05-02T08:00:00.000Z']);
    // A gallery listing the same URL twice keeps it once, at its first position.
    const gallery = await rows<{ url: string; position: number }>(
      database.db,
      sql`select i.url, i.position from images i join products p on p.id = i.product_id where p.external_id = '115500000003' order by i.position`,
    );
    expect(gallery).toEqual([
      { url: 'https://i.ebayimg.com/images/g/c1/s-l1600.jpg', position: 0 },
      { url: 'https://i.ebayimg.com/images/g/c2/s-l1600.jpg', position: 1 },
    ]);
  });

  it('records exact counts and the scope on the run row, equal to the summary', async () => {
    const { listings, sales } = await ingestFixture(database);
    for (const summary of [listings, sales]) {
      const [run] = await rows<Record<string, unknown>>(
        database.db,
        sql`select * from ingest_runs where id = ${summary.runId}`,
      );
      expect(run).toMatchObject({
        status: 'SUCCEEDED',
        scope: expect.stringMatching(/^file:.+\.(csv|jsonl)$/),
        ...summary.counts,
      });
      const { fetched, inserted, updated, unchanged, quarantined } = summary.counts;
      expect(inserted + updated + unchanged + quarantined).toBe(fetched);
      expect(Object.keys(summary.timings).sort()).toEqual(['core', 'fetch', 'mart', 'parse', 'total']);
    }
    expect(listings.counts).toMatchObject({
      pages: 2,
      fetched: 61,
      inserted: 60,
      updated: 0,
      unchanged: 0,
      quarantined: 1,
    });
    expect(sales.counts).toMatchObject({
      pages: 13,
      fetched: fixture.goodSales + 2,
      inserted: fixture.goodSales,
      quarantined: 2,
    });
  });

  it('changes nothing when the same files are ingested again', async () => {
    const before = await coreSnapshot(database.db);
    const rawBefore = await countRows(database.db, 'staging_raw');
    const { listings, sales } = await ingestFixture(database);
    expect(listings.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 60, quarantined: 1 });
    expect(sales.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: fixture.goodSales, quarantined: 2 });
    expect(await countRows(database.db, 'staging_raw')).toBe(rawBefore);
    expect(await coreSnapshot(database.db)).toEqual(before);
  });

  it('rolls ingested sales up in the mart, per product and day, matching the file', async () => {
    // Independent of the pipeline: totals straight from the fixture's lines.
    const lines = (await readFile(fixture.salesCsv, 'utf8')).trim().split('\n').slice(1);
    const expected = new Map<string, { units: number; revenue: number }>();
    for (const line of lines) {
      const [, , key, soldAt, price, currency, quantity] = line.split(',');
      if (!key?.startsWith('ord-') || key.startsWith('ord-bad') || !soldAt || !price || !currency) continue;
      const [whole, cents] = price.split('.');
      const totals = expected.get(currency) ?? { units: 0, revenue: 0 };
      totals.units += Number(quantity);
      totals.revenue += (Number(whole) * 100 + Number(cents)) * Number(quantity);
      expected.set(currency, totals);
    }
    const sample = await rows<{ currency: string; units: unknown; revenue: unknown }>(
      database.db,
      sql`select s.currency, sum(s.quantity) as units, sum(s.unit_price_minor * s.quantity) as revenue
          from sales s join products p on p.id = s.product_id where p.external_id not like '7000%' and p.external_id not like '7%'
          group by s.currency`,
    );
    const mart = await rows<{ currency: string; units: unknown; revenue: unknown }>(
      database.db,
      sql`select currency, sum(units) as units, sum(revenue_minor) as revenue from mart.product_metrics_daily group by currency order by currency`,
    );
    const samples = new Map(
      sample.map((r) => [r.currency.trim(), { units: Number(r.units), revenue: Number(r.revenue) }]),
    );
    for (const row of mart) {
      const currency = row.currency.trim();
      const fromFile = expected.get(currency) ?? { units: 0, revenue: 0 };
      const fromSamples = samples.get(currency) ?? { units: 0, revenue: 0 };
      expect({ currency, units: Number(row.units), revenue: Number(row.revenue) }).toEqual({
        currency,
        units: fromFile.units + fromSamples.units,
        revenue: fromFile.revenue + fromSamples.revenue,
      });
    }
    expect(mart.map((r) => r.currency.trim())).toEqual(['EUR', 'JPY', 'USD']);
    expect(await countRows(database.db, 'ingest_mart_pending')).toBe(0);
    // Every rollup, added to payload by payload, equals one computed from scratch.
    const maintained = await coreSnapshot(database.db);
    await rebuildMart(database.db);
    expect(await coreSnapshot(database.db)).toEqual(maintained);
  });
});

describe('sales that change', () => {
  it('moves an updated sale out of its old day in every rollup, matching a rebuild', async () => {
    const database = await freshDatabase();
    await ingestFixture(database);
    // ord-1-0 was 700001's only sale on 2026-05-02; now corrected to 2026-06-15 at another price,
    // beside a new sale of another listing on another day.
    const changed = path.join(dir, 'changed-sales.csv');
    await writeFile(
      changed,
      'marketplace,external_id,source_key,sold_at,unit_price,currency,quantity\n' +
        'ebay-us,700001,ord-1-0,2026-06-15T10:00:00Z,77.00,USD,2\n' +
        'ebay-us,700002,ord-new-1,2026-05-20T11:00:00Z,3.00,USD,1\n',
    );
    const run = await runIngest({ db: database.db }, fileSource, { path: changed });
    expect([run.status, run.counts.inserted, run.counts.updated]).toEqual(['SUCCEEDED', 1, 1]);
    const days = await rows<{ day: string; units: unknown; revenue: unknown }>(
      database.db,
      sql`select d.day::text as day, d.units, d.revenue_minor as revenue from mart.product_metrics_daily d
          join products p on p.id = d.product_id where p.external_id = '700001' and d.day in ('2026-05-02', '2026-06-15') order by 1`,
    );
    expect(days.map((d) => [d.day, Number(d.units), Number(d.revenue)])).toEqual([['2026-06-15', 2, 15400]]);
    const maintained = await coreSnapshot(database.db);
    await rebuildMart(database.db);
    expect(await coreSnapshot(database.db)).toEqual(maintained);
  });
});

describe('payloads committing in parallel', () => {
  const sale = (externalId: string, sourceKey: string, price: string): IngestRecord => ({
    kind: 'sale',
    locator: `sale ${sourceKey}`,
    marketplace: 'ebay-us',
    externalId,
    sourceKey,
    soldAt: '2026-05-03T10:00:00Z',
    unitPrice: { decimal: price, currency: 'USD' },
    quantity: 1,
    granularity: 'TRANSACTION',
  });
  // Enough sales per payload that the first is still merging when the next is ready.
  const filler = (page: number) => Array.from({ length: 2_000 }, (_, i) => sale('p1', `fill-${page}-${i}`, '1.00'));

  it('end as if committed one by one: a sale finds the listing of the payload before, the later correction wins', async () => {
    const database = await freshDatabase();
    const feed = jsonSource('parallel-feed', [
      [listing('p1', '2026-05-01T00:00:00Z')],
      [...filler(1), sale('p1', 'order-1', '10.00')],
      [...filler(2), sale('p1', 'order-1', '12.50')],
      [...filler(3), sale('p1', 'order-1', '15.00')],
    ]);
    const summary = await runIngest({ db: database.db }, feed.source, {});
    expect(summary).toMatchObject({
      status: 'SUCCEEDED',
      counts: { pages: 4, quarantined: 0, inserted: 1 + 3 * 2_000 + 1, updated: 2 },
    });
    const [corrected] = await rows<{ unit_price_minor: unknown }>(
      database.db,
      sql`select unit_price_minor from sales where source_key = 'order-1'`,
    );
    expect(Number(corrected?.unit_price_minor)).toBe(1500);
    const [mark] = await rows<{ value: string }>(
      database.db,
      sql`select value from ingest_watermarks where source = 'parallel-feed'`,
    );
    expect(mark?.value).toBe('page-4');
  });
});

describe('a run stopped midway', () => {
  it('keeps committed payloads, ends FAILED, and a re-run ends with exactly the data of one clean run', async () => {
    const clean = await freshDatabase();
    await ingestFixture(clean, 25);
    const interrupted = await freshDatabase();
    await runIngest({ db: interrupted.db }, fileSource, { path: fixture.listingsCsv, chunkLines: 25 });
    const controller = new AbortController();
    const stopped = await runIngest(
      { db: interrupted.db },
      fileSource,
      { path: fixture.salesCsv, chunkLines: 25 },
      { signal: controller.signal, onProgress: (progress) => progress.pages === 3 && controller.abort() },
    );
    expect(stopped.status).toBe('FAILED');
    expect(stopped.errors).toEqual([expect.objectContaining({ code: 'ABORTED' })]);
    // Payloads already committing when the signal came finish and are counted; no new one starts.
    expect(stopped.counts.pages).toBeGreaterThanOrEqual(3);
    expect(stopped.counts.pages).toBeLessThanOrEqual(2 + transactionsInFlight(interrupted.db));
    expect(stopped.counts.pages).toBeLessThan(Math.ceil(fixture.goodSales / 25));
    expect(await countRows(interrupted.db, 'sales')).toBe(stopped.counts.inserted);
    // The mart already covers what was committed.
    const [units] = await rows<{ sales: unknown; mart: unknown }>(
      interrupted.db,
      sql`select (select sum(quantity) from sales) as sales, (select sum(units) from mart.product_metrics_daily) as mart`,
    );
    expect(Number(units?.mart)).toBe(Number(units?.sales));

    const again = await runIngest({ db: interrupted.db }, fileSource, { path: fixture.salesCsv, chunkLines: 25 });
    expect(again.status).toBe('SUCCEEDED');
    expect(again.counts.inserted).toBe(fixture.goodSales - stopped.counts.inserted);
    expect(again.counts.unchanged).toBe(stopped.counts.inserted);
    expect(await coreSnapshot(interrupted.db)).toEqual(await coreSnapshot(clean.db));
  });

  it('ends FAILED on a fetch error, keeping what committed and the watermark of the last committed payload', async () => {
    const database = await freshDatabase();
    const failing = jsonSource(
      'failing-feed',
      [[listing('a1', '2026-05-01T00:00:00Z')], [listing('a2', '2026-05-01T00:00:00Z')]],
      () => {
        throw Object.assign(new Error('HTTP 503 after 4 attempts'), { code: 'UPSTREAM_UNAVAILABLE' });
      },
    );
    const summary = await runIngest({ db: database.db }, failing.source, {});
    expect(summary).toMatchObject({ status: 'FAILED', counts: { pages: 2, inserted: 2 } });
    expect(summary.errors).toEqual([
      expect.objectContaining({ message: 'HTTP 503 after 4 attempts', code: 'UPSTREAM_UNAVAILABLE' }),
    ]);
    const [mark] = await rows<{ value: string }>(
      database.db,
      sql`select value from ingest_watermarks where source = 'failing-feed'`,
    );
    expect(mark?.value).toBe('page-2');
    const next = jsonSource('failing-feed', []);
    await runIngest({ db: database.db }, next.source, {});
    expect(next.watermarks).toEqual(['page-2']);
  });
});

describe('replay', () => {
  it('rebuilds core from staging_raw alone', async () => {
    const database = await freshDatabase();
    const { listings, sales } = await ingestFixture(database);
    const before = await coreSnapshot(database.db);
    await database.db.execute(
      sql`truncate sales, images, products, categories, mart.product_metrics_daily, mart.segment_metrics_daily restart identity cascade`,
    );
    expect(await countRows(database.db, 'products')).toBe(0);
    const replayed = [];
    for (const run of [listings, sales]) {
      replayed.push(
        await replay({ db: database.db }, { runId: run.runId }, (name) =>
          name === 'file' ? fileSource.parse : undefined,
        ),
      );
    }
    expect(replayed.map((r) => [r.status, r.counts.pages, r.counts.inserted])).toEqual([
      ['SUCCEEDED', listings.counts.pages, 60],
      ['SUCCEEDED', sales.counts.pages, fixture.goodSales],
    ]);
    // The snapshot includes the mart, refreshed by the replay for what it rebuilt.
    const after = await coreSnapshot(database.db);
    expect({ ...after, segmentDaily: [] }).toEqual({ ...before, segmentDaily: [] });
    expect(await countRows(database.db, 'staging_raw')).toBe(listings.counts.pages + sales.counts.pages);
    const byRange = await replay(
      { db: database.db },
      { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') },
      () => fileSource.parse,
    );
    expect(byRange.counts).toMatchObject({
      pages: listings.counts.pages + sales.counts.pages,
      inserted: 0,
      updated: 0,
    });
  });
});

describe('galleries', () => {
  const withGallery = (observedAt: string, files: string[], galleryComplete?: boolean): ListingRecord => ({
    ...listing('g1', observedAt),
    images: files.map((file) => ({ url: `https://img.example/${file}.jpg` })),
    ...(galleryComplete === undefined ? {} : { galleryComplete }),
  });
  const gallery = async (database: Database) =>
    (
      await rows<{ url: string }>(
        database.db,
        sql`select i.url from images i join products p on p.id = i.product_id where p.external_id = 'g1' order by i.position, i.id`,
      )
    ).map((image) => image.url.replace('https://img.example/', '').replace('.jpg', ''));
  const ingest = (database: Database, name: string, ...records: ListingRecord[]) =>
    runIngest({ db: database.db }, jsonSource(name, [records]).source, {});

  it('follow the newest whole gallery: dropped images go, older or partial observations delete nothing', async () => {
    const database = await freshDatabase();
    await ingest(database, 'g-1', withGallery('2026-05-01T00:00:00Z', ['a', 'b', 'c'], true));
    expect(await gallery(database)).toEqual(['a', 'b', 'c']);
    // The seller removed b and added d.
    await ingest(database, 'g-2', withGallery('2026-05-03T00:00:00Z', ['c', 'a', 'd'], true));
    expect(await gallery(database)).toEqual(['c', 'a', 'd']);
    // An older whole gallery arriving late changes nothing: it neither brings b back nor reorders.
    await ingest(database, 'g-3', withGallery('2026-05-02T00:00:00Z', ['a', 'b', 'c'], true));
    expect(await gallery(database)).toEqual(['c', 'a', 'd']);
    // A newer search summary showing only its main image adds it and deletes nothing.
    await ingest(database, 'g-4', withGallery('2026-05-04T00:00:00Z', ['e']));
    expect((await gallery(database)).sort()).toEqual(['a', 'c', 'd', 'e']);
    // A whole gallery that is empty now: the listing has no images left.
    await ingest(database, 'g-5', withGallery('2026-05-05T00:00:00Z', [], true));
    expect(await gallery(database)).toEqual([]);
  });
});

describe('a category that moves', () => {
  const inCategory = (externalId: string, path: string[], observedAt: string): ListingRecord => ({
    ...listing(externalId, observedAt),
    category: { path: path.map((id) => ({ externalId: id, name: `Category ${id}` })) },
  });
  /** Every category as [external id, depth, its path spelled with external ids]. */
  const tree = async (database: Database) =>
    (
      await rows<{ external_id: string; depth: number; path_ids: string }>(
        database.db,
        sql`select c.external_id, c.depth,
                   (select string_agg(a.external_id, '>' order by a.depth) from categories a
                    where c.path like '%/' || a.id || '/%') as path_ids
            from categories c order by c.external_id`,
      )
    ).map((c) => [c.external_id, Number(c.depth), c.path_ids]);

  it('takes its subtree along: descendants get the new path prefix and depth', async () => {
    const database = await freshDatabase();
    const first = jsonSource('taxonomy', [[inCategory('t1', ['r1', 'mid', 'leaf'], '2026-05-01T00:00:00Z')]]);
    expect((await runIngest({ db: database.db }, first.source, {})).status).toBe('SUCCEEDED');
    // The marketplace re-parents "mid" (and with it "leaf") under another root.
    const second = jsonSource('taxonomy-2', [[inCategory('t2', ['r2', 'mid'], '2026-05-02T00:00:00Z')]]);
    expect((await runIngest({ db: database.db }, second.source, {})).status).toBe('SUCCEEDED');
    expect(await tree(database)).toEqual([
      ['leaf', 2, 'r2>mid>leaf'],
      ['mid', 1, 'r2>mid'],
      ['r1', 0, 'r1'],
      ['r2', 0, 'r2'],
    ]);
  });

  it('moves a category and one of its old descendants in one payload, each subtree under its own new parent', async () => {
    const database = await freshDatabase();
    await runIngest(
      { db: database.db },
      jsonSource('tree', [[inCategory('u1', ['a', 'b', 'c', 'd'], '2026-05-01T00:00:00Z')]]).source,
      {},
    );
    // Both b and its old child c now hang directly under r: d must follow c, not b.
    await runIngest(
      { db: database.db },
      jsonSource('tree-2', [
        [inCategory('u2', ['r', 'b'], '2026-05-02T00:00:00Z'), inCategory('u3', ['r', 'c'], '2026-05-02T00:00:00Z')],
      ]).source,
      {},
    );
    expect(await tree(database)).toEqual([
      ['a', 0, 'a'],
      ['b', 1, 'r>b'],
      ['c', 1, 'r>c'],
      ['d', 2, 'r>c>d'],
      ['r', 0, 'r'],
    ]);
  });
});

describe('the same file under another mapping', () => {
  it("is stored as a payload of its own, so replaying each run gives that run's reading", async () => {
    const database = await freshDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-remap-'));
    try {
      const file = path.join(dir, 'shop.csv');
      // Two price columns: which one is the listing price depends on the mapping.
      await writeFile(
        file,
        'marketplace,external_id,title,net,gross,currency\nebay-us,remap-1,Remapped listing,10.00,11.90,USD\n',
      );
      const net = await runIngest({ db: database.db }, fileSource, { path: file, map: { net: 'price' } });
      const gross = await runIngest({ db: database.db }, fileSource, { path: file, map: { gross: 'price' } });
      expect([net.status, gross.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(await countRows(database.db, 'staging_raw')).toBe(2);
      const price = async () =>
        Number(
          (
            await rows<{ price_minor: unknown }>(
              database.db,
              sql`select price_minor from products where external_id = 'remap-1'`,
            )
          )[0]?.price_minor,
        );
      expect(await price()).toBe(1190);
      await replay({ db: database.db }, { runId: net.runId }, () => fileSource.parse);
      expect(await price()).toBe(1000);
      await replay({ db: database.db }, { runId: gross.runId }, () => fileSource.parse);
      expect(await price()).toBe(1190);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sold snapshots', () => {
  it('derives one AGGREGATE_DERIVED sale per increase, never twice, and re-derives when a snapshot arrives in between', async () => {
    const database = await freshDatabase();
    const snap = (at: string, total: number, price = '10.00') => ({
      kind: 'soldSnapshot' as const,
      locator: `snap ${at}`,
      marketplace: 'ebay-us',
      externalId: 's1',
      observedAt: at,
      totalSoldQuantity: total,
      lastSoldAt: at.replace('T12', 'T11'),
      lastSoldPrice: { decimal: price, currency: 'USD' },
    });
    const feed = [
      [listing('s1', '2026-05-01T00:00:00Z'), snap('2026-05-01T12:00:00Z', 5)],
      [snap('2026-05-02T12:00:00Z', 8, '11.00')],
      [snap('2026-05-03T12:00:00Z', 8)],
      [snap('2026-05-04T12:00:00Z', 10, '12.00')],
    ];
    const derived = async () =>
      (
        await rows<{
          source_key: string;
          quantity: number;
          unit_price_minor: unknown;
          sold_ms: unknown;
          granularity: string;
        }>(
          database.db,
          sql`select source_key, quantity, unit_price_minor, extract(epoch from sold_at) * 1000 as sold_ms, granularity from sales order by sold_at`,
        )
      ).map((s) => [
        s.source_key,
        s.quantity,
        Number(s.unit_price_minor),
        new Date(Number(s.sold_ms)).toISOString(),
        s.granularity,
      ]);
    await runIngest({ db: database.db }, jsonSource('insights', feed).source, {});
    const expected = [
      [
        'snapshot:2026-05-01T12:00:00.000Z/2026-05-02T12:00:00.000Z',
        3,
        1100,
        '2026-05-02T11:00:00.000Z',
        'AGGREGATE_DERIVED',
      ],
      [
        'snapshot:2026-05-03T12:00:00.000Z/2026-05-04T12:00:00.000Z',
        2,
        1200,
        '2026-05-04T11:00:00.000Z',
        'AGGREGATE_DERIVED',
      ],
    ];
    expect(await derived()).toEqual(expected);
    const again = await runIngest({ db: database.db }, jsonSource('insights', feed).source, {});
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect(await derived()).toEqual(expected);

    await runIngest(
      { db: database.db },
      jsonSource('insights', [[snap('2026-05-01T18:00:00Z', 6, '10.50')]]).source,
      {},
    );
    expect(await derived()).toEqual([
      [
        'snapshot:2026-05-01T12:00:00.000Z/2026-05-01T18:00:00.000Z',
        1,
        1050,
        '2026-05-01T18:00:00.000Z',
        'AGGREGATE_DERIVED',
      ],
      [
        'snapshot:2026-05-01T18:00:00.000Z/2026-05-02T12:00:00.000Z',
        2,
        1100,
        '2026-05-02T11:00:00.000Z',
        'AGGREGATE_DERIVED',
      ],
      expected[1],
    ]);
    const [mart] = await rows<{ units: unknown }>(
      database.db,
      sql`select sum(units) as units from mart.product_metrics_daily`,
    );
    expect(Number(mart?.units)).toBe(5);
    const [linked] = await rows<{ unlinked: unknown }>(
      database.db,
      sql`select count(*) as unlinked from sold_snapshots s where not exists (select 1 from staging_raw r where r.id = s.raw_id)`,
    );
    expect(Number(linked?.unlinked)).toBe(0);
  });
});

describe('first sold snapshots over a window', () => {
  it('derive the total at the last sale when it lies in the window; later snapshots add only their increase', async () => {
    const database = await freshDatabase();
    const snap = (id: string, at: string, total: number, lastSoldAt: string, price = '10.00') => ({
      kind: 'soldSnapshot' as const,
      locator: `snap ${id} ${at}`,
      marketplace: 'ebay-us',
      externalId: id,
      observedAt: at,
      totalSoldQuantity: total,
      lastSoldAt,
      lastSoldPrice: { decimal: price, currency: 'USD' },
      windowDays: 90,
    });
    const derived = async () =>
      (
        await rows<{ external_id: string; source_key: string; quantity: number; price: unknown; sold_at: string }>(
          database.db,
          sql`select p.external_id, s.source_key, s.quantity, s.unit_price_minor as price,
                     to_char(s.sold_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as sold_at
              from sales s join products p on p.id = s.product_id
              where s.granularity = 'AGGREGATE_DERIVED' order by p.external_id, s.sold_at`,
        )
      ).map((s) => [s.external_id, s.source_key, s.quantity, Number(s.price), s.sold_at]);
    const first = [
      [listing('w1', '2026-05-10T00:00:00Z'), listing('w2', '2026-05-10T00:00:00Z')],
      // w2's last sale lies 100 days back, outside the 90-day window: it proves no sale in it.
      [
        snap('w1', '2026-05-10T12:00:00Z', 3, '2026-05-09T08:00:00Z'),
        snap('w2', '2026-05-10T12:00:00Z', 4, '2026-01-30T12:00:00Z'),
      ],
    ];
    await runIngest({ db: database.db }, jsonSource('windowed', first).source, {});
    const firstSale = ['w1', 'snapshot:first/2026-05-10T12:00:00.000Z', 3, 1000, '2026-05-09T08:00'];
    expect(await derived()).toEqual([firstSale]);
    const again = await runIngest({ db: database.db }, jsonSource('windowed', first).source, {});
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect(await derived()).toEqual([firstSale]);

    await runIngest(
      { db: database.db },
      jsonSource('windowed-2', [[snap('w1', '2026-05-11T12:00:00Z', 5, '2026-05-11T10:00:00Z', '11.00')]]).source,
      {},
    );
    const increase = ['w1', 'snapshot:2026-05-10T12:00:00.000Z/2026-05-11T12:00:00.000Z', 2, 1100, '2026-05-11T10:00'];
    expect(await derived()).toEqual([firstSale, increase]);

    // A snapshot older than the first becomes the first: the window's units move to it, none doubles.
    await runIngest(
      { db: database.db },
      jsonSource('windowed-3', [[snap('w1', '2026-05-05T12:00:00Z', 1, '2026-05-04T09:00:00Z', '9.00')]]).source,
      {},
    );
    expect(await derived()).toEqual([
      ['w1', 'snapshot:first/2026-05-05T12:00:00.000Z', 1, 900, '2026-05-04T09:00'],
      ['w1', 'snapshot:2026-05-05T12:00:00.000Z/2026-05-10T12:00:00.000Z', 2, 1000, '2026-05-09T08:00'],
      increase,
    ]);
    const [mart] = await rows<{ units: unknown }>(
      database.db,
      sql`select sum(units) as units from mart.product_metrics_daily`,
    );
    expect(Number(mart?.units)).toBe(5);
  });
});

describe('listings seen more than once', () => {
  it('keeps the earliest first_seen_at and the latest last_seen_at; an older observation never overwrites newer values', async () => {
    const database = await freshDatabase();
    const seen = (observedAt: string, title: string, price: string, brand?: string): IngestRecord => ({
      ...listing('x1', observedAt),
      title,
      price: { decimal: price, currency: 'USD' },
      ...(brand ? { brand } : {}),
    });
    const feed = [
      [seen('2026-05-02T00:00:00Z', 'Newer title', '20.00')],
      [seen('2026-05-01T00:00:00Z', 'Older title', '10.00', 'Acme')],
    ];
    const summary = await runIngest({ db: database.db }, jsonSource('listings-feed', feed).source, {});
    expect(summary.counts).toMatchObject({ inserted: 1, updated: 1 });
    const [product] = await rows<{
      title: string;
      brand: string;
      price_minor: unknown;
      first_ms: unknown;
      last_ms: unknown;
    }>(
      database.db,
      sql`select title, brand, price_minor, extract(epoch from first_seen_at) * 1000 as first_ms, extract(epoch from last_seen_at) * 1000 as last_ms from products`,
    );
    expect({
      title: product?.title,
      brand: product?.brand,
      price: Number(product?.price_minor),
      first: new Date(Number(product?.first_ms)).toISOString(),
      last: new Date(Number(product?.last_ms)).toISOString(),
    }).toEqual({
      title: 'Newer title',
      brand: 'Acme',
      price: 2000,
      first: '2026-05-01T00:00:00.000Z',
      last: '2026-05-02T00:00:00.000Z',
    });
  });
});

describe('values past a 32-bit column', () => {
  it("stores Keepa's sales ranks above 2^31 - 1 instead of failing the run", async () => {
    const database = await freshDatabase();
    const rank = 2_522_160_443;
    const { source } = jsonSource('keepa-like', [
      [
        listing('B0HUGERANK', '2026-05-01T00:00:00.000Z'),
        {
          kind: 'salesRank',
          locator: 'B0HUGERANK@csv[3]',
          marketplace: 'ebay-us',
          externalId: 'B0HUGERANK',
          observedAt: '2026-05-01T00:00:00.000Z',
          rank,
        },
      ],
    ]);
    const run = await runIngest({ db: database.db }, source, {});
    expect(run.status).toBe('SUCCEEDED');
    const stored = await rows<{ rank: string | number }>(database.db, sql`select rank from sales_rank_observations`);
    expect(stored.map((row) => Number(row.rank))).toEqual([rank]);
  });
});

describe('cache invalidation', () => {
  it('drops the cached catalog when a run adds categories, and keeps it when nothing changed', async () => {
    const database = await freshDatabase();
    const cache = createEntityCache({
      redisUrl: process.env.REDIS_URL,
      namespace: `soldgraph-test-${randomBytes(6).toString('hex')}`,
      timeoutMs: 500,
      defaultTtlMs: 60_000,
    });
    try {
      await untilCacheIsUp(cache);
      await cache.set(CACHE_KEYS.catalog, { stale: true });
      expect(await cache.get(CACHE_KEYS.catalog)).toEqual({ stale: true });
      await runIngest({ db: database.db, cache }, fileSource, { path: path.join(SAMPLES, 'listings.csv') });
      expect(await cache.get(CACHE_KEYS.catalog)).toBeUndefined();
      await cache.set(CACHE_KEYS.catalog, { fresh: true });
      await runIngest({ db: database.db, cache }, fileSource, { path: path.join(SAMPLES, 'listings.csv') });
      expect(await cache.get(CACHE_KEYS.catalog)).toEqual({ fresh: true });
    } finally {
      await cache.close();
    }
  });
});

function listing(externalId: string, observedAt: string): ListingRecord {
  return {
    kind: 'listing',
    locator: `listing ${externalId}`,
    marketplace: 'ebay-us',
    externalId,
    title: `Listing ${externalId}`,
    price: { decimal: '10.00', currency: 'USD' },
    observedAt,
  };
}

/** A tiny in-test source: each page is a JSON array of records; `fail` runs after the last page. */
function jsonSource(name: string, pages: IngestRecord[][], fail?: () => void) {
  const watermarks: (string | undefined)[] = [];
  const source: Source<Record<string, never>> = {
    name,
    scope: () => 'all',
    async *fetch(_options, context) {
      watermarks.push(context.watermark);
      for (const [i, records] of pages.entries()) {
        yield {
          endpoint: '/feed',
          request: { page: i + 1 },
          status: 200,
          body: JSON.stringify(records),
        } satisfies RawPayload;
      }
      fail?.();
    },
    parse: (payload) => ({
      records: JSON.parse(payload.body) as IngestRecord[],
      rejects: [],
      watermark: `page-${String(payload.request.page)}`,
    }),
  };
  return { source, watermarks };
}
