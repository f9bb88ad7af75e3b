import { sql } from 'drizzle-orm';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';

type Node = { id: string; name: string; depth: number; categories: { id: string; marketplace: { code: string } }[] };

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const { body } = await gw.execute<T>(query, variables);
  expect(body.errors).toBeUndefined();
  if (!body.data) throw new Error('no data');
  return body.data;
}

const ROOTS = `query ($marketplace: [String!]) {
  canonicalCategories(rootsOnly: true, marketplace: $marketplace) { id name depth categories { id marketplace { code } } }
}`;

async function electronics(): Promise<Node> {
  const { canonicalCategories } = await data<{ canonicalCategories: Node[] }>(ROOTS);
  const node = canonicalCategories.find((root) => root.name === 'Electronics');
  if (!node) throw new Error('no canonical Electronics');
  return node;
}

describe('one taxonomy across marketplaces', () => {
  it('lists each top-level name once, with every marketplace category mapped onto it', async () => {
    const { canonicalCategories } = await data<{ canonicalCategories: Node[] }>(ROOTS);
    const names = canonicalCategories.map((node) => node.name);
    expect(new Set(names).size).toBe(names.length);
    const { categories } = await data<{ categories: { id: string; name: string }[] }>(
      '{ categories(rootsOnly: true) { id name } }',
    );
    // The demo marketplaces share their root names: as many nodes as names, each with all of them.
    expect(names.sort()).toEqual([...new Set(categories.map((c) => c.name))].sort());
    const node = await electronics();
    expect(node.categories.map((c) => c.id).sort()).toEqual(
      categories
        .filter((c) => c.name === 'Electronics')
        .map((c) => c.id)
        .sort(),
    );
    expect(node.categories.length).toBeGreaterThan(1);
  });

  it('scopes the tree to the chosen marketplaces', async () => {
    const { canonicalCategories } = await data<{ canonicalCategories: Node[] }>(ROOTS, { marketplace: ['etsy'] });
    expect(canonicalCategories.length).toBeGreaterThan(0);
    // The demo's Etsy sells no electronics.
    expect(canonicalCategories.map((node) => node.name)).not.toContain('Electronics');
    expect(canonicalCategories.every((node) => node.categories.some((c) => c.marketplace.code === 'etsy'))).toBe(true);
  });

  it('links each marketplace category to its node and back', async () => {
    const node = await electronics();
    const { category } = await data<{
      category: {
        canonical: { id: string; path: { name: string }[] };
        canonicalMapping: string;
        children: { canonical: { parent: { id: string } } }[];
      };
    }>(
      `query ($id: ID!) { category(id: $id) { canonicalMapping canonical { id path { name } }
        children { canonical { parent { id } } } } }`,
      { id: node.categories[0]?.id },
    );
    expect(category.canonical.id).toBe(node.id);
    expect(category.canonical.path.map((p) => p.name)).toEqual(['Electronics']);
    expect(category.canonicalMapping).toBe('AUTO');
    expect(category.children.length).toBeGreaterThan(0);
    expect(category.children.every((child) => child.canonical.parent.id === node.id)).toBe(true);
  });

  it('groups sales statistics by canonical category, one bucket per name', async () => {
    const range = { from: '2025-07-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    const stats = await data<{
      canonical: { nodes: { canonicalCategory: { name: string } | null; units: number; saleCount: number }[] };
      perMarketplace: { nodes: { category: { name: string } | null; units: number; saleCount: number }[] };
    }>(
      `query ($from: DateTime!, $to: DateTime!) {
        canonical: salesStats(from: $from, to: $to, groupBy: [CATEGORY], categoryLevel: 0, targetCurrency: "USD", first: 100) {
          nodes { canonicalCategory { name } units saleCount } }
        perMarketplace: salesStats(from: $from, to: $to, groupBy: [MARKETPLACE_CATEGORY], categoryLevel: 0, targetCurrency: "USD", first: 100) {
          nodes { category { name } units saleCount } }
      }`,
      range,
    );
    const names = stats.canonical.nodes.map((node) => node.canonicalCategory?.name ?? null);
    expect(new Set(names).size).toBe(names.length);
    const electronicsBucket = stats.canonical.nodes.find((node) => node.canonicalCategory?.name === 'Electronics');
    const marketplaceBuckets = stats.perMarketplace.nodes.filter((node) => node.category?.name === 'Electronics');
    expect(marketplaceBuckets.length).toBeGreaterThan(1);
    expect(electronicsBucket?.units).toBe(marketplaceBuckets.reduce((sum, node) => sum + node.units, 0));
    expect(electronicsBucket?.saleCount).toBe(marketplaceBuckets.reduce((sum, node) => sum + node.saleCount, 0));
  });

  it('filters statistics and products by a canonical category on every marketplace', async () => {
    const node = await electronics();
    const range = { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    const result = await data<{
      salesStats: { nodes: { units: number }[] };
      products: { totalCount: number };
    }>(
      `query ($id: ID!, $from: DateTime!, $to: DateTime!) {
        salesStats(from: $from, to: $to, filter: { canonicalCategoryId: $id }, first: 100) { nodes { units } }
        products(filter: { canonicalCategoryId: $id }) { totalCount }
      }`,
      { id: node.id, ...range },
    );
    // Independently: the listings whose category maps onto the node or below it.
    const under = sql`(select c.id from categories c join canonical_categories k on k.id = c.canonical_category_id
      where k.path like (select path from canonical_categories where id = ${Number(node.id)}) || '%')`;
    const [want] = await rows<{ units: number; listings: number; marketplaces: number }>(
      gw.database.db,
      sql`select (select coalesce(sum(s.quantity), 0)::int from sales s join products p on p.id = s.product_id
                  where p.category_id in ${under} and s.sold_at >= ${range.from}::timestamptz and s.sold_at < ${range.to}::timestamptz) as units,
                 (select count(*)::int from products where category_id in ${under}) as listings,
                 (select count(distinct marketplace_id)::int from products where category_id in ${under}) as marketplaces`,
    );
    expect(want?.marketplaces).toBeGreaterThan(1);
    expect(result.salesStats.nodes.reduce((sum, bucket) => sum + bucket.units, 0)).toBe(want?.units);
    expect(result.products.totalCount).toBe(want?.listings);
  });

  it('refuses an unknown canonical category id', async () => {
    const { body } = await gw.execute('{ products(filter: { canonicalCategoryId: "999999" }) { totalCount } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain('no canonical category has id 999999');
  });
});
