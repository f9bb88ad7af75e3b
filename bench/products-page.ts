/** The query the API benchmarks run, and the page of data they run it on. */
import { Client } from 'pg';

/**
 * The dashboard's Products page as a product card reads it (web/components/products/): the
 * listing's facts and asking price, its marketplace, the first images, the latest sales and
 * units and revenue over the last 90 days. bench/raw-server.ts answers exactly this.
 */
export const PRODUCTS_PAGE = `query ApiBenchProductsPage($first: Int!, $marketplace: String!, $soldFrom: DateTime!) {
  products(first: $first, filter: { marketplace: [$marketplace] }) {
    nodes {
      id
      title
      condition
      price { amount currency }
      marketplace { code name defaultCurrency }
      images(first: 3) { url }
      sales(first: 10) { nodes { soldAt price { amount currency } } }
      salesSummary(from: $soldFrom) { currency units revenue { amount currency } }
    }
  }
}`;

export type Variables = { first: number; marketplace: string; soldFrom: string };

/** The marketplace with the most products, so pages of 50 are full, and the 90-day start. */
export async function benchmarkedPage(
  databaseUrl: string,
): Promise<{ marketplace: string; products: number; soldFrom: string }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const {
      rows: [largest],
    } = await client.query<{ code: string; products: number }>(
      `select m.code, count(*)::int as products from products p join marketplaces m on m.id = p.marketplace_id
       group by m.code order by count(*) desc, m.code limit 1`,
    );
    // As the dashboard's periodEndingAt: the 90 whole UTC days ending with the newest sale's day.
    const {
      rows: [period],
    } = await client.query<{ from: Date | null }>(
      `select (date_trunc('day', max(sold_at) at time zone 'UTC') + interval '1 day' - interval '90 days')
              at time zone 'UTC' as from from sales`,
    );
    if (!largest || !period?.from) throw new Error('the database has no products or no sales to benchmark');
    return { marketplace: largest.code, products: largest.products, soldFrom: period.from.toISOString() };
  } finally {
    await client.end();
  }
}
