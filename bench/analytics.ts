/**
 * `npm run bench`: the analytics questions of the analytics issue, answered through
 * GraphQL over HTTP and, as the baseline, by hand-written SQL over raw `sales`, in the same
 * run on the same database. Needs DATABASE_URL pointing at PostgreSQL with the large demo
 * data (`npm run db:seed -- --size large`); reports median server time and the ratio.
 */
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import pino from 'pino';
import { parseEnv } from '../lib/env';
import { openDatabase } from '../db/client';
import { createGateway } from '../gateway/server';
import { createEntityCache } from '../lib/cache';

const WARMUP = 3;
const RUNS = 15;

/** The parts of a GraphQL answer the checksums read. */
type Answer = {
  salesStats?: { source: string; totalCount: number; nodes: { revenue: { minorUnits: number } }[] };
  priceDistribution?: { buckets: { saleCount: number }[] };
};

/** A row of a baseline statement. */
type Row = Record<string, unknown>;

type Case = {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  baseline: { text: string; values: unknown[] };
  /** A number both answers must agree on, to prove they answer the same question. */
  checksum: (data: Answer) => number;
  baselineChecksum: (rows: Row[]) => number;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function main() {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database seeded with --size large');
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: 'memory://', poolMax: 4 });
  await database.migrate();
  const cache = createEntityCache({ timeoutMs: 100, defaultTtlMs: 300_000 });
  const gateway = await createGateway({ database, cache, logger: pino({ level: 'silent' }), exposeErrorDetails: true });
  await new Promise<void>((resolve) => gateway.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(gateway.httpServer.address() as AddressInfo).port}/graphql`;
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();

  const {
    rows: [extent],
  } = await client.query(
    `select max(sold_at) as last, count(*)::int as sales, (select count(*)::int from products) as products from sales`,
  );
  const end = new Date(extent.last);
  const monthEnd = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1));
  const threeYears = new Date(Date.UTC(monthEnd.getUTCFullYear() - 3, monthEnd.getUTCMonth(), 1));
  const dayEnd = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()));
  const ninetyDays = new Date(dayEnd.getTime() - 90 * 86_400_000);
  // The histogram's category: the best-selling leaf category of eBay US, a price chart an
  // analyst would draw (a chart over a whole root category mixes phones with cables).
  const {
    rows: [category],
  } = await client.query(
    `select c.id, c.name, count(*) as n from sales s join products p on p.id = s.product_id
     join categories c on c.id = p.category_id join marketplaces m on m.id = c.marketplace_id
     where m.code = 'ebay-us' group by c.id, c.name order by n desc limit 1`,
  );
  const sumRevenue = (nodes: { revenue: { minorUnits: number } }[]) =>
    nodes.reduce((n, b) => n + b.revenue.minorUnits, 0);
  const sumColumn = (rows: Row[], column: string) => rows.reduce((n, r) => n + Number(r[column]), 0);

  const monthlyByCategory = (level: string): Pick<Case, 'query' | 'variables' | 'checksum' | 'baselineChecksum'> => ({
    query: `query ($from: DateTime!, $to: DateTime!) { salesStats(from: $from, to: $to, interval: MONTH, groupBy: [MARKETPLACE_CATEGORY]${level}, first: 10000) {
        source totalCount nodes { periodStart category { id } currency saleCount units revenue { minorUnits } } } }`,
    variables: { from: threeYears.toISOString(), to: monthEnd.toISOString() },
    checksum: (data) => sumRevenue(data.salesStats?.nodes ?? []),
    baselineChecksum: (rows) => sumColumn(rows, 'revenue'),
  });

  const cases: Case[] = [
    {
      name: 'monthly revenue by top-level category, 3 years',
      ...monthlyByCategory(', categoryLevel: 0'),
      baseline: {
        text: `select date_trunc('month', s.sold_at at time zone 'UTC') as month, split_part(c.path, '/', 2) as root, s.currency,
                      count(*) as sale_count, sum(s.quantity) as units, sum(s.unit_price_minor * s.quantity) as revenue
               from sales s join products p on p.id = s.product_id left join categories c on c.id = p.category_id
               where s.sold_at >= $1 and s.sold_at < $2 group by 1, 2, 3`,
        values: [threeYears, monthEnd],
      },
    },
    {
      name: 'monthly revenue by (leaf) category, 3 years',
      ...monthlyByCategory(''),
      baseline: {
        text: `select date_trunc('month', s.sold_at at time zone 'UTC') as month, p.category_id, s.currency,
                      count(*) as sale_count, sum(s.quantity) as units, sum(s.unit_price_minor * s.quantity) as revenue
               from sales s join products p on p.id = s.product_id
               where s.sold_at >= $1 and s.sold_at < $2 group by 1, 2, 3`,
        values: [threeYears, monthEnd],
      },
    },
    {
      name: '90-day daily series, one marketplace',
      query: `query ($from: DateTime!, $to: DateTime!) { salesStats(from: $from, to: $to, interval: DAY, filter: { marketplace: ["ebay-us"] }, first: 1000) {
        source totalCount nodes { periodStart currency saleCount units revenue { minorUnits } averagePrice { minorUnits } } } }`,
      variables: { from: ninetyDays.toISOString(), to: dayEnd.toISOString() },
      baseline: {
        text: `select date_trunc('day', s.sold_at at time zone 'UTC') as day, s.currency, count(*) as sale_count,
                      sum(s.quantity) as units, sum(s.unit_price_minor * s.quantity) as revenue
               from sales s join products p on p.id = s.product_id join marketplaces m on m.id = p.marketplace_id
               where m.code = 'ebay-us' and s.sold_at >= $1 and s.sold_at < $2 group by 1, 2`,
        values: [ninetyDays, dayEnd],
      },
      checksum: (data) => sumRevenue(data.salesStats?.nodes ?? []),
      baselineChecksum: (rows) => sumColumn(rows, 'revenue'),
    },
    {
      name: `price histogram, one category (${category.name})`,
      query: `query ($category: ID!) { priceDistribution(currency: "USD", bucketCount: 20, filter: { categoryId: $category }) {
        sampleSize buckets { saleCount } } }`,
      variables: { category: String(category.id) },
      baseline: {
        text: `with priced as (
                 select s.unit_price_minor as price from sales s join products p on p.id = s.product_id
                 where s.currency = 'USD' and p.category_id in (select id from categories where path like (select path from categories where id = $1) || '%')),
               b as (select min(price) lo, max(price) hi from priced)
               select width_bucket(price, b.lo, b.hi + 1, 20) as bar, count(*) as sale_count from priced, b group by 1`,
        values: [category.id],
      },
      checksum: (data) => (data.priceDistribution?.buckets ?? []).reduce((n, b) => n + b.saleCount, 0),
      baselineChecksum: (rows) => sumColumn(rows, 'sale_count'),
    },
  ];

  console.log(`data: ${extent.products} products, ${extent.sales} sales (${database.driver})\n`);
  console.log(
    '| question | answered from | buckets | GraphQL server ms (median) | raw SQL baseline ms (median) | ratio |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const benchCase of cases) {
    const serverTimes: number[] = [];
    let data: Answer = {};
    for (let i = 0; i < WARMUP + RUNS; i += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: benchCase.query, variables: benchCase.variables }),
      });
      const body = (await response.json()) as { data?: Answer; errors?: unknown[] };
      if (body.errors) throw new Error(`${benchCase.name}: ${JSON.stringify(body.errors)}`);
      data = body.data ?? {};
      const timing = /graphql;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
      if (i >= WARMUP) serverTimes.push(Number(timing?.[1]));
    }
    const baselineTimes: number[] = [];
    let baselineRows: Row[] = [];
    for (let i = 0; i < WARMUP + RUNS; i += 1) {
      const started = performance.now();
      baselineRows = (await client.query(benchCase.baseline.text, benchCase.baseline.values)).rows;
      if (i >= WARMUP) baselineTimes.push(performance.now() - started);
    }
    const same = benchCase.checksum(data) === benchCase.baselineChecksum(baselineRows);
    if (!same)
      throw new Error(
        `${benchCase.name}: GraphQL and baseline disagree (${benchCase.checksum(data)} vs ${benchCase.baselineChecksum(baselineRows)})`,
      );
    const server = median(serverTimes);
    const baseline = median(baselineTimes);
    const source = data.salesStats?.source ?? 'RAW';
    const buckets = data.salesStats?.totalCount ?? data.priceDistribution?.buckets.length;
    console.log(
      `| ${benchCase.name} | ${source} | ${buckets} | ${server.toFixed(1)} | ${baseline.toFixed(1)} | ${(baseline / server).toFixed(1)}x |`,
    );
  }

  await client.end();
  await gateway.stop();
  await cache.close();
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
