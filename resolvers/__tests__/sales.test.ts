import { sql } from 'drizzle-orm';
import { type GraphQLResponse, startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';

type SalePage = {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

const SALES = /* GraphQL */ `
  query Sales($filter: SaleFilter, $orderBy: SaleOrder, $first: Int, $after: String) {
    sales(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

async function walkSales(
  variables: Record<string, unknown>,
  pageSize = 100,
): Promise<{ ids: string[]; totalCount: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 500; i += 1) {
    const { body }: { body: GraphQLResponse<{ sales: SalePage }> } = await gw.execute(SALES, {
      ...variables,
      first: pageSize,
      after,
    });
    expect(body.errors).toBeUndefined();
    const page: SalePage | undefined = body.data?.sales;
    if (!page) throw new Error('no data');
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return { ids, totalCount: page.totalCount };
    after = page.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

async function saleIds(where: ReturnType<typeof sql>, order = sql`sold_at desc, id desc`): Promise<string[]> {
  const found = await rows<{ id: number }>(gw.database.db, sql`select id from sales where ${where} order by ${order}`);
  return found.map((row) => String(row.id));
}

describe('sales connection', () => {
  it('lists sales newest first across pages, filtered by date range and currency', async () => {
    const filter = { soldAt: { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, currency: 'USD' };
    const walked = await walkSales({ filter }, 50);
    const expected = await saleIds(
      sql`sold_at >= '2026-01-01T00:00:00Z' and sold_at < '2026-04-01T00:00:00Z' and currency = 'USD'`,
    );
    expect(walked.ids).toEqual(expected);
    expect(walked.totalCount).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(50);
  });

  it('orders by price ascending and filters by a price range', async () => {
    const walked = await walkSales(
      { filter: { price: { min: 1000, max: 5000 } }, orderBy: { field: 'PRICE', direction: 'ASC' } },
      64,
    );
    expect(walked.ids).toEqual(
      await saleIds(sql`unit_price_minor between 1000 and 5000`, sql`unit_price_minor asc, id asc`),
    );
  });

  it('filters by product ids and by a product filter', async () => {
    const top = await rows<{ product_id: number }>(
      gw.database.db,
      sql`select product_id from sales group by product_id order by count(*) desc, product_id limit 2`,
    );
    const ids = top.map((t) => String(t.product_id));
    const byIds = await walkSales({ filter: { productId: ids } });
    expect(byIds.ids).toEqual(await saleIds(sql`product_id in (${sql.join(ids.map(Number), sql`, `)})`));

    const byMarketplace = await walkSales({ filter: { product: { marketplace: ['amazon-jp'] } } });
    expect(byMarketplace.ids).toEqual(
      await saleIds(
        sql`product_id in (select p.id from products p join marketplaces m on m.id = p.marketplace_id where m.code = 'amazon-jp')`,
      ),
    );
    expect(byMarketplace.ids.length).toBeGreaterThan(0);
  });

  it('resolves every field of a sale', async () => {
    const [row] = await rows<Record<string, any>>(
      gw.database.db,
      sql`select * from sales where shipping_minor is not null and quantity > 1 order by id limit 1`,
    );
    if (!row) throw new Error('no multi-unit sale with shipping');
    const { body } = await gw.execute<{ sale: Record<string, any> }>(
      `query ($id: ID!) { sale(id: $id) {
        id soldAt quantity granularity
        price { minorUnits currency amount }
        total { minorUnits currency }
        shipping { minorUnits currency }
        product { id }
      } }`,
      { id: String(row.id) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.sale).toEqual({
      id: String(row.id),
      soldAt: new Date(row.sold_at).toISOString(),
      quantity: row.quantity,
      granularity: row.granularity,
      price: expect.objectContaining({ minorUnits: Number(row.unit_price_minor), currency: row.currency }),
      total: { minorUnits: Number(row.unit_price_minor) * row.quantity, currency: row.currency },
      shipping: { minorUnits: Number(row.shipping_minor), currency: row.currency },
      product: { id: String(row.product_id) },
    });
  });

  it('formats money exactly in the currency digits', async () => {
    const [jpy] = await rows<{ id: number; unit_price_minor: string }>(
      gw.database.db,
      sql`select id, unit_price_minor from sales where currency = 'JPY' order by id limit 1`,
    );
    const [usd] = await rows<{ id: number; unit_price_minor: string }>(
      gw.database.db,
      sql`select id, unit_price_minor from sales where currency = 'USD' order by id limit 1`,
    );
    const { body } = await gw.execute<{ jpy: { price: { amount: string } }; usd: { price: { amount: string } } }>(
      `query ($jpy: ID!, $usd: ID!) { jpy: sale(id: $jpy) { price { amount } } usd: sale(id: $usd) { price { amount } } }`,
      { jpy: String(jpy?.id), usd: String(usd?.id) },
    );
    expect(body.data?.jpy.price.amount).toBe(String(jpy?.unit_price_minor));
    const cents = Number(usd?.unit_price_minor);
    expect(body.data?.usd.price.amount).toBe(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
  });

  it('returns null for an unknown sale or image id', async () => {
    const { body } = await gw.execute('{ sale(id: "987654321") { id } image(id: "987654321") { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ sale: null, image: null });
  });
});

describe("a product's sales", () => {
  it("pages through one product's sales with filter and count", async () => {
    const [top] = await rows<{ product_id: number }>(
      gw.database.db,
      sql`select product_id from sales group by product_id order by count(*) desc limit 1`,
    );
    const id = String(top?.product_id);
    const query = `query ($id: ID!, $after: String, $filter: ProductSalesFilter) { product(id: $id) {
      sales(first: 25, after: $after, filter: $filter) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }
    } }`;
    const filter = { soldAt: { from: '2024-01-01T00:00:00Z' } };
    const walked: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let i = 0; i < 400; i += 1) {
      const { body }: { body: GraphQLResponse<{ product: { sales: SalePage } }> } = await gw.execute(query, {
        id,
        after,
        filter,
      });
      expect(body.errors).toBeUndefined();
      const page: SalePage | undefined = body.data?.product.sales;
      if (!page) throw new Error('no data');
      totalCount = page.totalCount;
      walked.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const expected = await saleIds(sql`product_id = ${Number(id)} and sold_at >= '2024-01-01T00:00:00Z'`);
    expect(walked).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(25);
  });

  it('reads an image by id with its product', async () => {
    const [image] = await rows<{ id: number; product_id: number; url: string }>(
      gw.database.db,
      sql`select id, product_id, url from images order by id desc limit 1`,
    );
    const { body } = await gw.execute(`query ($id: ID!) { image(id: $id) { id url product { id } } }`, {
      id: String(image?.id),
    });
    expect(body.data).toEqual({
      image: { id: String(image?.id), url: image?.url, product: { id: String(image?.product_id) } },
    });
  });
});
