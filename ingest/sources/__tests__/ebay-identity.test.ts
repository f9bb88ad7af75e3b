/**
 * One listing, one product, whatever eBay site and endpoint it was seen through; search
 * summaries and getItem describe one gallery and one category tree. Payloads are shaped like
 * eBay's documented answers (Browse item_summary/search, item/{id}, Insights item_sales/search).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { coreSnapshot } from '../../pipeline/__tests__/fixtures';
import { replay } from '../../pipeline/replay';
import { runIngest } from '../../pipeline/run';
import type { RawPayload, Source } from '../../types';
import { BROWSE_ITEM_PATH, BROWSE_SEARCH_PATH, INSIGHTS_SEARCH_PATH, parseEbayPayload } from '../ebay/parse';

const ITEM = 'v1|226011223344|0';
const PICTURES = ['Ab1AAOSw~one', 'Cd2AAOSw~two'];

const ukSearchedFromUs = {
  itemId: ITEM,
  title: 'Sony WH-1000XM5 headphones, black',
  price: { value: '312.40', currency: 'USD', convertedFromValue: '249.00', convertedFromCurrency: 'GBP' },
  condition: 'Used',
  conditionId: '3000',
  categories: [
    { categoryId: '112529', categoryName: 'Headphones' },
    { categoryId: '293', categoryName: 'Consumer Electronics' },
  ],
  leafCategoryIds: ['112529'],
  image: { imageUrl: `https://i.ebayimg.com/thumbs/images/g/${PICTURES[0]}/s-l225.jpg` },
  additionalImages: [{ imageUrl: `https://i.ebayimg.com/images/g/${PICTURES[1]}/s-l225.jpg` }],
  itemWebUrl: 'https://www.ebay.co.uk/itm/226011223344',
  listingMarketplaceId: 'EBAY_GB',
};

const ukItemDetail = {
  itemId: ITEM,
  title: 'Sony WH-1000XM5 headphones, black',
  price: { value: '249.00', currency: 'GBP' },
  brand: 'Sony',
  mpn: 'WH1000XM5/B',
  condition: 'Used',
  conditionId: '3000',
  // getItem: the whole ancestry, root first; the search above skipped "Portable Audio".
  categoryPath: 'Consumer Electronics|Portable Audio & Headphones|Headphones',
  categoryIdPath: '293|15052|112529',
  image: { imageUrl: `https://i.ebayimg.com/images/g/${PICTURES[0]}/s-l1600.jpg`, width: 1600, height: 1600 },
  additionalImages: [{ imageUrl: `https://i.ebayimg.com/images/g/${PICTURES[1]}/s-l1600.jpg` }],
  itemWebUrl: 'https://www.ebay.co.uk/itm/226011223344',
  listingMarketplaceId: 'EBAY_GB',
};

/** The UK listing as a US search shows it, with its own price `value` in GBP. */
const priced = (value: string) => ({
  ...ukSearchedFromUs,
  price: { value: '312.40', currency: 'USD', convertedFromValue: value, convertedFromCurrency: 'GBP' },
});

// Insights rows carry no site: seen through EBAY_US, the sold price converted.
const soldRow = {
  itemId: ITEM,
  title: 'Sony WH-1000XM5 headphones, black',
  condition: 'Used',
  conditionId: '3000',
  categories: [{ categoryId: '112529' }],
  lastSoldDate: '2026-02-27T18:04:11.000Z',
  lastSoldPrice: { value: '299.00', currency: 'USD', convertedFromValue: '238.00', convertedFromCurrency: 'GBP' },
  totalSoldQuantity: 3,
  itemWebUrl: 'https://www.ebay.co.uk/itm/226011223344',
};

function payload(endpoint: string, body: unknown, fetchedAt: string, marketplaceId = 'EBAY_US'): RawPayload {
  return { endpoint, request: { marketplaceId, fetchedAt, params: {} }, status: 200, body: JSON.stringify(body) };
}
const search = (items: unknown[], at: string, site?: string) =>
  payload(BROWSE_SEARCH_PATH, { total: items.length, offset: 0, itemSummaries: items }, at, site);
const detail = (item: unknown, at: string) => payload(`${BROWSE_ITEM_PATH}${ITEM}`, item, at, 'EBAY_GB');
const sold = (items: unknown[], at: string) =>
  payload(INSIGHTS_SEARCH_PATH, { total: items.length, offset: 0, itemSales: items }, at);

/** A source that yields the given payloads and parses them as eBay's. */
function replaying(name: string, payloads: RawPayload[]): Source<Record<string, never>> {
  return {
    name,
    scope: () => 'test',
    async *fetch() {
      yield* payloads;
    },
    parse: (raw) => parseEbayPayload(raw, name),
  };
}

const databases: Database[] = [];
async function ingest(database: Database, name: string, payloads: RawPayload[]) {
  const summary = await runIngest({ db: database.db }, replaying(name, payloads), {});
  expect(summary.status).toBe('SUCCEEDED');
  return summary;
}
async function freshDatabase(): Promise<Database> {
  const database = await openTestDatabase();
  databases.push(database);
  return database;
}
afterAll(async () => {
  await Promise.all(databases.map((database) => database.close()));
});

type ProductRow = {
  code: string;
  external_id: string;
  price_minor: unknown;
  currency: string;
  converted_price_minor: unknown;
  converted_currency: string | null;
  snapshots: unknown;
};
const productsOf = (database: Database) =>
  rows<ProductRow>(
    database.db,
    sql`select m.code, p.external_id, p.price_minor, p.currency, p.converted_price_minor, p.converted_currency,
               (select count(*) from sold_snapshots s where s.product_id = p.id) as snapshots
        from products p join marketplaces m on m.id = p.marketplace_id order by p.id`,
  );

describe('one product per eBay listing, whatever site and endpoint saw it', () => {
  it('files a UK listing found from the US under ebay-uk, and its Insights rows join it', async () => {
    const database = await freshDatabase();
    await ingest(database, 'ebay-browse', [search([ukSearchedFromUs], '2026-03-01T10:00:00Z')]);
    await ingest(database, 'ebay-insights', [sold([soldRow], '2026-03-01T11:00:00Z')]);
    const stored = await productsOf(database);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ code: 'ebay-uk', external_id: ITEM, currency: 'GBP', converted_currency: 'USD' });
    expect([
      Number(stored[0]?.price_minor),
      Number(stored[0]?.converted_price_minor),
      Number(stored[0]?.snapshots),
    ]).toEqual([24900, 31240, 1]);
    const [snapshot] = await rows<{ currency: string; price: unknown }>(
      database.db,
      sql`select currency, last_sold_price_minor as price from sold_snapshots`,
    );
    expect([snapshot?.currency, Number(snapshot?.price)]).toEqual(['GBP', 23800]);
  });

  it('moves a listing Insights saw first to the home site Browse names, with its history', async () => {
    const database = await freshDatabase();
    const insightsOnly = { ...soldRow, lastSoldPrice: { value: '299.00', currency: 'USD' } };
    await ingest(database, 'ebay-insights', [sold([insightsOnly], '2026-03-01T09:00:00Z')]);
    expect((await productsOf(database)).map((p) => p.code)).toEqual(['ebay-us']);
    const moved = await ingest(database, 'ebay-browse', [search([ukSearchedFromUs], '2026-03-01T10:00:00Z')]);
    // The listing record and its LIST price: the product moved and updated once, the price new.
    expect(moved.counts).toMatchObject({ fetched: 2, inserted: 1, updated: 1, unchanged: 0 });
    const stored = await productsOf(database);
    expect(stored.map((p) => [p.code, p.currency, Number(p.snapshots)])).toEqual([['ebay-uk', 'GBP', 1]]);
  });

  it('quarantines a GBP price on eBay US that carries no conversion', async () => {
    const database = await freshDatabase();
    const { listingMarketplaceId: _site, ...unstated } = ukSearchedFromUs;
    const summary = await ingest(database, 'ebay-browse', [
      search([{ ...unstated, price: { value: '249.00', currency: 'GBP' } }], '2026-03-01T10:00:00Z'),
    ]);
    expect(summary.counts).toMatchObject({ inserted: 0, quarantined: 1 });
    expect(await productsOf(database)).toEqual([]);
    const [issue] = await rows<{ code: string; locator: string }>(
      database.db,
      sql`select code, locator from ingest_quarantine`,
    );
    expect(issue).toEqual({
      code: 'EBAY_CURRENCY_MISMATCH',
      locator: `${BROWSE_SEARCH_PATH}#itemSummaries[0]:${ITEM}`,
    });
  });
});

describe('search summaries and getItem agree', () => {
  it('alternating runs store one gallery at the largest size and one category tree, and leave it unchanged', async () => {
    const database = await freshDatabase();
    const hours = ['10', '11', '12', '13', '14', '15'];
    const at = (i: number) => `2026-03-01T${hours[i]}:00:00Z`;
    await ingest(database, 'ebay-browse', [detail(ukItemDetail, at(0))]);
    await ingest(database, 'ebay-browse', [search([ukSearchedFromUs], at(1))]);
    const settled = await coreSnapshot(database.db);
    expect(settled.images).toEqual([
      expect.objectContaining({ url: `https://i.ebayimg.com/images/g/${PICTURES[0]}/s-l1600.jpg`, width: '1600' }),
      expect.objectContaining({ url: `https://i.ebayimg.com/images/g/${PICTURES[1]}/s-l1600.jpg` }),
    ]);
    const tree = (snapshot: Record<string, unknown[]>) =>
      (snapshot.categories as { external_id: string; parent: string | null; depth: unknown }[]).map((c) => [
        c.external_id,
        c.parent,
        Number(c.depth),
      ]);
    expect(tree(settled)).toEqual([
      ['112529', 'ebay-uk/15052', 2],
      ['15052', 'ebay-uk/293', 1],
      ['293', null, 0],
    ]);
    for (let i = 2; i < hours.length; i += 1) {
      const summary =
        i % 2 === 0
          ? await ingest(database, 'ebay-browse', [detail(ukItemDetail, at(i))])
          : await ingest(database, 'ebay-browse', [search([ukSearchedFromUs], at(i))]);
      const now = await coreSnapshot(database.db);
      expect(tree(now)).toEqual(tree(settled));
      expect(now.images).toEqual(settled.images);
      expect(summary.counts.updated).toBe(0);
    }
  });

  it('a search seen first places the category; getItem then completes its ancestry', async () => {
    const database = await freshDatabase();
    await ingest(database, 'ebay-browse', [search([ukSearchedFromUs], '2026-03-01T10:00:00Z')]);
    await ingest(database, 'ebay-browse', [detail(ukItemDetail, '2026-03-01T11:00:00Z')]);
    const categories = await rows<{ external_id: string; depth: number; path_ok: boolean }>(
      database.db,
      sql`select c.external_id, c.depth,
                 c.path = coalesce((select p.path from categories p where p.id = c.parent_id), '/') || c.id || '/' as path_ok
          from categories c order by c.depth`,
    );
    expect(categories).toEqual([
      { external_id: '293', depth: 0, path_ok: true },
      { external_id: '15052', depth: 1, path_ok: true },
      { external_id: '112529', depth: 2, path_ok: true },
    ]);
  });
});

describe('history as change points', () => {
  it('a later run of the same answers adds nothing but the time each value was last confirmed', async () => {
    const database = await freshDatabase();
    await ingest(database, 'ebay-browse', [search([priced('249.00')], '2026-03-01T10:00:00Z')]);
    await ingest(database, 'ebay-insights', [sold([soldRow], '2026-03-01T10:00:00Z')]);
    const before = await coreSnapshot(database.db);

    const again = await ingest(database, 'ebay-browse', [search([priced('249.00')], '2026-03-02T10:00:00Z')]);
    const soldAgain = await ingest(database, 'ebay-insights', [sold([soldRow], '2026-03-02T10:00:00Z')]);
    expect([again.counts, soldAgain.counts]).toEqual([
      expect.objectContaining({ inserted: 0, updated: 0, quarantined: 0 }),
      expect.objectContaining({ inserted: 0, updated: 0, quarantined: 0 }),
    ]);
    const after = await coreSnapshot(database.db);
    for (const table of ['priceObservations', 'soldSnapshots', 'images', 'categories', 'sales']) {
      expect(after[table]).toEqual(before[table]);
    }
    const confirmed = await rows<{ table: string; n: unknown; confirmed: string }>(
      database.db,
      sql`select 'price' as table, count(*) as n, max(last_confirmed_at)::text as confirmed from price_observations
          union all select 'sold', count(*), max(last_confirmed_at)::text from sold_snapshots
          union all select 'raw', count(*), null from staging_raw`,
    );
    expect(confirmed.map((c) => [c.table, Number(c.n), c.confirmed?.slice(0, 10) ?? null])).toEqual([
      ['price', 1, '2026-03-02'],
      ['sold', 1, '2026-03-02'],
      ['raw', 2, null],
    ]);

    // A change is a new point; going back to the old price is another.
    await ingest(database, 'ebay-browse', [search([priced('239.00')], '2026-03-03T10:00:00Z')]);
    const back = await ingest(database, 'ebay-browse', [search([priced('249.00')], '2026-03-04T10:00:00Z')]);
    expect(back.counts.inserted).toBeGreaterThan(0);
    const points = await rows<{ amount_minor: unknown; observed: string; confirmed: string }>(
      database.db,
      sql`select amount_minor, observed_at::date::text as observed, last_confirmed_at::date::text as confirmed
          from price_observations order by observed_at`,
    );
    expect(points.map((p) => [Number(p.amount_minor), p.observed, p.confirmed])).toEqual([
      [24900, '2026-03-01', '2026-03-02'],
      [23900, '2026-03-03', '2026-03-03'],
      [24900, '2026-03-04', '2026-03-04'],
    ]);
  });
});

describe('replay of identical payloads fetched at different times', () => {
  it('parses each run page as its own run fetched it, so history replays as it happened', async () => {
    const database = await freshDatabase();
    // A, then B, then A again: the third page's body is the first's, stored once.
    const runs = [];
    for (const [value, at] of [
      ['249.00', '2026-03-01T10:00:00Z'],
      ['239.00', '2026-03-02T10:00:00Z'],
      ['249.00', '2026-03-03T10:00:00Z'],
    ] as const) {
      runs.push((await ingest(database, 'ebay-browse', [search([priced(value)], at)])).runId);
    }
    const points = () =>
      rows<{ amount: unknown; observed: string }>(
        database.db,
        sql`select amount_minor as amount, observed_at::date::text as observed from price_observations order by observed_at`,
      );
    const live = (await points()).map((p) => [Number(p.amount), p.observed]);
    expect(live).toEqual([
      [24900, '2026-03-01'],
      [23900, '2026-03-02'],
      [24900, '2026-03-03'],
    ]);
    await database.db.execute(sql`delete from price_observations`);
    const parser = (name: string) =>
      name === 'ebay-browse' ? (p: RawPayload) => parseEbayPayload(p, name) : undefined;
    for (const runId of runs) {
      expect((await replay({ db: database.db }, { runId }, parser)).status).toBe('SUCCEEDED');
    }
    expect((await points()).map((p) => [Number(p.amount), p.observed])).toEqual(live);
  });
});
