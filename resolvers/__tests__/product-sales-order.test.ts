import { sql } from 'drizzle-orm';
import { refreshMart } from '../../db/mart';
import { loadRates, loadRawSales, type RawSale } from '../../data/analytics/__tests__/reference';
import { type GraphQLResponse, startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';

type Page = {
  products: {
    totalCount: number;
    nodes: { id: string; availableQuantity: number | null }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const PRODUCTS = /* GraphQL */ `
  query ($filter: ProductFilter, $orderBy: ProductOrder, $first: Int, $after: String) {
    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      nodes {
        id
        availableQuantity
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
let gw: TestGateway;
let sales: RawSale[];
let productIds: number[];
let productCurrency: Map<number, string>;
let availableQuantity: Map<number, number | null>;
beforeAll(async () => {
  gw = await startTestGateway();
  sales = await loadRawSales(gw.database.db);
  const products = await rows<{ id: number; currency: string; available_quantity: number | null }>(
    gw.database.db,
    sql`select id, currency, available_quantity from products order by id`,
  );
  productIds = products.map((p) => Number(p.id));
  productCurrency = new Map(products.map((p) => [Number(p.id), p.currency]));
  availableQuantity = new Map(products.map((p) => [Number(p.id), p.available_quantity]));
});
afterAll(() => gw.stop());

async function page(variables: Record<string, unknown>) {
  const { body, statements } = await gw.execute<Page>(PRODUCTS, variables);
  return { body, statements };
}

/** Every page of an ordering, `size` at a time, checking each page's promises. */
async function allPages(variables: Record<string, unknown>, size: number): Promise<number[]> {
  const ids: number[] = [];
  let after: string | null = null;
  for (let n = 0; n < 1000; n += 1) {
    const { body }: { body: GraphQLResponse<Page> } = await page({ ...variables, first: size, after });
    expect(body.errors).toBeUndefined();
    const connection = body.data?.products;
    if (!connection) throw new Error('no data');
    ids.push(...connection.nodes.map((node) => Number(node.id)));
    if (!connection.pageInfo.hasNextPage) return ids;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('pagination did not end');
}

/** `ids` sorted by `value`, then id, in `direction`, as the API promises. */
function ordered(ids: number[], value: (id: number) => number, direction: 'ASC' | 'DESC'): number[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return [...ids].sort((a, b) => (value(a) - value(b) || a - b) * sign);
}

/** A per-product sum over the sales in [from, to), computed from raw sales rows. */
function perProduct(from: string, to: string, amount: (sale: RawSale) => number): Map<number, number> {
  const totals = new Map<number, number>();
  for (const sale of sales) {
    const at = sale.soldAt.getTime();
    if (at < Date.parse(from) || at >= Date.parse(to)) continue;
    totals.set(sale.productId, (totals.get(sale.productId) ?? 0) + amount(sale));
  }
  return totals;
}

// The demo data's last day is 29 June 2026: windows end there, whatever today is.
const endingAt = '2026-06-29T15:00:00Z';

describe('products ordered by sales over a window, from the mart', () => {
  it.each(['DESC', 'ASC'] as const)(
    'walks every page by units sold %s as raw sales add up, unsold products as 0 and ties by id',
    async (direction) => {
      // 90 days ending with 29 June: 1 April to 29 June, both included.
      const units = perProduct('2026-04-01T00:00:00Z', '2026-06-30T00:00:00Z', (sale) => sale.quantity);
      expect(units.size).toBeGreaterThan(50);
      expect(units.size).toBeLessThan(productIds.length);
      const walked = await allPages({ orderBy: { field: 'UNITS_SOLD', direction, endingAt } }, 37);
      expect(walked).toEqual(ordered(productIds, (id) => units.get(id) ?? 0, direction));
    },
  );

  it('orders by revenue in each product own currency, or converted at each day rate', async () => {
    const rates = await loadRates(gw.database.db);
    // A day without a rate takes the last one before it, as salesStats does.
    const rateOn = (day: string, currency: string) => {
      for (let t = Date.parse(day); t > Date.parse(day) - 30 * DAY; t -= DAY) {
        const rate = rates.get(`${isoDay(t)}|${currency}`);
        if (rate !== undefined) return rate;
      }
      return NaN;
    };
    const revenue = (target: (sale: RawSale) => string) =>
      perProduct('2025-06-30T00:00:00Z', '2026-06-30T00:00:00Z', (sale) => {
        const to = target(sale);
        const day = isoDay(sale.soldAt.getTime());
        const factor = sale.currency === to ? 1 : rateOn(day, to) / rateOn(day, sale.currency);
        return sale.price * sale.quantity * factor;
      });
    for (const [currency, expected] of [
      [undefined, revenue((sale) => productCurrency.get(sale.productId) ?? '')],
      ['EUR', revenue(() => 'EUR')],
    ] as const) {
      const walked = await allPages(
        { orderBy: { field: 'REVENUE', direction: 'DESC', days: 365, endingAt, currency } },
        100,
      );
      expect([...walked].sort((a, b) => a - b)).toEqual(productIds);
      const values = walked.map((id) => expected.get(id) ?? 0);
      // PostgreSQL converts in exact numeric and rounds, this test in floating point: allow one minor unit.
      const outOfOrder = values.findIndex((value, i) => i > 0 && value > (values[i - 1] ?? 0) + 1);
      expect(outOfOrder).toBe(-1);
      expect(values[0]).toBeGreaterThan(values[99] ?? Infinity);
    }
  });

  it.each(['DESC', 'ASC'] as const)(
    'walks every page by sell-through %s as raw sales and units available give it, unknown last',
    async (direction) => {
      const units = perProduct('2026-04-01T00:00:00Z', '2026-06-30T00:00:00Z', (sale) => sale.quantity);
      const ratio = (id: number) => {
        const sold = units.get(id) ?? 0;
        const left = availableQuantity.get(id);
        return left === null || left === undefined || sold + left === 0 ? null : sold / (sold + left);
      };
      const known = productIds.filter((id) => ratio(id) !== null);
      const unknown = productIds.filter((id) => ratio(id) === null);
      expect(known.filter((id) => (ratio(id) ?? 0) > 0).length).toBeGreaterThan(10);
      expect(unknown.length).toBeGreaterThan(10);
      const walked = await allPages({ orderBy: { field: 'SELL_THROUGH', direction, endingAt } }, 41);
      expect(walked).toEqual([
        ...ordered(known, (id) => ratio(id) ?? 0, direction),
        ...ordered(unknown, () => 0, direction),
      ]);
    },
  );

  describe('with sales of its own near the window edges', () => {
    let a: number, b: number, c: number, d: number;
    beforeAll(async () => {
      const db = gw.database.db;
      const made = await rows<{ id: number }>(
        db,
        sql`insert into products (marketplace_id, external_id, title, price_minor, currency, available_quantity)
            select m.id, 'edge-' || n, 'zzwindowtest listing ' || n, 1000, 'USD', q
            from (select id from marketplaces order by id limit 1) m,
                 (values (1, 3), (2, 0), (3, 5), (4, 0)) v(n, q)
            order by n returning id`,
      );
      [a, b, c, d] = made.map((row) => Number(row.id)) as [number, number, number, number];
      const sold = [
        [a, today - 89 * DAY, 5],
        [a, today + 3_600_000, 2],
        [b, today - 90 * DAY, 8],
        [b, today - DAY + 3_600_000, 6],
        [c, today - 90 * DAY + 86_399_000, 10],
      ] as const;
      for (const [product, at, quantity] of sold) {
        await db.execute(sql`insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
          values (${product}, ${`edge-${at}`}, ${new Date(at).toISOString()}::timestamptz, 1000, 'USD', ${quantity})`);
      }
      await refreshMart(
        db,
        sold.map(([, at]) => isoDay(at)),
      );
    });

    const search = { search: 'zzwindowtest' };

    it('counts the days ending today: 90 days include today and the 89 before, not the 90th', async () => {
      // a: 5 + 2 inside 90 days; b: 6 inside, 8 on the 90th day before today; c: 10 on that day only.
      expect(await allPages({ filter: search, orderBy: { field: 'UNITS_SOLD', direction: 'DESC' } }, 3)).toEqual([
        a,
        b,
        d,
        c,
      ]);
      expect(
        await allPages({ filter: search, orderBy: { field: 'UNITS_SOLD', direction: 'DESC', days: 91 } }, 3),
      ).toEqual([b, c, a, d]);
    });

    it('orders by sell-through, units sold / (sold + available), unknown last in both directions', async () => {
      // a: 7 / (7 + 3) = 0.7; b: 6 / (6 + 0) = 1; c: 0 / (0 + 5) = 0; d: nothing sold, nothing left: unknown.
      const order = (direction: string) =>
        allPages({ filter: search, orderBy: { field: 'SELL_THROUGH', direction } }, 1);
      expect(await order('DESC')).toEqual([b, a, c, d]);
      expect(await order('ASC')).toEqual([c, a, b, d]);
      const { body } = await page({ filter: search, orderBy: { field: 'SELL_THROUGH', direction: 'DESC' } });
      expect(body.data?.products.nodes.map((node) => node.availableQuantity)).toEqual([0, 3, 5, 0]);
    });
  });

  it('answers a page in as many statements as an id-ordered page, and counts all products', async () => {
    const byId = await page({ first: 20 });
    const bySales = await page({ first: 20, orderBy: { field: 'REVENUE', direction: 'DESC', currency: 'EUR' } });
    expect(bySales.body.errors).toBeUndefined();
    expect(bySales.statements).toBe(byId.statements);
    expect(bySales.body.data?.products.totalCount).toBe(productIds.length + 4);
  });

  it('refuses a cursor from another window, currency or field, and days out of range', async () => {
    const first = await page({ first: 2, orderBy: { field: 'REVENUE', direction: 'DESC', days: 30 } });
    const cursor = first.body.data?.products.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    for (const orderBy of [
      { field: 'REVENUE', direction: 'DESC', days: 31 },
      { field: 'REVENUE', direction: 'DESC', days: 30, currency: 'USD' },
      { field: 'UNITS_SOLD', direction: 'DESC', days: 30 },
    ]) {
      const { body } = await page({ first: 2, orderBy, after: cursor });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
      expect(body.errors?.[0]?.message).toMatch(/^after is not a valid cursor: it belongs to a different ordering/);
    }
    const early = await page({ orderBy: { field: 'UNITS_SOLD', days: 3650, endingAt: '1975-01-01T00:00:00Z' } });
    expect(early.body.errors?.[0]?.message).toBe(
      'orderBy.endingAt must keep the window of 3650 days between 1970 and 9999, got 1975-01-01T00:00:00.000Z',
    );
    // The last day of year 9999 would end the window in year 10000.
    const late = await page({ orderBy: { field: 'UNITS_SOLD', days: 1, endingAt: '9999-12-31T12:00:00Z' } });
    expect(late.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'orderBy.endingAt' });
    for (const days of [0, 3651]) {
      const { body } = await page({ orderBy: { field: 'UNITS_SOLD', days } });
      expect(body.errors?.[0]?.message).toBe(`orderBy.days must be between 1 and 3650, got ${days}`);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'orderBy.days' });
    }
  });
});
