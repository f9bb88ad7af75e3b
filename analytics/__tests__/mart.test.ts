import { sql } from 'drizzle-orm';
import { rows } from '../../test/support/rows';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rebuildMart, refreshMart } from '../mart';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

const snapshot = async () =>
  rows(
    gw.database.db,
    sql`select 'p' as t, product_id::text as k, day::text as d, currency, sale_count, units, revenue_minor, min_price_minor, max_price_minor from mart.product_metrics_daily
        union all select 'd', concat_ws('|', marketplace_id, category_id, brand, condition), day::text, currency, sale_count, units, revenue_minor, min_price_minor, max_price_minor from mart.segment_metrics_daily
        union all select 'm', concat_ws('|', marketplace_id, category_id, brand, condition), month::text, currency, sale_count, units, revenue_minor, min_price_minor, max_price_minor from mart.segment_metrics_monthly
        order by 1, 2, 3, 4`,
  );

const STATS = `query ($source: StatsSource, $filter: SalesStatsFilter, $groupBy: [StatsDimension!], $interval: StatsInterval) {
  salesStats(from: "2024-01-01T00:00:00Z", to: "2026-07-01T00:00:00Z", source: $source, filter: $filter, groupBy: $groupBy, interval: $interval, first: 1000) {
    source nodes { periodStart category { id } product { id } currency saleCount units revenue { minorUnits } minPrice { minorUnits } maxPrice { minorUnits } }
  }
}`;

async function martEqualsRaw(variables: Record<string, unknown>): Promise<boolean> {
  const mart = await gw.execute<{ salesStats: { source: string; nodes: unknown[] } }>(STATS, { ...variables, source: 'MART' });
  const raw = await gw.execute<{ salesStats: { nodes: unknown[] } }>(STATS, { ...variables, source: 'RAW' });
  expect(mart.body.errors).toBeUndefined();
  return JSON.stringify(mart.body.data?.salesStats.nodes) === JSON.stringify(raw.body.data?.salesStats.nodes);
}

describe('mart refresh', () => {
  it('recomputes exactly the days and products given, idempotently, matching a full rebuild', async () => {
    const [product] = await rows<{ id: number; category_id: number }>(
      gw.database.db,
      sql`select id, category_id from products where category_id is not null and currency = 'USD' order by id limit 1`,
    );
    if (!product) throw new Error('no product');
    const byProduct = { filter: { productId: [String(product.id)] }, interval: 'WEEK', groupBy: ['PRODUCT'] };
    const byCategory = { filter: { categoryId: String(product.category_id) }, interval: 'MONTH', groupBy: ['CATEGORY'] };
    expect(await martEqualsRaw(byProduct)).toBe(true);

    // New sales arrive on two days, one of them a day the product had no sales yet.
    await gw.database.db.execute(sql`
      insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
      values (${product.id}, 'test:late-1', '2026-05-10T23:59:59Z', 123456, 'USD', 3),
             (${product.id}, 'test:late-2', '2026-05-11T00:00:00Z', 5, 'USD', 1)`);
    expect(await martEqualsRaw(byProduct)).toBe(false);
    expect(await martEqualsRaw(byCategory)).toBe(false);

    await refreshMart(gw.database.db, { productIds: [product.id], days: ['2026-05-10', '2026-05-11'] });
    expect(await martEqualsRaw(byProduct)).toBe(true);
    expect(await martEqualsRaw(byCategory)).toBe(true);
    const refreshed = await snapshot();

    await refreshMart(gw.database.db, { productIds: [product.id], days: ['2026-05-11', '2026-05-10'] });
    expect(await snapshot()).toEqual(refreshed);

    await rebuildMart(gw.database.db);
    expect(await snapshot()).toEqual(refreshed);
  });

  it('does nothing for an empty change', async () => {
    const before = await snapshot();
    await refreshMart(gw.database.db, { productIds: [], days: [] });
    expect(await snapshot()).toEqual(before);
  });
});
