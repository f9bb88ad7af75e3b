import { type SQL, sql } from 'drizzle-orm';
import { type GraphQLResponse, startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';

type ProductNode = {
  id: string;
  title: string;
  brand: string | null;
  price: { minorUnits: number; currency: string; amount: string } | null;
  firstSeenAt: string;
};
type Connection = {
  products: {
    totalCount: number;
    edges: { cursor: string; node: ProductNode }[];
    nodes: ProductNode[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};

const PRODUCTS = /* GraphQL */ `
  query Products($filter: ProductFilter, $orderBy: ProductOrder, $first: Int, $after: String) {
    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          title
          brand
          firstSeenAt
          price {
            minorUnits
            currency
            amount
          }
        }
      }
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

let gw: TestGateway;
/** Listings out of stock: no current price (Keepa's -1), so orders and filters by price meet nulls. */
let unpriced: string[];
beforeAll(async () => {
  gw = await startTestGateway();
  const cleared = await rows<{ id: number }>(
    gw.database.db,
    sql`update products set price_minor = null where id % 13 = 0 returning id`,
  );
  unpriced = cleared.map((row) => String(row.id));
});
afterAll(() => gw.stop());

async function productIds(where: SQL, order = sql`id`): Promise<string[]> {
  const found = await rows<{ id: number }>(
    gw.database.db,
    sql`select id from products where ${where} order by ${order}`,
  );
  return found.map((row) => String(row.id));
}

async function allPages(variables: Record<string, unknown>, pageSize: number): Promise<string[]> {
  return (await allEdges(variables, pageSize)).map((edge) => edge.id);
}

/** Every product id with its cursor, walking pages of `pageSize`. */
async function allEdges(
  variables: Record<string, unknown>,
  pageSize: number,
): Promise<{ id: string; cursor: string }[]> {
  const found: { id: string; cursor: string }[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const { body }: { body: GraphQLResponse<Connection> } = await gw.execute<Connection>(PRODUCTS, {
      ...variables,
      first: pageSize,
      after,
    });
    expect(body.errors).toBeUndefined();
    const connection: Connection['products'] | undefined = body.data?.products;
    if (!connection) throw new Error('no data');
    found.push(...connection.edges.map((edge) => ({ id: edge.node.id, cursor: edge.cursor })));
    if (!connection.pageInfo.hasNextPage) return found;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

describe('products connection', () => {
  it('returns the first page in id order with a total count', async () => {
    const { body } = await gw.execute<Connection>(PRODUCTS, { first: 5 });
    expect(body.errors).toBeUndefined();
    const expected = await productIds(sql`true`);
    const connection = body.data?.products;
    expect(connection?.totalCount).toBe(expected.length);
    expect(connection?.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 5));
    expect(connection?.nodes.map((n) => n.id)).toEqual(expected.slice(0, 5));
    expect(connection?.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(connection?.pageInfo.startCursor).toBe(connection?.edges[0]?.cursor);
    expect(connection?.pageInfo.endCursor).toBe(connection?.edges[4]?.cursor);
  });

  it.each([
    ['TITLE', 'ASC', sql`title asc, id asc`],
    ['TITLE', 'DESC', sql`title desc, id desc`],
    ['PRICE', 'ASC', sql`price_minor asc nulls last, id asc`],
    ['PRICE', 'DESC', sql`price_minor desc nulls last, id desc`],
    ['FIRST_SEEN_AT', 'DESC', sql`first_seen_at desc, id desc`],
    ['LAST_SEEN_AT', 'ASC', sql`last_seen_at asc, id asc`],
    ['ID', 'DESC', sql`id desc`],
  ])('walks every page ordered by %s %s without gaps or repeats', async (field, direction, order) => {
    const walked = await allPages({ orderBy: { field, direction } }, 37);
    // PostgreSQL's collation decides text order, so the expectation comes from it too.
    expect(walked).toEqual(await productIds(sql`true`, order));
  });

  it('returns an empty page with first: 0 and still counts', async () => {
    const { body } = await gw.execute<Connection>(PRODUCTS, { first: 0 });
    expect(body.data?.products.edges).toEqual([]);
    expect(body.data?.products.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
    expect(body.data?.products.totalCount).toBeGreaterThan(0);
  });

  it('ends exactly at the last item, with hasPreviousPage after a cursor', async () => {
    const edges: { id: string; cursor: string }[] = [];
    let after: string | null | undefined = null;
    do {
      const { body }: { body: GraphQLResponse<Connection> } = await gw.execute<Connection>(PRODUCTS, {
        first: 100,
        after,
      });
      const page: Connection['products'] | undefined = body.data?.products;
      edges.push(...(page?.edges ?? []).map((e) => ({ id: e.node.id, cursor: e.cursor })));
      after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
    } while (after);
    const thirdLast = edges.at(-3);
    if (!thirdLast) throw new Error('too few products');
    const rest = await gw.execute<Connection>(PRODUCTS, { first: 5, after: thirdLast.cursor });
    expect(rest.body.data?.products.edges.map((e) => e.node.id)).toEqual(edges.slice(-2).map((e) => e.id));
    expect(rest.body.data?.products.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // A page that ends exactly on the last product must not promise a next page.
    const exact = await gw.execute<Connection>(PRODUCTS, { first: 2, after: thirdLast.cursor });
    expect(exact.body.data?.products.edges).toHaveLength(2);
    expect(exact.body.data?.products.pageInfo.hasNextPage).toBe(false);
  });
});

describe('product filters', () => {
  it('filters by marketplace code', async () => {
    const walked = await allPages({ filter: { marketplace: ['ebay-us', 'ebay-de'] } }, 100);
    expect(walked).toEqual(
      await productIds(sql`marketplace_id in (select id from marketplaces where code in ('ebay-us', 'ebay-de'))`),
    );
    expect(walked.length).toBeGreaterThan(0);
  });

  it('filters by a category including its descendants', async () => {
    const [root] = await rows<{ id: number; path: string }>(
      gw.database.db,
      sql`select id, path from categories where parent_id is null and exists (
            select 1 from products p join categories c on c.id = p.category_id
            where c.path like categories.path || '%') order by id limit 1`,
    );
    if (!root) throw new Error('no root category with products');
    const walked = await allPages({ filter: { categoryId: String(root.id) } }, 100);
    const expected = await productIds(
      sql`category_id in (select id from categories where path like ${`${root.path}%`})`,
    );
    expect(walked).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('filters by brand, condition and status together', async () => {
    const [sample] = await rows<{ brand: string; condition: string; status: string }>(
      gw.database.db,
      sql`select brand, condition, status from products where brand is not null order by id limit 1`,
    );
    if (!sample) throw new Error('no branded product');
    const walked = await allPages(
      { filter: { brand: [sample.brand], condition: [sample.condition], status: [sample.status] } },
      100,
    );
    expect(walked).toEqual(
      await productIds(sql`brand = ${sample.brand} and condition = ${sample.condition} and status = ${sample.status}`),
    );
    expect(walked.length).toBeGreaterThan(0);
  });

  it('filters by price range and currency', async () => {
    const filter = { currency: 'USD', price: { min: 2000, max: 30000 } };
    const walked = await allPages({ filter }, 100);
    expect(walked).toEqual(await productIds(sql`currency = 'USD' and price_minor between 2000 and 30000`));
    expect(walked.length).toBeGreaterThan(0);
  });

  it('filters products that sold in a date range', async () => {
    const from = '2025-11-01T00:00:00Z';
    const to = '2026-01-01T00:00:00Z';
    const walked = await allPages({ filter: { soldAt: { from, to } } }, 100);
    expect(walked).toEqual(
      await productIds(
        sql`exists (select 1 from sales s where s.product_id = products.id and s.sold_at >= ${from}::timestamptz and s.sold_at < ${to}::timestamptz)`,
      ),
    );
    expect(walked.length).toBeGreaterThan(0);
  });

  it('searches titles word by word, case-insensitively, each word as a word or the start of one', async () => {
    const [sample] = await rows<{ title: string }>(gw.database.db, sql`select title from products order by id limit 1`);
    const word = sample?.title.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w));
    if (!word) throw new Error('no searchable word');
    const walked = await allPages({ filter: { search: word.toUpperCase() } }, 100);
    const expected = await productIds(sql`title ~* ${`(^|[^[:alnum:]])${word}`}`);
    expect(walked).toEqual(expected);
    expect(walked.length).toBeGreaterThan(0);
  });

  describe('search that finds', () => {
    let ids: { pokemon: string; iphone: string; jack: string };
    beforeAll(async () => {
      const inserted = await rows<{ id: number; title: string }>(
        gw.database.db,
        sql`insert into products (marketplace_id, external_id, title, brand, price_minor, currency)
            select m.id, t.external_id, t.title, t.brand, 1000, 'USD'
            from (select id from marketplaces order by id limit 1) m,
                 (values ('search-1', 'Pokémon Karmesin Booster Display', 'Pokémon'),
                         ('search-2', 'Apple iPhone 15 Pro 256GB Titan', 'Apple'),
                         ('search-3', 'Klinke 3.5mm Kopfhörer-Adapter', 'Škoda')) as t(external_id, title, brand)
            returning id, title`,
      );
      const idOf = (prefix: string) => String(inserted.find((row) => row.title.startsWith(prefix))?.id);
      ids = { pokemon: idOf('Pokémon'), iphone: idOf('Apple'), jack: idOf('Klinke') };
    });

    it.each([
      ['pokemon', 'pokemon'],
      ['POKÉMON booster', 'pokemon'],
      ['iph', 'iphone'],
      ['iphone 15 pro', 'iphone'],
      ['iphnoe', 'iphone'],
      ['3.5mm', 'jack'],
      ['kopfhorer adapter', 'jack'],
    ] as const)('"%s" finds the %s listing', async (search, which) => {
      expect(await allPages({ filter: { search } }, 100)).toContain(ids[which]);
    });

    it('keeps web-search syntax: a word after a minus excludes', async () => {
      const found = await allPages({ filter: { search: 'iphone -titan' } }, 100);
      expect(found).not.toContain(ids.iphone);
    });

    it('matches brands case-insensitively', async () => {
      expect(await allPages({ filter: { brand: ['apple'] } }, 100)).toContain(ids.iphone);
      expect(await allPages({ filter: { brand: ['ŠKODA'] } }, 100)).toContain(ids.jack);
      expect(await allPages({ filter: { brand: ['APPLE'] } }, 100)).toEqual(
        await allPages({ filter: { brand: ['Apple'] } }, 100),
      );
    });
  });

  it('combines a filter with ordering and pagination', async () => {
    const walked = await allPages(
      { filter: { marketplace: ['ebay-us'] }, orderBy: { field: 'PRICE', direction: 'DESC' } },
      7,
    );
    expect(walked).toEqual(
      await productIds(
        sql`marketplace_id = (select id from marketplaces where code = 'ebay-us')`,
        sql`price_minor desc nulls last, id desc`,
      ),
    );
  });
});

describe('products without a current price', () => {
  it.each(['ASC', 'DESC'])(
    'come last ordered by PRICE %s, and pages cross the boundary without gaps or repeats',
    async (direction) => {
      const orderBy = { field: 'PRICE', direction };
      const order = direction === 'ASC' ? sql`asc` : sql`desc`;
      const priced = await productIds(sql`price_minor is not null`, sql`price_minor ${order}, id ${order}`);
      const none = await productIds(sql`price_minor is null`, sql`id ${order}`);
      expect(none.length).toBeGreaterThan(3);
      const edges = await allEdges({ orderBy }, 100);
      expect(edges.map((edge) => edge.id)).toEqual([...priced, ...none]);
      expect(await allPages({ orderBy }, 7)).toEqual([...priced, ...none]);

      const pageAfter = async (index: number, first: number) => {
        const { body } = await gw.execute<Connection>(PRODUCTS, { orderBy, first, after: edges[index]?.cursor });
        expect(body.errors).toBeUndefined();
        return body.data?.products.edges.map((edge) => edge.node.id);
      };
      const lastPriced = priced.length - 1;
      // A page that starts on the last priced listing, one that straddles the boundary, one after it.
      expect(await pageAfter(lastPriced, 2)).toEqual(none.slice(0, 2));
      expect(await pageAfter(lastPriced - 1, 3)).toEqual([priced[lastPriced], none[0], none[1]]);
      expect(await pageAfter(lastPriced + 1, 2)).toEqual(none.slice(1, 3));
    },
  );

  it('answer price null with their currency still known, and never match a price range', async () => {
    const id = unpriced[0];
    const { body } = await gw.execute<{ product: { price: unknown; currency: string } }>(
      'query ($id: ID!) { product(id: $id) { price { minorUnits } currency } }',
      { id },
    );
    expect(body.errors).toBeUndefined();
    const [stored] = await rows<{ currency: string }>(
      gw.database.db,
      sql`select currency from products where id = ${id}`,
    );
    expect(body.data?.product).toEqual({ price: null, currency: stored?.currency });
    const walked = await allPages({ filter: { price: { min: 0 } } }, 100);
    expect(walked).toEqual(await productIds(sql`price_minor is not null`));
    expect(walked).not.toContain(id);
  });
});

describe('product fields', () => {
  it('resolves every field of a product', async () => {
    const [row] = await rows<Record<string, unknown>>(
      gw.database.db,
      sql`select p.*, m.code as marketplace_code, c.name as category_name
          from products p join marketplaces m on m.id = p.marketplace_id
          left join categories c on c.id = p.category_id
          where p.gtin is not null and p.category_id is not null order by p.id limit 1`,
    );
    if (!row) throw new Error('no product');
    const { body } = await gw.execute(
      `query ($id: ID!) { product(id: $id) {
        id externalId title brand condition conditionLabel status url firstSeenAt lastSeenAt unseenSince
        identifiers { gtin mpn epid }
        price { minorUnits currency amount }
        marketplace { id code name defaultCurrency }
        category { id name depth path { id name } parent { id } marketplace { code } }
      } }`,
      { id: String(row.id) },
    );
    expect(body.errors).toBeUndefined();
    const product = body.data?.product as Record<string, any>;
    expect(product).toMatchObject({
      id: String(row.id),
      externalId: row.external_id,
      title: row.title,
      brand: row.brand,
      condition: row.condition,
      conditionLabel: row.condition_raw,
      status: row.status,
      url: row.url,
      unseenSince: null,
      identifiers: { gtin: row.gtin, mpn: row.mpn, epid: row.epid },
      price: { minorUnits: Number(row.price_minor), currency: row.currency },
      marketplace: { code: row.marketplace_code },
      category: { name: row.category_name },
    });
    expect(new Date(product.firstSeenAt).getTime()).toBe(new Date(String(row.first_seen_at)).getTime());
    expect(product.category.path.at(-1)).toEqual({ id: product.category.id, name: product.category.name });
    expect(product.category.path).toHaveLength(product.category.depth + 1);
    expect(product.category.marketplace.code).toBe(row.marketplace_code);
  });

  it('says since when a search has missed an ended listing', async () => {
    const [row] = await rows<{ id: number }>(
      gw.database.db,
      sql`update products set status = 'ENDED', unseen_since = '2026-05-30T06:00:00Z'
          where id = (select max(id) from products) returning id`,
    );
    const { body } = await gw.execute('query ($id: ID!) { product(id: $id) { status unseenSince } }', {
      id: String(row?.id),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ product: { status: 'ENDED', unseenSince: '2026-05-30T06:00:00.000Z' } });
  });

  it('returns null for an unknown id', async () => {
    const { body } = await gw.execute('{ product(id: "999999999") { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ product: null });
  });

  it('returns images in gallery order, limited by first', async () => {
    const [row] = await rows<{ product_id: number }>(
      gw.database.db,
      sql`select product_id from images group by product_id having count(*) >= 4 order by product_id limit 1`,
    );
    if (!row) throw new Error('no product with 4 images');
    const expected = await rows<{ id: number; url: string; position: number }>(
      gw.database.db,
      sql`select id, url, position from images where product_id = ${row.product_id} order by position, id`,
    );
    const { body } = await gw.execute<{
      product: { images: { id: string; url: string; position: number }[]; all: unknown[] };
    }>(
      `query ($id: ID!) { product(id: $id) {
        images(first: 3) { id url position width height product { id } }
        all: images(first: 100) { id }
      } }`,
      { id: String(row.product_id) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.product.images.map((i) => i.id)).toEqual(expected.slice(0, 3).map((e) => String(e.id)));
    expect(body.data?.product.images[0]).toMatchObject({
      url: expected[0]?.url,
      position: expected[0]?.position,
      product: { id: String(row.product_id) },
    });
    expect(body.data?.product.all).toHaveLength(expected.length);
  });

  it('summarizes sales per currency, with and without a period', async () => {
    const [row] = await rows<{ product_id: number }>(
      gw.database.db,
      sql`select product_id from sales group by product_id order by count(*) desc limit 1`,
    );
    if (!row) throw new Error('no sales');
    const from = '2025-01-01T00:00:00Z';
    const to = '2026-01-01T00:00:00Z';
    const raw = await rows<{ sold_at: string; unit_price_minor: string; quantity: number; currency: string }>(
      gw.database.db,
      sql`select sold_at, unit_price_minor, quantity, currency from sales where product_id = ${row.product_id}`,
    );
    const summarize = (list: typeof raw) => {
      const byCurrency = new Map<string, typeof raw>();
      for (const sale of list) byCurrency.set(sale.currency, [...(byCurrency.get(sale.currency) ?? []), sale]);
      return [...byCurrency.entries()].sort().map(([currency, sales]) => {
        const prices = sales.map((s) => Number(s.unit_price_minor));
        const units = sales.reduce((n, s) => n + s.quantity, 0);
        const revenue = sales.reduce((n, s) => n + Number(s.unit_price_minor) * s.quantity, 0);
        const times = sales.map((s) => new Date(s.sold_at).getTime());
        return {
          currency,
          saleCount: sales.length,
          units,
          revenue: { minorUnits: revenue },
          averagePrice: { minorUnits: Math.round(revenue / units) },
          minPrice: { minorUnits: Math.min(...prices) },
          maxPrice: { minorUnits: Math.max(...prices) },
          firstSoldAt: new Date(Math.min(...times)).toISOString(),
          lastSoldAt: new Date(Math.max(...times)).toISOString(),
        };
      });
    };
    const fields =
      'currency saleCount units revenue { minorUnits } averagePrice { minorUnits } minPrice { minorUnits } maxPrice { minorUnits } firstSoldAt lastSoldAt';
    const { body } = await gw.execute<{ product: { all: unknown[]; period: unknown[] } }>(
      `query ($id: ID!, $from: DateTime, $to: DateTime) { product(id: $id) {
        all: salesSummary { ${fields} }
        period: salesSummary(from: $from, to: $to) { ${fields} }
      } }`,
      { id: String(row.product_id), from, to },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.product.all).toEqual(summarize(raw));
    const inPeriod = raw.filter((s) => {
      const t = new Date(s.sold_at).getTime();
      return t >= Date.parse(from) && t < Date.parse(to);
    });
    expect(body.data?.product.period).toEqual(summarize(inPeriod));
  });
});

describe('reference data', () => {
  it('lists marketplaces and categories with their tree', async () => {
    const { body } = await gw.execute<{
      marketplaces: {
        id: string;
        code: string;
        rootCategories: { id: string; children: { parent: { id: string } }[] }[];
      }[];
      categories: { id: string }[];
      roots: { id: string; depth: number }[];
    }>(`{
      marketplaces { id code name defaultCurrency rootCategories { id children { parent { id } } } }
      categories { id }
      roots: categories(marketplace: "ebay-us", rootsOnly: true) { id depth }
    }`);
    expect(body.errors).toBeUndefined();
    const marketplaces = await rows<{ code: string }>(gw.database.db, sql`select code from marketplaces order by code`);
    expect(body.data?.marketplaces.map((m) => m.code)).toEqual(marketplaces.map((m) => m.code));
    const [count] = await rows<{ n: number }>(gw.database.db, sql`select count(*)::int as n from categories`);
    expect(body.data?.categories).toHaveLength(count?.n ?? -1);
    expect(body.data?.roots.every((c) => c.depth === 0)).toBe(true);
    for (const marketplace of body.data?.marketplaces ?? []) {
      for (const root of marketplace.rootCategories) {
        for (const child of root.children) expect(child.parent.id).toBe(root.id);
      }
    }
  });

  it('returns a category by id and children of a parent', async () => {
    const [parent] = await rows<{ id: number }>(
      gw.database.db,
      sql`select parent_id as id from categories where parent_id is not null order by id limit 1`,
    );
    const children = await rows<{ id: number }>(
      gw.database.db,
      sql`select id from categories where parent_id = ${parent?.id} order by id`,
    );
    const { body } = await gw.execute<{ category: { id: string } | null; categories: { id: string }[]; missing: null }>(
      `query ($id: ID!) { category(id: $id) { id } categories(parentId: $id) { id } missing: category(id: "99999") { id } }`,
      { id: String(parent?.id) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.category?.id).toBe(String(parent?.id));
    expect(body.data?.categories.map((c) => c.id).sort()).toEqual(children.map((c) => String(c.id)).sort());
    expect(body.data?.missing).toBeNull();
  });
});
