import { sql } from 'drizzle-orm';
import { refreshMart } from '../../../db/mart';
import { rows } from '../../../test/support/rows';
import { startTestGateway, type TestGateway } from '../../../test/support/gateway';
import { loadRawSales, type RawSale } from './reference';

type Node = {
  periodStart: string;
  marketplace: { id: string } | null;
  currency: string;
  saleCount: number;
  units: number;
  revenue: { minorUnits: number };
  previous: { saleCount: number; units: number; revenue: { minorUnits: number } };
  change: { units: number | null; revenue: number | null };
};

const STATS = `query ($from: DateTime!, $to: DateTime!, $interval: StatsInterval, $groupBy: [StatsDimension!],
    $filter: SalesStatsFilter, $source: StatsSource, $targetCurrency: String, $compareWith: StatsComparison) {
  salesStats(from: $from, to: $to, interval: $interval, groupBy: $groupBy, filter: $filter, source: $source,
      targetCurrency: $targetCurrency, compareWith: $compareWith, first: 1000) {
    source
    nodes { periodStart marketplace { id } currency saleCount units revenue { minorUnits }
            previous { saleCount units revenue { minorUnits } } change { units revenue } }
  }
}`;

let gw: TestGateway;
let sales: RawSale[];
beforeAll(async () => {
  gw = await startTestGateway();
  sales = await loadRawSales(gw.database.db);
});
afterAll(() => gw.stop());

async function stats(variables: Record<string, unknown>): Promise<{ source: string; nodes: Node[] }> {
  const { body } = await gw.execute<{ salesStats: { source: string; nodes: Node[] } }>(STATS, {
    compareWith: 'PREVIOUS_YEAR',
    ...variables,
  });
  expect(body.errors).toBeUndefined();
  const result = body.data?.salesStats;
  if (!result) throw new Error('no data');
  return result;
}

/** Units, sale count and revenue of the raw sales in [from, to) that `keep` keeps. */
function totals(from: string, to: string, keep: (sale: RawSale) => boolean = () => true) {
  const found = sales.filter(
    (s) => s.soldAt.getTime() >= Date.parse(from) && s.soldAt.getTime() < Date.parse(to) && keep(s),
  );
  return {
    saleCount: found.length,
    units: found.reduce((n, s) => n + s.quantity, 0),
    revenue: { minorUnits: found.reduce((n, s) => n + s.price * s.quantity, 0) },
  };
}

describe('compareWith: PREVIOUS_YEAR', () => {
  it('compares each month with the same month a year before, per group and currency, from raw sales and the mart alike', async () => {
    const from = '2026-03-01T00:00:00Z';
    const to = '2026-06-01T00:00:00Z';
    const raw = await stats({ from, to, interval: 'MONTH', groupBy: ['MARKETPLACE'], source: 'RAW' });
    const mart = await stats({ from, to, interval: 'MONTH', groupBy: ['MARKETPLACE'] });
    expect(mart.source).toBe('MART');
    expect(mart.nodes).toEqual(raw.nodes);
    expect(raw.nodes.length).toBeGreaterThan(6);
    for (const node of raw.nodes) {
      const month = new Date(node.periodStart);
      const start = new Date(Date.UTC(month.getUTCFullYear() - 1, month.getUTCMonth(), 1)).toISOString();
      const end = new Date(Date.UTC(month.getUTCFullYear() - 1, month.getUTCMonth() + 1, 1)).toISOString();
      const expected = totals(
        start,
        end,
        (s) => String(s.marketplaceId) === node.marketplace?.id && s.currency === node.currency,
      );
      expect(node.previous).toEqual(expected);
      expect(node.change.units).toBe(expected.units === 0 ? null : (node.units - expected.units) / expected.units);
    }
    // The default still compares with the month before.
    const [april] = (
      await stats({ from, to, interval: 'MONTH', compareWith: null, targetCurrency: 'USD' })
    ).nodes.slice(1);
    expect(april?.periodStart).toBe('2026-04-01T00:00:00.000Z');
    expect(april?.previous.units).toBe(totals('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z').units);
  });

  it('converts the year-before period at its own days rates with targetCurrency, from both sources alike', async () => {
    const variables = {
      from: '2026-01-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
      interval: 'QUARTER',
      targetCurrency: 'EUR',
    };
    const mart = await stats(variables);
    const raw = await stats({ ...variables, source: 'RAW' });
    expect(mart.nodes).toEqual(raw.nodes);
    expect(raw.nodes).toHaveLength(1);
    expect(raw.nodes[0]?.previous.units).toBe(totals('2025-01-01T00:00:00Z', '2025-04-01T00:00:00Z').units);
    expect(raw.nodes[0]?.previous.revenue.minorUnits).toBeGreaterThan(0);
  });

  it('compares an ISO week with the week of the same number a year before', async () => {
    // ISO weeks 10 to 12 of 2026 start on 2 March; of 2025, on 3 March.
    const { nodes } = await stats({
      from: '2026-03-02T00:00:00Z',
      to: '2026-03-23T00:00:00Z',
      interval: 'WEEK',
      targetCurrency: 'USD',
    });
    expect(nodes.map((node) => [node.periodStart.slice(0, 10), node.previous.units])).toEqual([
      ['2026-03-02', totals('2025-03-03T00:00:00Z', '2025-03-10T00:00:00Z').units],
      ['2026-03-09', totals('2025-03-10T00:00:00Z', '2025-03-17T00:00:00Z').units],
      ['2026-03-16', totals('2025-03-17T00:00:00Z', '2025-03-24T00:00:00Z').units],
    ]);
    expect(nodes[0]?.previous.units).toBeGreaterThan(0);
  });

  describe('on a listing of its own, by hand', () => {
    let productId: string;
    // [sold at, quantity, unit price in cents]
    const sold = [
      ['2025-12-23T10:00:00Z', 6, 1000], // ISO 2025 week 52, the last of that year
      ['2026-12-29T10:00:00Z', 7, 1000], // ISO 2026 week 53
      ['2027-02-28T10:00:00Z', 3, 2000],
      ['2027-03-01T10:00:00Z', 4, 2500],
      ['2028-02-28T10:00:00Z', 1, 3000],
      ['2028-02-29T10:00:00Z', 2, 3000],
      ['2028-03-01T10:00:00Z', 5, 2000],
    ] as const;
    beforeAll(async () => {
      const db = gw.database.db;
      const [made] = await rows<{ id: number }>(
        db,
        sql`insert into products (marketplace_id, external_id, title, price_minor, currency)
            select id, 'year-comparison', 'Year comparison listing', 1000, 'USD' from marketplaces order by id limit 1
            returning id`,
      );
      productId = String(made?.id);
      for (const [at, quantity, price] of sold) {
        await db.execute(sql`insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
          values (${made?.id}, ${at}, ${at}::timestamptz, ${price}, 'USD', ${quantity})`);
      }
      await refreshMart(
        db,
        sold.map(([at]) => at.slice(0, 10)),
      );
    });

    const own = () => ({ filter: { productId: [productId] } });

    it.each(['RAW', 'MART'])('compares 29 February with 28 February a year before (%s)', async (source) => {
      const { nodes } = await stats({
        ...own(),
        from: '2028-02-28T00:00:00Z',
        to: '2028-03-02T00:00:00Z',
        interval: 'DAY',
        source,
      });
      expect(nodes.map((node) => [node.periodStart.slice(0, 10), node.units, node.previous.units])).toEqual([
        ['2028-02-28', 1, 3],
        ['2028-02-29', 2, 3],
        ['2028-03-01', 5, 4],
      ]);
    });

    it('compares February and March 2028 with those of 2027, with revenue and change as computed by hand', async () => {
      const { nodes } = await stats({
        ...own(),
        from: '2028-02-01T00:00:00Z',
        to: '2028-04-01T00:00:00Z',
        interval: 'MONTH',
      });
      expect(
        nodes.map((node) => ({
          month: node.periodStart.slice(0, 7),
          units: node.units,
          revenue: node.revenue.minorUnits,
          previous: node.previous,
          change: node.change,
        })),
      ).toEqual([
        // 1 x 30.00 + 2 x 30.00 against 3 x 20.00
        {
          month: '2028-02',
          units: 3,
          revenue: 9000,
          previous: { saleCount: 1, units: 3, revenue: { minorUnits: 6000 } },
          change: { units: 0, revenue: 0.5 },
        },
        // 5 x 20.00 against 4 x 25.00
        {
          month: '2028-03',
          units: 5,
          revenue: 10000,
          previous: { saleCount: 1, units: 4, revenue: { minorUnits: 10000 } },
          change: { units: 0.25, revenue: 0 },
        },
      ]);
    });

    it('compares ISO week 53 with week 52 of a year that has no week 53', async () => {
      const { nodes } = await stats({
        ...own(),
        from: '2026-12-28T00:00:00Z',
        to: '2027-01-04T00:00:00Z',
        interval: 'WEEK',
      });
      expect(nodes.map((node) => [node.periodStart.slice(0, 10), node.units, node.previous.units])).toEqual([
        ['2026-12-28', 7, 6],
      ]);
    });

    it('compares a TOTAL range with the same range a year earlier, 29 February becoming 28 February', async () => {
      const { nodes } = await stats({ ...own(), from: '2028-02-29T00:00:00Z', to: '2028-03-02T00:00:00Z' });
      // 2027-02-28 to 2027-03-02: 3 + 4 units.
      expect(nodes.map((node) => [node.units, node.previous.units])).toEqual([[7, 7]]);
    });

    it('compares a TOTAL range across 29 February with one as long a year earlier', async () => {
      // Two days, 28 and 29 February 2028, against two days from 28 February 2027: 3 + 4 units, not 3.
      const { nodes } = await stats({ ...own(), from: '2028-02-28T00:00:00Z', to: '2028-03-01T00:00:00Z' });
      expect(nodes.map((node) => [node.units, node.previous.units])).toEqual([[3, 7]]);
    });
  });
});
