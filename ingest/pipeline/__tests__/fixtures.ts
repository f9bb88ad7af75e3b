import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { rows } from '../../../test/support/rows';

/** Deterministic import files: `listings` listings over two marketplaces and `perListing` sales each, plus bad lines. */
export async function writeFixture(
  dir: string,
  listings: number,
  perListing: number,
): Promise<{ listingsCsv: string; salesCsv: string; goodSales: number }> {
  const listingLines = [
    'marketplace,external_id,title,brand,condition_id,category_path,price,currency,image_urls,observed_at',
  ];
  const saleLines = ['marketplace,external_id,source_key,sold_at,unit_price,currency,quantity,shipping'];
  let goodSales = 0;
  for (let i = 0; i < listings; i += 1) {
    const marketplace = i % 3 === 0 ? 'ebay-de' : 'ebay-us';
    const currency = marketplace === 'ebay-de' ? 'EUR' : 'USD';
    const id = `${700000 + i}`;
    listingLines.push(
      `${marketplace},${id},"Listing ${i}, size ${i % 7}",Brand${i % 5},${[1000, 3000, 2000][i % 3]},` +
        `${10 + (i % 4)}:Root ${i % 4} > ${100 + (i % 12)}:Leaf ${i % 12},${(i % 90) + 9}.99,${currency},` +
        `https://img.example/${id}/0.jpg|https://img.example/${id}/1.jpg,2026-04-0${1 + (i % 9)}T00:00:00Z`,
    );
    for (let j = 0; j < perListing; j += 1) {
      const day = 1 + ((i + j) % 28);
      saleLines.push(
        `${marketplace},${id},ord-${i}-${j},2026-05-${String(day).padStart(2, '0')}T${String(j % 24).padStart(2, '0')}:15:00Z,` +
          `${(i % 50) + 5}.${String(j % 100).padStart(2, '0')},${currency},${1 + (j % 3)},${j % 2 === 0 ? '4.99' : ''}`,
      );
      goodSales += 1;
    }
  }
  listingLines.push('ebay-us,bad-currency,Bad,,,,1.00,USX,,2026-04-01T00:00:00Z');
  saleLines.push('ebay-us,700001,ord-bad-1,not-a-date,1.00,USD,1,');
  saleLines.push('ebay-us,unknown-listing,ord-bad-2,2026-05-01T00:00:00Z,1.00,USD,1,');
  const listingsCsv = path.join(dir, 'fixture-listings.csv');
  const salesCsv = path.join(dir, 'fixture-sales.csv');
  await writeFile(listingsCsv, `${listingLines.join('\n')}\n`);
  await writeFile(salesCsv, `${saleLines.join('\n')}\n`);
  return { listingsCsv, salesCsv, goodSales };
}

/**
 * Core and mart contents by natural keys (never surrogate ids, which a rolled-back
 * transaction may skip), in a stable order: two databases holding the same data compare equal.
 */
export async function coreSnapshot(db: Db): Promise<Record<string, unknown[]>> {
  const product = sql`(select m.code || '/' || p.external_id from products p join marketplaces m on m.id = p.marketplace_id where p.id = t.product_id)`;
  const categoryKey = (id: ReturnType<typeof sql>) =>
    sql`(select km.code || '/' || k.external_id from categories k join marketplaces km on km.id = k.marketplace_id where k.id = ${id})`;
  const queries = {
    marketplaces: sql`select code, name, default_currency from marketplaces order by code`,
    categories: sql`select m.code, c.external_id, c.name, c.depth, ${categoryKey(sql`c.parent_id`)} as parent,
      (select string_agg(a.external_id, '/' order by a.depth) from categories a where c.path like a.path || '%') as path_keys
      from categories c join marketplaces m on m.id = c.marketplace_id order by 1, 2`,
    products: sql`select m.code, p.external_id, p.title, p.brand, p.gtin, p.mpn, p.epid, p.condition, p.condition_raw,
      ${categoryKey(sql`p.category_id`)} as category, p.url, p.status, p.price_minor, p.currency, p.first_seen_at, p.last_seen_at
      from products p join marketplaces m on m.id = p.marketplace_id order by 1, 2`,
    images: sql`select ${product} as product, t.url, t.width, t.height, t.position from images t order by 1, 2`,
    sales: sql`select ${product} as product, t.source_key, t.sold_at, t.unit_price_minor, t.currency, t.quantity, t.shipping_minor, t.granularity
      from sales t order by 1, 2`,
    priceObservations: sql`select ${product} as product, t.kind, t.observed_at, t.amount_minor, t.currency, t.source from price_observations t order by 1, 2, 3`,
    salesRanks: sql`select ${product} as product, t.observed_at, t.rank from sales_rank_observations t order by 1, 2`,
    soldSnapshots: sql`select ${product} as product, t.observed_at, t.total_sold_quantity, t.last_sold_at, t.last_sold_price_minor, t.currency
      from sold_snapshots t order by 1, 2`,
    productDaily: sql`select ${product} as product, t.day::text, t.currency, t.sale_count, t.units, t.revenue_minor, t.min_price_minor, t.max_price_minor
      from mart.product_metrics_daily t order by 1, 2, 3`,
    segmentDaily: sql`select t.day::text, (select code from marketplaces where id = t.marketplace_id) as marketplace, ${categoryKey(sql`t.category_id`)} as category,
      t.brand, t.condition, t.currency, t.sale_count, t.units, t.revenue_minor, t.min_price_minor, t.max_price_minor
      from mart.segment_metrics_daily t order by 1, 2, 3, 4, 5, 6`,
    segmentMonthly: sql`select t.month::text, (select code from marketplaces where id = t.marketplace_id) as marketplace, ${categoryKey(sql`t.category_id`)} as category,
      t.brand, t.condition, t.currency, t.sale_count, t.units, t.revenue_minor, t.min_price_minor, t.max_price_minor
      from mart.segment_metrics_monthly t order by 1, 2, 3, 4, 5, 6`,
    categoryDaily: sql`select t.day::text, (select code from marketplaces where id = t.marketplace_id) as marketplace, ${categoryKey(sql`t.category_id`)} as category,
      t.currency, t.sale_count, t.units, t.revenue_minor, t.min_price_minor, t.max_price_minor
      from mart.category_metrics_daily t order by 1, 2, 3, 4`,
    categoryMonthly: sql`select t.month::text, (select code from marketplaces where id = t.marketplace_id) as marketplace, ${categoryKey(sql`t.category_id`)} as category,
      t.currency, t.sale_count, t.units, t.revenue_minor, t.min_price_minor, t.max_price_minor
      from mart.category_metrics_monthly t order by 1, 2, 3, 4`,
    quarantine: sql`select distinct source, locator, code, reason from ingest_quarantine order by 1, 2, 3`,
    martPending: sql`select count(*)::int as pending from ingest_mart_pending`,
  };
  const snapshot: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(queries)) {
    snapshot[name] = (await rows(db, query)).map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [
          key,
          value instanceof Date ? value.toISOString() : value === null ? null : String(value),
        ]),
      ),
    );
  }
  return snapshot;
}

export async function countRows(db: Db, table: string): Promise<number> {
  const [row] = await rows<{ n: unknown }>(db, sql`select count(*) as n from ${sql.raw(table)}`);
  return Number(row?.n);
}
