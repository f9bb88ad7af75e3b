import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { fakeClock } from '../../../test/fakes/clock';
import {
  FAKE_EBAY_CLIENT_ID,
  FAKE_EBAY_CLIENT_SECRET,
  type FakeEbay,
  fakeEbayItems,
  fakeEbaySoldItems,
  startFakeEbay,
} from '../../../test/fakes/ebay';
import { FAKE_KEEPA_KEY, type FakeKeepa, fakeKeepaProduct, startFakeKeepa } from '../../../test/fakes/keepa';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { countRows, coreSnapshot } from '../../pipeline/__tests__/fixtures';
import { runIngest } from '../../pipeline/run';
import { createDemoSource } from '../demo';
import { createEbayBrowseSource } from '../ebay/browse';
import type { EbaySourceConfig } from '../ebay/connection';
import { createEbayInsightsSource } from '../ebay/insights';
import { createKeepaSource } from '../keepa';

const databases: Database[] = [];
async function freshDatabase(): Promise<Database> {
  const database = await openTestDatabase();
  databases.push(database);
  return database;
}

let ebay: FakeEbay;
beforeAll(async () => {
  ebay = await startFakeEbay({ items: fakeEbayItems(24), offsetCap: 10 });
});
afterAll(async () => {
  await ebay.close();
  await Promise.all(databases.map((database) => database.close()));
});

function ebayConfig(at = '2026-03-01T00:00:00Z', overrides: Partial<EbaySourceConfig> = {}) {
  // Frozen: waits are recorded but fetch times stay put, so a faulty run and a clean one observe alike.
  const clock = fakeClock(at, 0.5, { frozen: true });
  const config: EbaySourceConfig = {
    baseUrl: ebay.url,
    clientId: FAKE_EBAY_CLIENT_ID,
    clientSecret: FAKE_EBAY_CLIENT_SECRET,
    marketplaceId: 'EBAY_US',
    maxOffset: 10,
    // Long enough that only the injected hang times out, on a loaded machine too.
    timeoutMs: 2_000,
    maxRetries: 6,
    backoff: { baseMs: 100, maxMs: 1_000 },
    limits: { requestsPerSecond: 1_000, burst: 1_000 },
    clock,
    ...overrides,
  };
  return { clock, config };
}
const now = (at: string) => () => new Date(at);
const browseOptions = { categoryIds: '9355', limit: 5, details: true };
const pagedOptions = { categoryIds: '9355', limit: 5 };

describe('eBay Browse through the pipeline', () => {
  it('ingests every listing through injected faults, backing off as told, and a second run changes nothing', async () => {
    const database = await freshDatabase();
    const { clock, config } = ebayConfig();
    ebay.inject('token', { kind: '500' });
    ebay.inject(
      'search',
      { kind: '429', retryAfter: '3' },
      { kind: 'hang' },
      { kind: 'malformed' },
      { kind: 'bad-record' },
    );
    ebay.inject('item', { kind: 'expired-token' }, { kind: '429' });
    const first = await runIngest(
      { db: database.db, now: now('2026-03-01T00:00:00Z') },
      createEbayBrowseSource(config),
      browseOptions,
    );

    expect(first.status).toBe('SUCCEEDED');
    expect(first.errors.map((e) => e.code)).toEqual([
      'HTTP_500',
      'HTTP_429',
      'HTTP_TIMEOUT',
      'HTTP_MALFORMED_JSON',
      'HTTP_401_REFRESH',
      'HTTP_429',
    ]);
    // Token 500: 50 ms; Retry-After: exactly 3 s; then the backoff of the retries that follow.
    expect(clock.waits).toEqual([50, 3_000, 100, 200, 50]);
    expect(await countRows(database.db, 'products')).toBe(24);
    expect(await countRows(database.db, 'images')).toBe(48);
    const quarantined = await rows<{ code: string }>(
      database.db,
      sql`select code from ingest_quarantine order by code`,
    );
    expect(quarantined.map((q) => q.code)).toEqual(['EBAY_ITEM_NOT_OBJECT', 'EBAY_ITEM_NO_ID']);
    const [product] = await rows<{
      brand: string;
      gtin: string;
      price_minor: unknown;
      currency: string;
      available_quantity: number;
    }>(
      database.db,
      sql`select brand, gtin, price_minor, currency, available_quantity from products where external_id = ${ebay.items[3]?.itemId ?? ''}`,
    );
    expect(product).toMatchObject({
      brand: 'Fakephone',
      gtin: '00885909950805',
      currency: 'USD',
      available_quantity: 3,
    });
    expect(Number(product?.price_minor)).toBe(Math.round(Number(ebay.items[3]?.price.value) * 100));

    const before = await coreSnapshot(database.db);
    const again = await runIngest(
      { db: database.db, now: now('2026-03-01T00:00:00Z') },
      createEbayBrowseSource(ebayConfig().config),
      browseOptions,
    );
    expect(again.status).toBe('SUCCEEDED');
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0, quarantined: 0 });
    expect(await coreSnapshot(database.db)).toEqual(before);
  });

  it('a run killed midway and run again ends with exactly the data of one clean run', async () => {
    const clean = await freshDatabase();
    await runIngest(
      { db: clean.db, now: now('2026-03-01T00:00:00Z') },
      createEbayBrowseSource(ebayConfig().config),
      pagedOptions,
    );

    const interrupted = await freshDatabase();
    const controller = new AbortController();
    const stopped = await runIngest(
      { db: interrupted.db, now: now('2026-03-01T00:00:00Z') },
      createEbayBrowseSource(ebayConfig().config),
      { ...pagedOptions, incremental: true },
      { signal: controller.signal, onProgress: (progress) => progress.pages === 5 && controller.abort() },
    );
    expect(stopped.status).toBe('FAILED');
    expect(await countRows(interrupted.db, 'ingest_watermarks')).toBe(0);
    await runIngest(
      { db: interrupted.db, now: now('2026-03-01T00:00:00Z') },
      createEbayBrowseSource(ebayConfig().config),
      { ...pagedOptions, incremental: true },
    );
    const after = await coreSnapshot(interrupted.db);
    const expected = await coreSnapshot(clean.db);
    expect(after.products).toEqual(expected.products);
    expect(after.images).toEqual(expected.images);
    expect(after.priceObservations).toEqual(expected.priceObservations);
    const [mark] = await rows<{ value: string }>(
      interrupted.db,
      sql`select value from ingest_watermarks where source = 'ebay-browse'`,
    );
    expect(mark?.value).toBe(ebay.items.at(-1)?.itemCreationDate);
  });

  it('ends FAILED with a stable code when eBay refuses the request', async () => {
    const database = await freshDatabase();
    const summary = await runIngest(
      { db: database.db },
      createEbayBrowseSource(ebayConfig('2026-03-01T00:00:00Z', { clientSecret: 'wrong' }).config),
      browseOptions,
    );
    expect(summary.status).toBe('FAILED');
    expect(summary.errors.at(-1)).toMatchObject({
      code: 'HTTP_UNAUTHORIZED',
      message: expect.stringMatching(/oauth2\/token answered 401: client authentication failed/),
    });
  });
});

describe('eBay Insights through the pipeline', () => {
  it('stores snapshots and derives AGGREGATE_DERIVED sales from one snapshot to the next', async () => {
    const database = await freshDatabase();
    const sold = fakeEbaySoldItems(fakeEbayItems(5));
    const insights = await startFakeEbay({ sold });
    try {
      const config = (at: string) => ({ ...ebayConfig(at).config, baseUrl: insights.url });
      const first = await runIngest({ db: database.db }, createEbayInsightsSource(config('2026-03-01T00:00:00Z')), {
        q: 'fake',
      });
      expect(first.status).toBe('SUCCEEDED');
      expect(await countRows(database.db, 'sold_snapshots')).toBe(5);
      insights.sold = sold.map((item, i) =>
        i === 1
          ? { ...item, totalSoldQuantity: item.totalSoldQuantity + 4, lastSoldDate: '2026-03-01T12:00:00.000Z' }
          : item,
      );
      await runIngest({ db: database.db }, createEbayInsightsSource(config('2026-03-02T00:00:00Z')), { q: 'fake' });
      // Each item's first snapshot derives its 90-day total at its last sale; the second run only item 1's increase.
      const sales = await rows<{ external_id: string; source_key: string; quantity: number; sold_at: string }>(
        database.db,
        sql`select p.external_id, s.source_key, s.quantity, s.sold_at::text as sold_at from sales s
            join products p on p.id = s.product_id
            where s.granularity = 'AGGREGATE_DERIVED' order by p.external_id, s.sold_at`,
      );
      const firstKey = 'snapshot:first/2026-03-01T00:00:00.000Z';
      expect(sales.map((s) => [s.external_id, s.source_key, s.quantity])).toEqual(
        [
          ...sold.map((item) => [item.itemId, firstKey, item.totalSoldQuantity]),
          [sold[1]?.itemId, 'snapshot:2026-03-01T00:00:00.000Z/2026-03-02T00:00:00.000Z', 4],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      const soldAt = (key: string, id?: string) =>
        sales.find((s) => s.source_key === key && s.external_id === id)?.sold_at;
      expect(Date.parse(soldAt(firstKey, sold[3]?.itemId) ?? '')).toBe(Date.parse(sold[3]?.lastSoldDate ?? ''));
      const total = await rows<{ units: unknown }>(database.db, sql`select sum(quantity) as units from sales`);
      expect(Number(total[0]?.units)).toBe(sold.reduce((sum, item) => sum + item.totalSoldQuantity, 0) + 4);
    } finally {
      await insights.close();
    }
  });
});

describe('Keepa through the pipeline', () => {
  let keepa: FakeKeepa;
  afterAll(() => keepa.close());

  it('stores listings, price history and sales ranks; a second run changes nothing', async () => {
    const database = await freshDatabase();
    const clock = fakeClock('2026-03-01T00:00:00Z');
    keepa = await startFakeKeepa({
      products: ['B000000001', 'B000000002'].map((a) => fakeKeepaProduct(a)),
      tokens: 1,
      refillRate: 1,
      now: clock.now,
    });
    const source = () =>
      createKeepaSource({
        baseUrl: keepa.url,
        apiKey: FAKE_KEEPA_KEY,
        clock,
        limits: { requestsPerSecond: 100, burst: 100 },
      });
    keepa.inject('product', { kind: 'bad-record' });
    const first = await runIngest({ db: database.db }, source(), { asins: 'B000000001,B000000002,B0UNKNOWN1' });
    expect(first.status).toBe('SUCCEEDED');
    expect(first.errors.map((e) => e.code)).toEqual(['KEEPA_TOKENS_WAIT']);
    expect(await countRows(database.db, 'products')).toBe(2);
    // Per product: AMAZON 2, NEW 2, USED 1, LIST 1, BUY_BOX 2.
    expect(await countRows(database.db, 'price_observations')).toBe(16);
    expect(await countRows(database.db, 'sales_rank_observations')).toBe(4);
    const kept = await rows<{ monthly_sold: number; updated: string }>(
      database.db,
      sql`select monthly_sold, source_updated_at::text as updated from products order by external_id`,
    );
    expect(kept.map((row) => row.monthly_sold)).toEqual([300, 300]);
    expect(kept.every((row) => row.updated.startsWith('2026-01-04'))).toBe(true);
    const codes = await rows<{ code: string }>(database.db, sql`select code from ingest_quarantine order by code`);
    expect(codes.map((c) => c.code)).toEqual(['KEEPA_PRODUCT_NO_ASIN', 'KEEPA_PRODUCT_UNKNOWN']);

    const before = await coreSnapshot(database.db);
    clock.advance(3_600_000);
    const again = await runIngest({ db: database.db }, source(), { asins: 'B000000001,B000000002' });
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect((await coreSnapshot(database.db)).priceObservations).toEqual(before.priceObservations);
  });
});

describe('demo source through the pipeline', () => {
  it('loads demo listings and derived sales, and a second run changes nothing', async () => {
    const database = await freshDatabase();
    const options = { size: 'small' as const, now: '2026-06-01T00:00:00Z', snapshots: 2, details: false };
    const first = await runIngest({ db: database.db }, createDemoSource(), options);
    expect(first.status).toBe('SUCCEEDED');
    expect(await countRows(database.db, 'products')).toBeGreaterThan(50);
    expect(await countRows(database.db, 'sold_snapshots')).toBeGreaterThan(0);
    const before = await coreSnapshot(database.db);
    const again = await runIngest({ db: database.db }, createDemoSource(), options);
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect(await coreSnapshot(database.db)).toEqual(before);
  });
});
