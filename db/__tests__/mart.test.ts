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
        union all select 'c', concat_ws('|', marketplace_id, category_id), day::text, currency, sale_count, units, revenue_minor, min_price_minor, max_price_minor from mart.category_metrics_daily
        union all select 'cm', concat_ws('|', marketplace_id, category_id), month::text, currency, sale_count, units, revenue_minor, min_price_minor, max_price_minor from mart.category_metrics_monthly
        order by 1, 2, 3, 4`,
  );

const STATS = `query ($source: StatsSource, $filter: SalesStatsFilter, $groupBy: [StatsDimension!], $interval: StatsInterval) {
  salesStats(from: "2024-01-01T00:00:00Z", to: "2026-07-01T00:00:00Z", source: $source, filter: $filter, groupBy: $groupBy, interval: $interval, first: 1000) {
    source nodes { periodStart category { id } product { id } currency saleCount units revenue { minorUnits } minPrice { minorUnits } maxPrice { minorUnits } }
  }
}`;

async function martEqualsRaw(variables: Record<string, unknown>): Promise<boolean> {
  const mart = await gw.execute<{ salesStats: { source: string; nodes: unknown[] } }>(STATS, {
    ...variables,
    source: 'MART',
  });
  const raw = await gw.execute<{ salesStats: { nodes: unknown[] } }>(STATS, { ...variables, source: 'RAW' });
  expect(mart.body.errors).toBeUndefined();
  return JSON.stringify(mart.body.data?.salesStats.nodes) === JSON.stringify(raw.body.data?.salesStats.nodes);
}

describe('mart refresh', () => {
  it('recomputes exactly the days given, idempotently, matching a full rebuild', async () => {
    const [product] = await rows<{ id: number; category_id: number }>(
      gw.database.db,
      sql`select id, category_id from products where category_id is not null and currency = 'USD' order by id limit 1`,
    );
    if (!product) throw new Error('no product');
    const byProduct = { filter: { productId: [String(product.id)] }, interval: 'WEEK', groupBy: ['PRODUCT'] };
    const byCategory = {
      filter: { categoryId: String(product.category_id) },
      interval: 'MONTH',
      groupBy: ['CATEGORY'],
    };
    expect(await martEqualsRaw(byProduct)).toBe(true);

    // New sales arrive on two days, one of them a day the product had no sales yet.
    await gw.database.db.execute(sql`
      insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
      values (${product.id}, 'test:late-1', '2026-05-10T23:59:59Z', 123456, 'USD', 3),
             (${product.id}, 'test:late-2', '2026-05-11T00:00:00Z', 5, 'USD', 1)`);
    expect(await martEqualsRaw(byProduct)).toBe(false);
    expect(await martEqualsRaw(byCategory)).toBe(false);

    await refreshMart(gw.database.db, ['2026-05-10', '2026-05-11']);
    expect(await martEqualsRaw(byProduct)).toBe(true);
    expect(await martEqualsRaw(byCategory)).toBe(true);
    const refreshed = await snapshot();

    await refreshMart(gw.database.db, ['2026-05-11', '2026-05-10']);
    expect(await snapshot()).toEqual(refreshed);

    await rebuildMart(gw.database.db);
    expect(await snapshot()).toEqual(refreshed);
  });

  it('refreshes whole days: new sales in several currencies and null segment keys, and a product that left a day', async () => {
    // A product with sales already (its days get added to), and one in a segment with a null
    // brand or category when the data has one (NULLS NOT DISTINCT keys must still merge).
    const picked = await rows<{ id: number; currency: string }>(
      gw.database.db,
      sql`(select p.id, p.currency from products p where exists (select 1 from sales s where s.product_id = p.id) order by p.id limit 1)
          union all
          (select p.id, p.currency from products p where p.brand is null or p.category_id is null order by p.id limit 1)`,
    );
    const [busy] = picked;
    if (!busy) throw new Error('no product with sales');
    const [last] = await rows<{ sold_at: string; day: string }>(
      gw.database.db,
      sql`select sold_at::text, (sold_at at time zone 'UTC')::date::text as day from sales where product_id = ${busy.id} order by sold_at desc limit 1`,
    );
    if (!last) throw new Error('no sale');
    await rebuildMart(gw.database.db);

    for (const [i, product] of picked.entries()) {
      // On a day the product already sold on (cheaper and dearer than anything there), on a new
      // day, and in a second currency.
      await gw.database.db.execute(sql`
        insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
        values (${product.id}, ${`test:add-${i}-a`}, ${last.sold_at}::timestamptz, 1, ${product.currency}, 2),
               (${product.id}, ${`test:add-${i}-b`}, ${last.sold_at}::timestamptz, 99999999, ${product.currency}, 1),
               (${product.id}, ${`test:add-${i}-c`}, '2026-06-30T23:59:59.999Z', 700, ${product.currency}, 4),
               (${product.id}, ${`test:add-${i}-d`}, '2026-06-30T12:00:00Z', 300, 'CHF', 1)`);
    }
    // Every sale of the busy product on another of its days moves away: its rollup row for
    // that day must go, though the product no longer sells on it.
    const [left] = await rows<{ day: string }>(
      gw.database.db,
      sql`select (sold_at at time zone 'UTC')::date::text as day from sales
          where product_id = ${busy.id} and (sold_at at time zone 'UTC')::date < ${last.day}::date order by sold_at desc limit 1`,
    );
    if (!left) throw new Error('the product sold on one day only');
    await gw.database.db.execute(sql`
      update sales set sold_at = '2026-06-30T06:00:00Z'
      where product_id = ${busy.id} and (sold_at at time zone 'UTC')::date = ${left.day}::date`);

    await refreshMart(gw.database.db, [last.day, '2026-06-30', left.day]);
    const refreshed = await snapshot();
    const [leftRow] = await rows<{ n: number }>(
      gw.database.db,
      sql`select count(*)::int as n from mart.product_metrics_daily where product_id = ${busy.id} and day = ${left.day}::date`,
    );
    expect(leftRow?.n).toBe(0);

    await rebuildMart(gw.database.db);
    expect(await snapshot()).toEqual(refreshed);
  });

  it('does nothing for an empty change', async () => {
    const before = await snapshot();
    await refreshMart(gw.database.db, []);
    expect(await snapshot()).toEqual(before);
  });
});
