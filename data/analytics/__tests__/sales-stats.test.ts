import { sql } from 'drizzle-orm';
import { rows } from '../../../test/support/rows';
import { startTestGateway, type TestGateway } from '../../../test/support/gateway';
import { expectedBuckets, loadRates, loadRawSales, periodLabel, type RawSale } from './reference';

type Bucket = {
  periodStart: string;
  periodEnd: string;
  marketplace: { id: string } | null;
  category: { id: string } | null;
  canonicalCategory: { id: string } | null;
  brand: string | null;
  condition: string | null;
  product: { id: string } | null;
  currency: string;
  saleCount: number;
  units: number;
  revenue: { minorUnits: number };
  averagePrice: { minorUnits: number } | null;
  minPrice: { minorUnits: number } | null;
  maxPrice: { minorUnits: number } | null;
  medianPrice?: { minorUnits: number } | null;
  p25Price?: { minorUnits: number } | null;
  p75Price?: { minorUnits: number } | null;
  sampleSize: number;
};
type Stats = {
  salesStats: {
    source: string;
    totalCount: number;
    nodes: Bucket[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const ADDITIVE = `periodStart periodEnd marketplace { id } category { id } canonicalCategory { id } brand condition product { id } currency
  saleCount units sampleSize revenue { minorUnits } averagePrice { minorUnits } minPrice { minorUnits } maxPrice { minorUnits }`;
const ALL = `${ADDITIVE} medianPrice { minorUnits } p25Price { minorUnits } p75Price { minorUnits }`;

const STATS = (
  fields: string,
) => `query ($filter: SalesStatsFilter, $groupBy: [StatsDimension!], $interval: StatsInterval,
    $from: DateTime!, $to: DateTime!, $timeZone: String, $targetCurrency: String, $source: StatsSource, $first: Int,
    $after: String, $orderBy: StatsOrder, $fillGaps: Boolean, $categoryLevel: Int) {
  salesStats(filter: $filter, groupBy: $groupBy, interval: $interval, from: $from, to: $to, timeZone: $timeZone,
    targetCurrency: $targetCurrency, source: $source, first: $first, after: $after, orderBy: $orderBy, fillGaps: $fillGaps,
    categoryLevel: $categoryLevel) {
    source totalCount pageInfo { hasNextPage endCursor } nodes { ${fields} }
  }
}`;

let gw: TestGateway;
let sales: RawSale[];
let rates: Map<string, number>;
beforeAll(async () => {
  gw = await startTestGateway();
  sales = await loadRawSales(gw.database.db);
  rates = await loadRates(gw.database.db);
});
afterAll(() => gw.stop());

async function stats(variables: Record<string, unknown>, fields = ALL): Promise<Stats['salesStats']> {
  const { body } = await gw.execute<Stats>(STATS(fields), { first: 1000, ...variables });
  expect(body.errors).toBeUndefined();
  const result = body.data?.salesStats;
  if (!result) throw new Error('no data');
  return result;
}

const DIMENSION_OF: Record<string, (s: RawSale) => unknown> = {
  MARKETPLACE: (s) => s.marketplaceId,
  CATEGORY: (s) => s.canonicalCategoryId,
  MARKETPLACE_CATEGORY: (s) => s.categoryId,
  BRAND: (s) => s.brand,
  CONDITION: (s) => s.condition,
  PRODUCT: (s) => s.productId,
};
const dimensionOfBucket: Record<string, (b: Bucket) => unknown> = {
  MARKETPLACE: (b) => Number(b.marketplace?.id),
  CATEGORY: (b) => (b.canonicalCategory ? Number(b.canonicalCategory.id) : null),
  MARKETPLACE_CATEGORY: (b) => (b.category ? Number(b.category.id) : null),
  BRAND: (b) => b.brand,
  CONDITION: (b) => b.condition,
  PRODUCT: (b) => Number(b.product?.id),
};

function inRange(from: string, to: string) {
  return (s: RawSale) => s.soldAt.getTime() >= Date.parse(from) && s.soldAt.getTime() < Date.parse(to);
}

describe('salesStats measures against an independent computation', () => {
  it.each([
    ['MONTH', 'UTC', ['MARKETPLACE']],
    ['DAY', 'America/New_York', []],
    ['WEEK', 'Asia/Kolkata', ['CONDITION']],
    ['QUARTER', 'Europe/Berlin', ['CATEGORY']],
    ['MONTH', 'Europe/London', ['MARKETPLACE_CATEGORY']],
    ['YEAR', 'UTC', ['BRAND', 'MARKETPLACE']],
    ['TOTAL', 'Australia/Adelaide', ['PRODUCT']],
  ])('computes every measure by %s in %s grouped by %j', async (interval, timeZone, groupBy) => {
    const from = interval === 'DAY' ? '2026-02-15T00:00:00Z' : '2024-07-01T00:00:00Z';
    const to = interval === 'DAY' ? '2026-04-15T00:00:00Z' : '2026-06-30T00:00:00Z';
    const result = await stats({ interval, timeZone, groupBy, from, to });
    expect(result.source).toBe('RAW'); // percentiles are selected
    const keyOf = (period: string, dims: unknown[], currency: string) => `${period}|${dims.join(',')}|${currency}`;
    const expected = expectedBuckets(sales.filter(inRange(from, to)), (s) =>
      keyOf(
        periodLabel(s.soldAt, interval, timeZone),
        groupBy.map((d) => DIMENSION_OF[d]?.(s)),
        s.currency,
      ),
    );
    const actual = new Map(
      result.nodes.map((b) => [
        keyOf(
          interval === 'TOTAL' ? 'TOTAL' : periodLabel(new Date(b.periodStart), interval, timeZone),
          groupBy.map((d) => dimensionOfBucket[d]?.(b)),
          b.currency,
        ),
        {
          saleCount: b.saleCount,
          units: b.units,
          revenue: b.revenue.minorUnits,
          averagePrice: b.averagePrice?.minorUnits ?? null,
          minPrice: b.minPrice?.minorUnits ?? null,
          maxPrice: b.maxPrice?.minorUnits ?? null,
          medianPrice: b.medianPrice?.minorUnits,
          p25Price: b.p25Price?.minorUnits,
          p75Price: b.p75Price?.minorUnits,
          sampleSize: b.sampleSize,
        },
      ]),
    );
    expect(result.totalCount).toBe(expected.size);
    expect(actual.size).toBe(expected.size);
    for (const [key, want] of expected) {
      const { key: _key, ...measures } = want;
      expect({ key, ...actual.get(key) }).toEqual({ key, ...measures, sampleSize: want.saleCount });
    }
  });

  it('starts each period at local midnight, following DST', async () => {
    const result = await stats(
      {
        interval: 'DAY',
        timeZone: 'America/New_York',
        from: '2025-11-01T04:00:00Z',
        to: '2025-11-04T05:00:00Z',
        fillGaps: true,
        filter: { currency: 'USD' },
      },
      'periodStart periodEnd',
    );
    const lengths = result.nodes.map((b) => (Date.parse(b.periodEnd) - Date.parse(b.periodStart)) / 3_600_000);
    // Nov 2 2025 is 25 hours long in New York: clocks fall back.
    expect(result.nodes.map((b) => b.periodStart)).toEqual([
      '2025-11-01T04:00:00.000Z',
      '2025-11-02T04:00:00.000Z',
      '2025-11-03T05:00:00.000Z',
    ]);
    expect(lengths).toEqual([24, 25, 24]);
  });

  it("converts to a target currency at each sale's daily rate", async () => {
    const from = '2025-01-01T00:00:00Z';
    const to = '2026-01-01T00:00:00Z';
    const result = await stats({ interval: 'QUARTER', groupBy: ['MARKETPLACE'], targetCurrency: 'EUR', from, to });
    const factor = (s: RawSale) => {
      const day = s.soldAt.toISOString().slice(0, 10);
      return (rates.get(`${day}|EUR`) ?? NaN) / (rates.get(`${day}|${s.currency}`) ?? NaN);
    };
    const expected = expectedBuckets(
      sales.filter(inRange(from, to)),
      (s) => `${periodLabel(s.soldAt, 'QUARTER', 'UTC')}|${s.marketplaceId}`,
      factor,
    );
    expect(result.nodes.every((b) => b.currency === 'EUR')).toBe(true);
    expect(result.nodes).toHaveLength(expected.size);
    for (const bucket of result.nodes) {
      const want = expected.get(
        `${periodLabel(new Date(bucket.periodStart), 'QUARTER', 'UTC')}|${bucket.marketplace?.id}`,
      );
      expect(bucket.saleCount).toBe(want?.saleCount);
      // PostgreSQL converts in exact numeric, this test in floating point: allow one minor unit.
      expect(Math.abs(bucket.revenue.minorUnits - (want?.revenue ?? NaN))).toBeLessThanOrEqual(1);
      expect(Math.abs((bucket.medianPrice?.minorUnits ?? NaN) - (want?.medianPrice ?? NaN))).toBeLessThanOrEqual(1);
    }
  });
});

describe('mart and raw sales give the same answers', () => {
  it.each([
    ['MONTH', ['CATEGORY'], undefined],
    ['QUARTER', ['MARKETPLACE_CATEGORY', 'CATEGORY'], 'EUR'],
    ['DAY', ['MARKETPLACE', 'CONDITION'], undefined],
    ['WEEK', [], 'USD'],
    ['QUARTER', ['BRAND'], 'JPY'],
    ['TOTAL', ['PRODUCT'], undefined],
    ['YEAR', ['PRODUCT', 'MARKETPLACE'], 'GBP'],
  ])('by %s grouped by %j converted to %s', async (interval, groupBy, targetCurrency) => {
    const variables = { interval, groupBy, targetCurrency, from: '2024-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
    const auto = await stats(variables, ADDITIVE);
    const raw = await stats({ ...variables, source: 'RAW' }, ADDITIVE);
    expect(auto.source).toBe('MART');
    expect(raw.source).toBe('RAW');
    expect(auto.nodes.length).toBeGreaterThan(0);
    expect(auto.nodes).toEqual(raw.nodes);
    expect(auto.totalCount).toBe(raw.totalCount);
  });

  type CategoryTree = {
    id: string;
    depth: number;
    path: { id: string }[];
    canonical: { path: { id: string }[] } | null;
  };

  // The root each sale's category rolls up to: in its marketplace's tree, or in the canonical one.
  const ROLL_UP = {
    MARKETPLACE_CATEGORY: {
      rootOf: (c: CategoryTree) => Number(c.path[0]?.id),
      groupOf: (b: Bucket) => b.category?.id ?? null,
    },
    CATEGORY: {
      rootOf: (c: CategoryTree) => Number(c.canonical?.path[0]?.id),
      groupOf: (b: Bucket) => b.canonicalCategory?.id ?? null,
    },
  };

  it.each(['CATEGORY', 'MARKETPLACE_CATEGORY'] as const)(
    'rolls %s up to a level of its tree alike from both sources',
    async (dimension) => {
      const variables = {
        interval: 'MONTH',
        groupBy: [dimension],
        categoryLevel: 0,
        from: '2025-01-01T00:00:00Z',
        to: '2026-01-01T00:00:00Z',
      };
      const auto = await stats(variables, ADDITIVE);
      expect(auto.source).toBe('MART');
      expect(auto.nodes).toEqual((await stats({ ...variables, source: 'RAW' }, ADDITIVE)).nodes);
      const categories =
        (
          await gw.execute<{ categories: CategoryTree[] }>(
            '{ categories { id depth path { id } canonical { path { id } } } }',
          )
        ).body.data?.categories ?? [];
      const { rootOf, groupOf } = ROLL_UP[dimension];
      const rootById = new Map(categories.map((c) => [Number(c.id), rootOf(c)]));
      const roots = new Set(rootById.values());
      const grouped = auto.nodes.filter((b) => groupOf(b) !== null);
      expect(grouped.length).toBeGreaterThan(0);
      expect(grouped.every((b) => roots.has(Number(groupOf(b))))).toBe(true);
      const expected = expectedBuckets(
        sales.filter(inRange(variables.from, variables.to)),
        (s) =>
          `${periodLabel(s.soldAt, 'MONTH', 'UTC')}|${s.categoryId === null ? null : rootById.get(s.categoryId)}|${s.currency}`,
      );
      expect(auto.nodes).toHaveLength(expected.size);
      for (const bucket of auto.nodes) {
        const want = expected.get(
          `${periodLabel(new Date(bucket.periodStart), 'MONTH', 'UTC')}|${groupOf(bucket)}|${bucket.currency}`,
        );
        expect([bucket.saleCount, bucket.units, bucket.revenue.minorUnits]).toEqual([
          want?.saleCount,
          want?.units,
          want?.revenue,
        ]);
      }
    },
  );

  it('answers with a filter from both sources alike', async () => {
    const filter = { marketplace: ['ebay-us', 'amazon-jp'], condition: ['USED', 'NEW'] };
    const variables = {
      interval: 'MONTH',
      groupBy: ['MARKETPLACE'],
      filter,
      from: '2025-01-01T00:00:00Z',
      to: '2026-01-01T00:00:00Z',
    };
    const auto = await stats(variables, ADDITIVE);
    expect(auto.source).toBe('MART');
    expect(auto.nodes).toEqual((await stats({ ...variables, source: 'RAW' }, ADDITIVE)).nodes);
  });

  it('falls back to raw sales when the mart cannot answer, and says so', async () => {
    const base = { interval: 'MONTH', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    expect((await stats({ ...base, timeZone: 'Asia/Tokyo' }, ADDITIVE)).source).toBe('RAW');
    expect((await stats({ ...base, from: '2025-01-01T12:00:00Z' }, ADDITIVE)).source).toBe('RAW');
    expect((await stats({ ...base, filter: { price: { min: 1000 } } }, ADDITIVE)).source).toBe('RAW');
    expect((await stats(base, `${ADDITIVE} medianPrice { minorUnits }`)).source).toBe('RAW');
  });
});

describe('gaps, comparisons and top-N', () => {
  it('fills days without sales with zeros', async () => {
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const counts = new Map<number, number>();
    for (const sale of sales.filter(inRange(from, to)))
      counts.set(sale.productId, (counts.get(sale.productId) ?? 0) + 1);
    // A product that sold on some days of the range but not on all of them.
    const product = [...counts.entries()]
      .filter(([, n]) => n >= 3 && n < 40)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    const result = await stats(
      { interval: 'DAY', filter: { productId: [String(product)] }, fillGaps: true, from, to },
      'periodStart saleCount units currency',
    );
    const currencies = new Set(
      sales
        .filter((s) => s.productId === product)
        .filter(inRange(from, to))
        .map((s) => s.currency),
    );
    expect(result.nodes).toHaveLength(59 * currencies.size);
    const expectedUnits = sales
      .filter((s) => s.productId === product)
      .filter(inRange(from, to))
      .reduce((n, s) => n + s.quantity, 0);
    expect(result.nodes.reduce((n, b) => n + b.units, 0)).toBe(expectedUnits);
    expect(result.nodes.filter((b) => b.saleCount === 0).length).toBeGreaterThan(0);
  });

  // A median makes raw sales answer the buckets; the previous period's totals still match.
  it.each(['', 'medianPrice { minorUnits }'])(
    'compares each bucket with the previous period of equal length %s',
    async (median) => {
      const from = '2026-01-01T00:00:00Z';
      const to = '2026-04-01T00:00:00Z';
      const { body } = await gw.execute<{
        salesStats: {
          nodes: {
            marketplace: { id: string };
            currency: string;
            units: number;
            revenue: { minorUnits: number };
            previous: { units: number; revenue: { minorUnits: number } };
            change: { units: number | null };
          }[];
        };
      }>(
        `query ($from: DateTime!, $to: DateTime!) { salesStats(from: $from, to: $to, groupBy: [MARKETPLACE]) {
        nodes { marketplace { id } currency units revenue { minorUnits } previous { units revenue { minorUnits } } change { units } ${median} }
      } }`,
        { from, to },
      );
      expect(body.errors).toBeUndefined();
      const length = Date.parse(to) - Date.parse(from);
      const before = sales.filter(inRange(new Date(Date.parse(from) - length).toISOString(), from));
      for (const bucket of body.data?.salesStats.nodes ?? []) {
        const previous = before.filter(
          (s) => String(s.marketplaceId) === bucket.marketplace.id && s.currency === bucket.currency,
        );
        const units = previous.reduce((n, s) => n + s.quantity, 0);
        expect(bucket.previous.units).toBe(units);
        expect(bucket.previous.revenue.minorUnits).toBe(previous.reduce((n, s) => n + s.price * s.quantity, 0));
        expect(bucket.change.units).toBe(units === 0 ? null : (bucket.units - units) / units);
      }
    },
  );

  it('compares a calendar bucket with the whole calendar period before it, and marks partial buckets', async () => {
    // From mid-July: July is partial; September compares with all of August, July with all of June.
    const from = '2025-07-15T00:00:00Z';
    const to = '2025-10-01T00:00:00Z';
    type Node = { periodStart: string; partial: boolean; units: number; previous: { units: number } };
    const { body } = await gw.execute<{ salesStats: { nodes: Node[] } }>(
      `query ($from: DateTime!, $to: DateTime!) { salesStats(from: $from, to: $to, interval: MONTH, targetCurrency: "USD", first: 100) {
        nodes { periodStart partial units previous { units } }
      } }`,
      { from, to },
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data?.salesStats.nodes ?? [];
    const unitsIn = (start: string, end: string) =>
      sales.filter(inRange(start, end)).reduce((n, sale) => n + sale.quantity, 0);
    expect(nodes.map((node) => [node.periodStart.slice(0, 7), node.partial, node.units, node.previous.units])).toEqual([
      ['2025-07', true, unitsIn(from, '2025-08-01T00:00:00Z'), unitsIn('2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z')],
      [
        '2025-08',
        false,
        unitsIn('2025-08-01T00:00:00Z', '2025-09-01T00:00:00Z'),
        unitsIn('2025-07-01T00:00:00Z', '2025-08-01T00:00:00Z'),
      ],
      ['2025-09', false, unitsIn('2025-09-01T00:00:00Z', to), unitsIn('2025-08-01T00:00:00Z', '2025-09-01T00:00:00Z')],
    ]);
    expect(nodes[0]?.units).toBeGreaterThan(0);
  });

  it('ranks groups by any measure and pages through them with cursors', async () => {
    const from = '2025-01-01T00:00:00Z';
    const to = '2026-01-01T00:00:00Z';
    const variables = {
      groupBy: ['PRODUCT'],
      filter: { currency: 'USD' },
      orderBy: { field: 'REVENUE', direction: 'DESC' },
      from,
      to,
    };
    const expected = [
      ...expectedBuckets(
        sales.filter(inRange(from, to)).filter((s) => s.currency === 'USD'),
        (s) => String(s.productId),
      ).values(),
    ].sort((a, b) => b.revenue - a.revenue || Number(a.key) - Number(b.key));
    const first = await stats({ ...variables, first: 3 }, 'product { id } revenue { minorUnits }');
    expect(first.nodes.map((b) => b.product?.id)).toEqual(expected.slice(0, 3).map((e) => e.key));
    expect(first.totalCount).toBe(expected.length);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await stats(
      { ...variables, first: 3, after: first.pageInfo.endCursor },
      'product { id } revenue { minorUnits }',
    );
    expect(second.nodes.map((b) => b.product?.id)).toEqual(expected.slice(3, 6).map((e) => e.key));
  });

  it('counts groups even for an empty page', async () => {
    const variables = { groupBy: ['MARKETPLACE'], from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    const all = await stats({ ...variables, first: 100 }, 'currency');
    const none = await stats({ ...variables, first: 0 }, 'currency');
    expect(none.nodes).toEqual([]);
    expect(none.totalCount).toBe(all.totalCount);
    expect(none.pageInfo.hasNextPage).toBe(true);
  });

  it('lists top products by units and by revenue', async () => {
    const from = '2025-06-01T00:00:00Z';
    const to = '2026-06-01T00:00:00Z';
    const { body } = await gw.execute<{
      units: { product: { id: string }; units: number }[];
      revenue: { product: { id: string } }[];
    }>(
      `query ($from: DateTime!, $to: DateTime!) {
        units: topProducts(from: $from, to: $to, filter: { marketplace: ["ebay-us"] }, first: 5) { product { id } units }
        revenue: topProducts(from: $from, to: $to, by: REVENUE, filter: { currency: "USD" }, first: 5) { product { id } }
      }`,
      { from, to },
    );
    expect(body.errors).toBeUndefined();
    const ebayUs = (
      await gw.execute<{ marketplaces: { id: string; code: string }[] }>('{ marketplaces { id code } }')
    ).body.data?.marketplaces.find((m) => m.code === 'ebay-us');
    const inPeriod = sales.filter(inRange(from, to));
    const byUnits = [
      ...expectedBuckets(
        inPeriod.filter((s) => String(s.marketplaceId) === ebayUs?.id),
        (s) => `${s.productId}|${s.currency}`,
      ).values(),
    ].sort((a, b) => b.units - a.units || Number(a.key.split('|')[0]) - Number(b.key.split('|')[0]));
    expect(body.data?.units.map((b) => b.product.id)).toEqual(byUnits.slice(0, 5).map((e) => e.key.split('|')[0]));
    const byRevenue = [
      ...expectedBuckets(
        inPeriod.filter((s) => s.currency === 'USD'),
        (s) => String(s.productId),
      ).values(),
    ].sort((a, b) => b.revenue - a.revenue || Number(a.key) - Number(b.key));
    expect(body.data?.revenue.map((b) => b.product.id)).toEqual(byRevenue.slice(0, 5).map((e) => e.key));
  });
});

describe('priceHistory and priceDistribution', () => {
  it('gives each product its sold-price history in one statement for the whole page', async () => {
    const query = `query ($first: Int) { products(first: $first) { nodes { id
      priceHistory(from: "2024-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z", interval: QUARTER) { periodStart currency units minPrice { minorUnits } maxPrice { minorUnits } }
    } } }`;
    const small = await gw.execute<{ products: { nodes: { id: string; priceHistory: Bucket[] }[] } }>(query, {
      first: 5,
    });
    const large = await gw.execute<{ products: { nodes: { id: string; priceHistory: Bucket[] }[] } }>(query, {
      first: 50,
    });
    expect(large.statements).toBe(small.statements);
    for (const node of large.body.data?.products.nodes ?? []) {
      const expected = expectedBuckets(
        sales
          .filter((s) => s.productId === Number(node.id))
          .filter(inRange('2024-01-01T00:00:00Z', '2026-06-01T00:00:00Z')),
        (s) => `${periodLabel(s.soldAt, 'QUARTER', 'UTC')}|${s.currency}`,
      );
      expect(node.priceHistory).toHaveLength(expected.size);
      for (const bucket of node.priceHistory) {
        const want = expected.get(`${periodLabel(new Date(bucket.periodStart), 'QUARTER', 'UTC')}|${bucket.currency}`);
        expect([bucket.units, bucket.minPrice?.minorUnits, bucket.maxPrice?.minorUnits]).toEqual([
          want?.units,
          want?.minPrice,
          want?.maxPrice,
        ]);
      }
    }
  });

  it('counts every sale in exactly one bar of the histogram', async () => {
    const { body } = await gw.execute<{
      priceDistribution: {
        sampleSize: number;
        min: { minorUnits: number };
        max: { minorUnits: number };
        bucketWidth: { minorUnits: number };
        buckets: { lower: { minorUnits: number }; upper: { minorUnits: number }; saleCount: number; units: number }[];
      };
    }>(
      `{ priceDistribution(currency: "USD", bucketCount: 12, filter: { marketplace: ["ebay-us"] }) {
        sampleSize min { minorUnits } max { minorUnits } bucketWidth { minorUnits }
        buckets { lower { minorUnits } upper { minorUnits } saleCount units }
      } }`,
    );
    expect(body.errors).toBeUndefined();
    const marketplaces = (
      await gw.execute<{ marketplaces: { id: string; code: string }[] }>('{ marketplaces { id code } }')
    ).body.data?.marketplaces;
    const ebayUs = Number(marketplaces?.find((m) => m.code === 'ebay-us')?.id);
    const prices = sales.filter((s) => s.marketplaceId === ebayUs && s.currency === 'USD');
    const histogram = body.data?.priceDistribution;
    expect(histogram?.sampleSize).toBe(prices.length);
    expect(histogram?.min.minorUnits).toBe(Math.min(...prices.map((s) => s.price)));
    expect(histogram?.max.minorUnits).toBe(Math.max(...prices.map((s) => s.price)));
    // About twelve bars on round edges: the width a 1, 2, 2.5 or 5 times a power of ten, the
    // edges its multiples, the bars covering min to max.
    const width = histogram?.bucketWidth.minorUnits ?? NaN;
    const buckets = histogram?.buckets ?? [];
    expect(buckets.length).toBeGreaterThanOrEqual(5);
    expect(buckets.length).toBeLessThanOrEqual(13);
    expect(String(width)).toMatch(/^([125]|25)0*$/);
    expect(buckets.every((bar) => bar.lower.minorUnits % width === 0)).toBe(true);
    expect(buckets[0]?.lower.minorUnits).toBeLessThanOrEqual(histogram?.min.minorUnits ?? NaN);
    expect(buckets.at(-1)?.upper.minorUnits).toBeGreaterThan(histogram?.max.minorUnits ?? NaN);
    for (const bar of histogram?.buckets ?? []) {
      const inBar = prices.filter((s) => s.price >= bar.lower.minorUnits && s.price < bar.upper.minorUnits);
      expect(bar.saleCount).toBe(inBar.length);
      expect(bar.units).toBe(inBar.reduce((n, s) => n + s.quantity, 0));
      expect(bar.upper.minorUnits - bar.lower.minorUnits).toBe(histogram?.bucketWidth.minorUnits);
    }
  });

  it('uses a fixed bar width on multiples of it', async () => {
    const { body } = await gw.execute<{
      priceDistribution: { buckets: { lower: { minorUnits: number }; saleCount: number }[]; sampleSize: number };
    }>(
      '{ priceDistribution(currency: "JPY", bucketWidth: 50000) { sampleSize buckets { lower { minorUnits } saleCount } } }',
    );
    expect(body.errors).toBeUndefined();
    const bars = body.data?.priceDistribution.buckets ?? [];
    expect(bars.every((b) => b.lower.minorUnits % 50000 === 0)).toBe(true);
    expect(bars.reduce((n, b) => n + b.saleCount, 0)).toBe(sales.filter((s) => s.currency === 'JPY').length);
  });
});

describe('bad input', () => {
  it.each([
    [
      'from after to',
      '{ salesStats(from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } }',
      /from \(2026-01-02T00:00:00.000Z\) must not be after to/,
    ],
    [
      'an empty range',
      '{ salesStats(from: "2026-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } }',
      /the range is empty/,
    ],
    [
      'an unknown time zone',
      '{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", timeZone: "Mars/Olympus") { totalCount } }',
      /timeZone must be an IANA time zone .* got "Mars\/Olympus"/,
    ],
    [
      'too many periods',
      '{ salesStats(from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", interval: DAY) { totalCount } }',
      /spans about 2192 DAY periods; at most 1000/,
    ],
    [
      'too many buckets',
      '{ salesStats(from: "2024-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z", interval: DAY, groupBy: [PRODUCT], fillGaps: true) { totalCount } }',
      /yields \d+ buckets; at most 10000 are allowed/,
    ],
    [
      'a histogram of zero buckets',
      '{ priceDistribution(currency: "USD", bucketCount: 0) { sampleSize } }',
      /bucketCount must be between 1 and 200, got 0/,
    ],
    [
      'a histogram with too narrow bars',
      '{ priceDistribution(currency: "USD", bucketWidth: 1) { sampleSize } }',
      /gives \d+ bars .* at most 200/,
    ],
    [
      'both bucketCount and bucketWidth',
      '{ priceDistribution(currency: "USD", bucketCount: 3, bucketWidth: 100) { sampleSize } }',
      /not both/,
    ],
    [
      'fillGaps over TOTAL',
      '{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", fillGaps: true) { totalCount } }',
      /fillGaps needs an interval/,
    ],
    [
      'MART for another time zone',
      '{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", source: MART, timeZone: "Asia/Tokyo") { totalCount } }',
      /source MART cannot answer this request: periods in Asia\/Tokyo/,
    ],
    [
      'an unknown target currency',
      '{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", targetCurrency: "XXQ") { totalCount } }',
      /targetCurrency must be an ISO-4217/,
    ],
    [
      'a negative categoryLevel',
      '{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", groupBy: [CATEGORY], categoryLevel: -1) { totalCount } }',
      /categoryLevel must be between 0 and 10, got -1/,
    ],
    [
      'a page over 1000',
      '{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", first: 50000) { totalCount } }',
      /first must be between 0 and 10000/,
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_name, query, message) => {
    const { body } = await gw.post(query);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(message);
  });
});

describe('currencies without rates', () => {
  const from = '2025-06-01T00:00:00Z';
  const to = '2025-07-01T00:00:00Z';

  it('refuses a target currency that has no exchange rate at all, naming those convertibleCurrencies lists', async () => {
    const listed = await gw.execute<{ convertibleCurrencies: string[] }>('{ convertibleCurrencies }');
    const currencies = listed.body.data?.convertibleCurrencies ?? [];
    expect(currencies).toEqual(expect.arrayContaining(['EUR', 'USD']));
    expect(currencies).toEqual([...currencies].sort());
    expect(currencies).not.toContain('CHF');
    const { body } = await gw.execute(STATS('currency saleCount'), { from, to, targetCurrency: 'CHF' });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'targetCurrency' });
    expect(body.errors?.[0]?.message).toBe(
      `targetCurrency CHF has no exchange rates, so no amount can be converted to it; use one of ${currencies.join(', ')}, or leave it out to get each currency as sold`,
    );
  });

  it('refuses sales in a currency without rates rather than leaving them out, and needs no rate for the target itself', async () => {
    const db = gw.database.db;
    await db.execute(sql`create table rates_kept as select * from exchange_rates`);
    try {
      await db.execute(sql`delete from exchange_rates where currency = 'GBP'`);
      const mixed = await gw.execute(STATS('currency saleCount revenue { minorUnits }'), {
        from,
        to,
        targetCurrency: 'EUR',
      });
      expect(mixed.body.errors?.[0]?.message).toMatch(/^some of these sales are in a currency without exchange rates/);
      await db.execute(sql`delete from exchange_rates`);
      const same = await stats({ from, to, targetCurrency: 'USD', filter: { currency: 'USD' } }, 'currency saleCount');
      expect(same.nodes.map((node) => node.currency)).toEqual(['USD']);
      expect(same.nodes[0]?.saleCount).toBeGreaterThan(0);
    } finally {
      await db.execute(sql`delete from exchange_rates`);
      await db.execute(sql`insert into exchange_rates select * from rates_kept`);
      await db.execute(sql`drop table rates_kept`);
    }
  });

  it('converts days without a rate at the nearest known rate, dropping no sale', async () => {
    const db = gw.database.db;
    const gap = await rows<Record<string, unknown>>(
      db,
      sql`delete from exchange_rates where currency = 'EUR' and day >= '2025-06-10' and day < '2025-06-20'
          returning day::text as day, currency, units_per_usd, minor_per_usd`,
    );
    try {
      expect(gap).toHaveLength(10);
      const each = await stats({ from, to, source: 'RAW' }, 'currency saleCount');
      const converted = await stats({ from, to, source: 'RAW', targetCurrency: 'EUR' }, 'currency saleCount');
      const mart = await stats({ from, to, targetCurrency: 'EUR' }, 'currency saleCount');
      const all = each.nodes.reduce((sum, node) => sum + node.saleCount, 0);
      expect(all).toBeGreaterThan(0);
      expect(converted.nodes.map((node) => [node.currency, node.saleCount])).toEqual([['EUR', all]]);
      expect(mart.nodes).toEqual(converted.nodes);
    } finally {
      for (const rate of gap) {
        await db.execute(sql`insert into exchange_rates (day, currency, units_per_usd, minor_per_usd)
          values (${String(rate.day)}::date, ${rate.currency}, ${rate.units_per_usd}, ${rate.minor_per_usd})`);
      }
    }
  });
});
