import { asc } from 'drizzle-orm';
import { type NewPriceObservation, priceObservations, products, salesRankObservations } from '../../db/schema';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';

type Observation = {
  observedAt: string;
  kind: string;
  price: { minorUnits: number; currency: string; amount: string };
  source: string;
};
type HistoryProduct = {
  id: string;
  listPriceHistory: Observation[];
  salesRankHistory: { observedAt: string; rank: number }[];
};

let gw: TestGateway;
let productIds: number[] = [];

const day = (n: number) => new Date(Date.UTC(2026, 4, 1 + n));

beforeAll(async () => {
  gw = await startTestGateway();
  const db = gw.database.db;
  productIds = (await db.select({ id: products.id }).from(products).orderBy(asc(products.id)).limit(50)).map(
    (p) => p.id,
  );
  // Three days of list prices and a buy-box price on day 1 for every product; newest inserted first,
  // so order comes from the query, not from insertion.
  const prices: NewPriceObservation[] = productIds.flatMap((productId) => [
    ...[2, 1, 0].map((n) => ({
      productId,
      observedAt: day(n),
      lastConfirmedAt: day(n),
      kind: 'LIST' as const,
      amountMinor: productId * 100 + n,
      currency: 'USD',
      source: 'ebay-browse',
    })),
    {
      productId,
      observedAt: day(1),
      lastConfirmedAt: day(1),
      kind: 'BUY_BOX' as const,
      amountMinor: 999,
      currency: 'USD',
      source: 'keepa',
    },
  ]);
  await db.insert(priceObservations).values(prices);
  await db
    .insert(salesRankObservations)
    .values(
      productIds.flatMap((productId) =>
        [3, 0].map((n) => ({ productId, observedAt: day(n), lastConfirmedAt: day(n), rank: 1000 + n })),
      ),
    );
});
afterAll(() => gw.stop());

const HISTORY = /* GraphQL */ `
  query History($id: ID!, $from: DateTime, $to: DateTime, $kind: [PriceKind!], $first: Int) {
    product(id: $id) {
      id
      listPriceHistory(from: $from, to: $to, kind: $kind, first: $first) {
        observedAt
        kind
        source
        price {
          minorUnits
          currency
          amount
        }
      }
      salesRankHistory(from: $from, to: $to, first: $first) {
        observedAt
        rank
      }
    }
  }
`;

describe('Product.listPriceHistory', () => {
  it('returns asked prices oldest first as Money with kind and source', async () => {
    const id = productIds[0] as number;
    const { body } = await gw.execute<{ product: HistoryProduct }>(HISTORY, { id: String(id) });
    expect(body.errors).toBeUndefined();
    expect(body.data?.product.listPriceHistory).toEqual([
      {
        observedAt: '2026-05-01T00:00:00.000Z',
        kind: 'LIST',
        source: 'ebay-browse',
        price: { minorUnits: id * 100, currency: 'USD', amount: id.toFixed(2) },
      },
      {
        observedAt: '2026-05-02T00:00:00.000Z',
        kind: 'LIST',
        source: 'ebay-browse',
        price: { minorUnits: id * 100 + 1, currency: 'USD', amount: `${id}.01` },
      },
      {
        observedAt: '2026-05-02T00:00:00.000Z',
        kind: 'BUY_BOX',
        source: 'keepa',
        price: { minorUnits: 999, currency: 'USD', amount: '9.99' },
      },
      {
        observedAt: '2026-05-03T00:00:00.000Z',
        kind: 'LIST',
        source: 'ebay-browse',
        price: { minorUnits: id * 100 + 2, currency: 'USD', amount: `${id}.02` },
      },
    ]);
    expect(body.data?.product.salesRankHistory).toEqual([
      { observedAt: '2026-05-01T00:00:00.000Z', rank: 1000 },
      { observedAt: '2026-05-04T00:00:00.000Z', rank: 1003 },
    ]);
  });

  it('narrows by kind, by a half-open period and by a cap', async () => {
    const id = String(productIds[1]);
    const kind = await gw.execute<{ product: HistoryProduct }>(HISTORY, { id, kind: ['BUY_BOX'] });
    expect(kind.body.data?.product.listPriceHistory.map((o) => o.kind)).toEqual(['BUY_BOX']);
    const period = await gw.execute<{ product: HistoryProduct }>(HISTORY, {
      id,
      from: '2026-05-02T00:00:00Z',
      to: '2026-05-03T00:00:00Z',
    });
    expect(period.body.data?.product.listPriceHistory.map((o) => [o.observedAt, o.kind])).toEqual([
      ['2026-05-02T00:00:00.000Z', 'LIST'],
      ['2026-05-02T00:00:00.000Z', 'BUY_BOX'],
    ]);
    expect(period.body.data?.product.salesRankHistory).toEqual([]);
    const capped = await gw.execute<{ product: HistoryProduct }>(HISTORY, { id, first: 1 });
    expect(capped.body.data?.product.listPriceHistory.map((o) => o.observedAt)).toEqual(['2026-05-01T00:00:00.000Z']);
    expect(capped.body.data?.product.salesRankHistory).toHaveLength(1);
  });

  it('includes the price in effect at the start of a period, first seen before it', async () => {
    // One price first seen on day 10 and confirmed daily until day 40: it held all of days 20-30.
    const productId = productIds[2] ?? 0;
    await gw.database.db.insert(priceObservations).values({
      productId,
      observedAt: day(10),
      lastConfirmedAt: day(40),
      kind: 'ORIGINAL',
      amountMinor: 777,
      currency: 'USD',
      source: 'ebay-browse',
    });
    const { body } = await gw.execute<{ product: HistoryProduct }>(HISTORY, {
      id: String(productId),
      from: day(20).toISOString(),
      to: day(30).toISOString(),
      kind: ['ORIGINAL'],
    });
    expect(body.data?.product.listPriceHistory.map((o) => [o.observedAt, o.kind])).toEqual([
      [day(10).toISOString(), 'ORIGINAL'],
    ]);
  });

  it('returns an empty list for a product without observations', async () => {
    const { body } = await gw.execute<{ products: { nodes: HistoryProduct[] } }>(
      `{ products(first: 1, orderBy: { field: ID, direction: DESC }) { nodes { id listPriceHistory { kind } salesRankHistory { rank } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(productIds).not.toContain(Number(body.data?.products.nodes[0]?.id));
    expect(body.data?.products.nodes[0]).toMatchObject({ listPriceHistory: [], salesRankHistory: [] });
  });

  it('refuses an inverted period and an out-of-range cap with BAD_USER_INPUT', async () => {
    const id = String(productIds[0]);
    const inverted = await gw.execute(HISTORY, { id, from: '2026-06-01T00:00:00Z', to: '2026-05-01T00:00:00Z' });
    expect(inverted.body.errors?.[0]).toMatchObject({
      message: 'from: from (2026-06-01T00:00:00.000Z) must not be after to (2026-05-01T00:00:00.000Z)',
      extensions: { code: 'BAD_USER_INPUT', argument: 'from' },
    });
    const cap = await gw.execute(HISTORY, { id, first: 0 });
    expect(cap.body.errors?.[0]).toMatchObject({
      message: 'first must be between 1 and 10000, got 0',
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
  });
});

describe('SQL statements for listing history', () => {
  const PAGE = /* GraphQL */ `
    query Page($first: Int) {
      products(first: $first) {
        nodes {
          id
          listPriceHistory(kind: [LIST], first: 100) {
            observedAt
            price {
              amount
            }
          }
          salesRankHistory(first: 100) {
            rank
          }
        }
      }
    }
  `;

  it('stays the same for a page of 5 and a page of 50', async () => {
    const small = await gw.execute<{ products: { nodes: HistoryProduct[] } }>(PAGE, { first: 5 });
    const large = await gw.execute<{ products: { nodes: HistoryProduct[] } }>(PAGE, { first: 50 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    const nodes = large.body.data?.products.nodes ?? [];
    expect(nodes).toHaveLength(50);
    // Every product of the page got its own three list prices and two ranks.
    for (const node of nodes) {
      expect(node.listPriceHistory).toHaveLength(3);
      expect(node.listPriceHistory[0]?.price.amount).toBe(Number(node.id).toFixed(2));
      expect(node.salesRankHistory).toHaveLength(2);
    }
    expect(large.statements).toBe(small.statements);
    // products, list prices, sales ranks: one statement each.
    expect(large.statements).toBe(3);
  });
});
