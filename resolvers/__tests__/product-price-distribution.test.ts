import { sql } from 'drizzle-orm';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';

type Histogram = {
  currency: string;
  sampleSize: number;
  min: { minorUnits: number } | null;
  max: { minorUnits: number } | null;
  bucketWidth: { minorUnits: number };
  buckets: { lower: { minorUnits: number }; upper: { minorUnits: number }; saleCount: number; units: number }[];
};
type ProductNode = { id: string; price: { currency: string }; priceDistribution: Histogram };

const HISTOGRAM =
  'currency sampleSize min { minorUnits } max { minorUnits } bucketWidth { minorUnits } buckets { lower { minorUnits } upper { minorUnits } saleCount units }';
const FROM = '2025-07-01T00:00:00Z';
const TO = '2026-06-30T00:00:00Z';

const PAGE = `query ($first: Int, $from: DateTime, $to: DateTime, $bucketCount: Int, $bucketWidth: SafeInt) {
  products(first: $first) { nodes { id price { currency }
    priceDistribution(from: $from, to: $to, bucketCount: $bucketCount, bucketWidth: $bucketWidth) { ${HISTOGRAM} }
  } }
}`;

const TOP_LEVEL = `query ($currency: String!, $id: ID!, $from: DateTime, $to: DateTime, $bucketCount: Int, $bucketWidth: SafeInt) {
  priceDistribution(currency: $currency, filter: { productId: [$id] }, from: $from, to: $to, bucketCount: $bucketCount, bucketWidth: $bucketWidth) { ${HISTOGRAM} }
}`;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

/** Sales of each product in its listing's currency within [from, to), counted by SQL. */
async function saleCounts(from: string, to: string): Promise<Map<string, number>> {
  const counted = await rows<{ id: number; n: string | number }>(
    gw.database.db,
    sql`select p.id, count(s.id) as n from products p
        left join sales s on s.product_id = p.id and s.currency = p.currency
          and s.sold_at >= ${from}::timestamptz and s.sold_at < ${to}::timestamptz
        group by p.id`,
  );
  return new Map(counted.map((row) => [String(row.id), Number(row.n)]));
}

async function page(variables: Record<string, unknown>) {
  const result = await gw.execute<{ products: { nodes: ProductNode[] } }>(PAGE, variables);
  expect(result.body.errors).toBeUndefined();
  return { nodes: result.body.data?.products.nodes ?? [], statements: result.statements };
}

describe('Product.priceDistribution', () => {
  it('counts every sale of each listing in its own currency once, the same as the top-level histogram', async () => {
    const { nodes } = await page({ first: 20, from: FROM, to: TO, bucketCount: 12 });
    const counts = await saleCounts(FROM, TO);
    expect(nodes).toHaveLength(20);
    // The page must exercise both cases: listings with sales and, ideally, some without.
    expect(nodes.some((node) => node.priceDistribution.sampleSize > 0)).toBe(true);
    for (const node of nodes) {
      const histogram = node.priceDistribution;
      expect(histogram.currency).toBe(node.price.currency);
      expect(histogram.sampleSize).toBe(counts.get(node.id));
      expect(histogram.buckets.reduce((sum, bar) => sum + bar.saleCount, 0)).toBe(histogram.sampleSize);
      if (histogram.sampleSize > 0) {
        // About twelve bars (one more at most), each as wide as 1, 2, 2.5 or 5 times a power of ten,
        // on multiples of that width: every edge is a round amount.
        const width = histogram.bucketWidth.minorUnits;
        expect(histogram.buckets.length).toBeGreaterThanOrEqual(1);
        expect(histogram.buckets.length).toBeLessThanOrEqual(13);
        expect(String(width)).toMatch(/^([125]|25)0*$/);
        expect(histogram.buckets.every((bar) => bar.lower.minorUnits % width === 0)).toBe(true);
        expect(histogram.buckets[0]?.lower.minorUnits).toBeLessThanOrEqual(histogram.min?.minorUnits ?? NaN);
        expect(histogram.buckets[0]?.upper.minorUnits).toBeGreaterThan(histogram.min?.minorUnits ?? NaN);
      } else {
        expect(histogram.buckets).toEqual([]);
      }
      const top = await gw.execute<{ priceDistribution: Histogram }>(TOP_LEVEL, {
        currency: node.price.currency,
        id: node.id,
        from: FROM,
        to: TO,
        bucketCount: 12,
      });
      expect(top.body.errors).toBeUndefined();
      expect(histogram).toEqual(top.body.data?.priceDistribution);
    }
  });

  it('cuts fixed-width bars on multiples of the width, like the top-level histogram', async () => {
    const { nodes } = await page({ first: 10, bucketWidth: 5_000 });
    const sold = nodes.filter((node) => node.priceDistribution.sampleSize > 0);
    expect(sold.length).toBeGreaterThan(0);
    for (const node of sold) {
      const histogram = node.priceDistribution;
      expect(histogram.bucketWidth.minorUnits).toBe(5_000);
      expect(histogram.buckets.every((bar) => bar.lower.minorUnits % 5_000 === 0)).toBe(true);
      const top = await gw.execute<{ priceDistribution: Histogram }>(TOP_LEVEL, {
        currency: node.price.currency,
        id: node.id,
        bucketWidth: 5_000,
      });
      expect(histogram).toEqual(top.body.data?.priceDistribution);
    }
  });

  it('takes one SQL statement for a whole page, however many products it has', async () => {
    const variables = { from: FROM, to: TO, bucketCount: 12 };
    const small = await page({ ...variables, first: 5 });
    const large = await page({ ...variables, first: 50 });
    expect(large.nodes).toHaveLength(50);
    expect(large.statements).toBe(small.statements);
    const without = await gw.execute(
      'query ($first: Int) { products(first: $first) { nodes { id price { currency } } } }',
      { first: 50 },
    );
    expect(large.statements - without.statements).toBe(1);
  });

  it.each([
    ['zero buckets', { bucketCount: 0 }, /bucketCount must be between 1 and 200, got 0/, 'bucketCount'],
    [
      'both bucketCount and bucketWidth',
      { bucketCount: 3, bucketWidth: 100 },
      /give bucketCount or bucketWidth, not both/,
      'bucketCount',
    ],
    ['a zero bucketWidth', { bucketWidth: 0 }, /bucketWidth must be at least 1 \(minor unit\), got 0/, 'bucketWidth'],
    ['from after to', { from: TO, to: FROM }, /must not be after to/, 'from'],
  ])('refuses %s with BAD_USER_INPUT', async (_name, variables, message, argument) => {
    const { body } = await gw.post(PAGE, { first: 2, ...variables });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.extensions?.argument).toBe(argument);
    expect(body.errors?.[0]?.message).toMatch(message);
  });

  it('refuses bars that would exceed 200 with BAD_USER_INPUT at the listing that needs them', async () => {
    const { body } = await gw.post(
      `{ products(first: 20) { nodes { id priceDistribution(bucketWidth: 1) { sampleSize buckets { saleCount } } } } }`,
    );
    const errors = body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/bucketWidth 1 gives \d+ bars between \d+ and \d+; at most 200/);
      expect(error.path).toEqual(['products', 'nodes', expect.any(Number), 'priceDistribution']);
    }
  });
});
