/**
 * `DATABASE_URL=postgres://... npm run bench:partitions -- [--size small|default|large] [--rounds 3]`
 *
 * Does partitioning history by month cost the hot paths anything? One fresh PostgreSQL database
 * (created and dropped here) is seeded, then its four history tables are copied, unpartitioned,
 * into a schema `flat` with the same columns, keys and indexes (the baseline). The same work runs
 * against both, alternating, in the same run: the partitioned tables through the default
 * search_path, the baseline through `search_path=flat,public` (the application's SQL names
 * tables without a schema, so it is the very same code):
 *
 * - keyset pagination: the top-selling product's whole sales history, 50 a page, through
 *   GraphQL (an in-process gateway per side), and the dashboard's Products page (N = 20);
 * - the ingestion merge: a file of new sales, the same file again, then one with changed prices
 *   and times (sales that move to another month), through the whole pipeline;
 * - the mart refresh: the last 30 days recomputed.
 *
 * Reports medians over rounds, SQL statements per request, and partitioned / flat ratios. It
 * asserts no target; both sides must return the same answers (exit 1 otherwise).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { type Database, openDatabase, selectRows } from '../db/client';
import { refreshMart } from '../db/mart';
import { seedDemoData } from '../db/seed/load';
import type { SeedSize } from '../db/seed/generate';
import { createGateway } from '../gateway/server';
import { runIngest } from '../ingest/pipeline/run';
import { fileSource } from '../ingest/sources/file/source';
import { createEntityCache } from '../lib/cache';
import { parseEnv } from '../lib/env';
import { withAdmin } from '../test/support/database';
import { PRODUCTS_PAGE } from './products-page';
import { percentile, runBench } from './support';

const HISTORY = ['sales', 'price_observations', 'sales_rank_observations', 'sold_snapshots'];
const SIDES = ['flat', 'partitioned'] as const;
type Side = (typeof SIDES)[number];

/** The median as the other benches take it: the 50th percentile, nearest rank. */
const median = (values: number[]) => percentile(values, 50);

/** One side's gateway and database. */
type Target = { database: Database; url: string; close(): Promise<void> };

/** A gateway over `databaseUrl`, listening on 127.0.0.1, with the response cache off for every request. */
async function openSide(databaseUrl: string): Promise<Target> {
  const database = openDatabase({ databaseUrl, pgliteDir: 'memory://', poolMax: 4 });
  const cache = createEntityCache({ timeoutMs: 100, defaultTtlMs: 300_000 });
  const gateway = await createGateway({ database, cache, logger: pino({ level: 'silent' }), exposeErrorDetails: true });
  await new Promise<void>((resolve) => gateway.httpServer.listen(0, '127.0.0.1', resolve));
  return {
    database,
    url: `http://127.0.0.1:${(gateway.httpServer.address() as AddressInfo).port}/graphql`,
    async close() {
      await gateway.stop();
      await cache.close();
      await database.close();
    },
  };
}

/** One GraphQL request: its data as text (to compare sides), its time and its SQL statement count. */
async function ask(url: string, query: string, variables: Record<string, unknown>) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  const ms = performance.now() - started;
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return { body, ms, statements: Number(response.headers.get('x-sql-statements') ?? NaN) };
}

const HISTORY_PAGE = `query ($id: ID!, $after: String) { product(id: $id) {
  sales(first: 50, after: $after) { nodes { id soldAt quantity } pageInfo { hasNextPage endCursor } } } }`;

/** Pages through a product's whole sales history; the per-page times and statements, and every id seen. */
async function pageHistory(url: string, productId: string) {
  const times: number[] = [];
  const statements: number[] = [];
  const ids: string[] = [];
  for (let after: string | null = null; ;) {
    const { body, ms, statements: n } = await ask(url, HISTORY_PAGE, { id: productId, after });
    const sales = (
      body.data as {
        product: { sales: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      }
    ).product.sales;
    times.push(ms);
    statements.push(n);
    ids.push(...sales.nodes.map((node) => node.id));
    if (!sales.pageInfo.hasNextPage) return { times, statements, ids };
    after = sales.pageInfo.endCursor;
  }
}

/**
 * The baseline: each history table copied, unpartitioned, into schema `flat`, with the same
 * columns, keys, indexes and foreign key, its sequence continuing after the copied ids.
 */
async function copyHistoryToFlat(db: Database['db']): Promise<void> {
  await db.execute(sql`create schema flat`);
  for (const table of HISTORY) {
    await db.execute(sql.raw(`create table flat.${table} (like public.${table} including all)`));
    await db.execute(
      sql.raw(
        `alter table flat.${table} add foreign key (product_id) references public.products (id) on delete cascade`,
      ),
    );
    await db.execute(sql.raw(`insert into flat.${table} overriding system value select * from public.${table}`));
    await db.execute(sql.raw(`analyze flat.${table}; analyze public.${table}`));
  }
  for (const table of ['sales', 'price_observations', 'sold_snapshots']) {
    await db.execute(
      sql.raw(
        `select setval(pg_get_serial_sequence('flat.${table}', 'id'), (select coalesce(max(id), 1) from flat.${table}))`,
      ),
    );
  }
}

type Listing = { code: string; external_id: string };

/**
 * The merge's files: 20 sales per listing spread over a year before `lastDay`, and the same
 * sales with every third repriced and every fifth moved by 40 days (to another month).
 */
function mergeFiles(listings: readonly Listing[], lastDay: Date): { fresh: string[]; changed: string[] } {
  const line = (l: Listing, i: number, price: number, shift: number) => {
    const at = new Date(lastDay.getTime() - (i * 18 + shift) * 86_400_000 + 3_600_000 * (i % 24));
    return `${l.code},${l.external_id},bench-${i},${at.toISOString()},${price.toFixed(2)},USD,1`;
  };
  return {
    fresh: listings.flatMap((l) => Array.from({ length: 20 }, (_, i) => line(l, i, 10 + i, 0))),
    changed: listings.flatMap((l) =>
      Array.from({ length: 20 }, (_, i) => line(l, i, i % 3 === 0 ? 11 + i : 10 + i, i % 5 === 0 ? 40 : 0)),
    ),
  };
}

const SIZES: readonly SeedSize[] = ['small', 'default', 'large'];

async function main() {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'default' }, rounds: { type: 'string', default: '3' } },
  });
  const size = values.size as SeedSize;
  const rounds = Number(values.rounds);
  if (!SIZES.includes(size) || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`usage: npm run bench:partitions -- [--size ${SIZES.join('|')}] [--rounds N]`);
  }
  const adminUrl = parseEnv().DATABASE_URL;
  if (!adminUrl) throw new Error('set DATABASE_URL to a PostgreSQL server (a database is created and dropped here)');
  const name = `soldgraph_bench_partitions_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const flatUrl = new URL(url);
  flatUrl.searchParams.set('options', '-c search_path=flat,public');
  const folder = await mkdtemp(path.join(tmpdir(), 'soldgraph-bench-partitions-'));
  const opened: Target[] = [];
  try {
    const setup = openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory://', poolMax: 2 });
    await setup.migrate();
    let started = performance.now();
    const counts = await seedDemoData(setup.db, { size });
    console.log(
      `seeded ${size}: ${counts.products} products, ${counts.sales} sales in ${Math.round(performance.now() - started)} ms`,
    );
    started = performance.now();
    await copyHistoryToFlat(setup.db);
    const [partitionCount] = await selectRows<{ n: number }>(
      setup.db,
      sql`select count(*)::int as n from pg_inherits where inhparent = 'public.sales'::regclass`,
    );
    console.log(
      `copied history to the flat baseline in ${Math.round(performance.now() - started)} ms; sales has ${partitionCount?.n} partitions`,
    );
    const [top] = await selectRows<{ id: number; n: number }>(
      setup.db,
      sql`select product_id as id, count(*)::int as n from sales group by 1 order by 2 desc limit 1`,
    );
    const listings = await selectRows<Listing>(
      setup.db,
      sql`select m.code, p.external_id from products p join marketplaces m on m.id = p.marketplace_id
          where m.code = 'ebay-us' order by p.id limit 2000`,
    );
    const [{ last } = { last: '' }] = await selectRows<{ last: string }>(
      setup.db,
      sql`select max(sold_at)::text as last from sales`,
    );
    await setup.close();

    const open = async (target: URL) => {
      const side = await openSide(target.toString());
      opened.push(side);
      return side;
    };
    const sides: Record<Side, Target> = { flat: await open(flatUrl), partitioned: await open(url) };
    const lastDay = new Date(last);
    const soldFrom = new Date(lastDay.getTime() - 90 * 86_400_000).toISOString();
    const days = Array.from({ length: 30 }, (_, i) =>
      new Date(lastDay.getTime() - i * 86_400_000).toISOString().slice(0, 10),
    );

    const header = 'marketplace,external_id,source_key,sold_at,unit_price,currency,quantity\n';
    const { fresh, changed } = mergeFiles(listings, lastDay);

    const results: Record<string, Record<Side, number[]>> = {};
    const statementsPer: Record<string, Partial<Record<Side, number>>> = {};
    const record = (what: string, side: Side, value: number, statements?: number) => {
      results[what] ??= { flat: [], partitioned: [] };
      results[what][side].push(value);
      if (statements !== undefined) statementsPer[what] = { ...statementsPer[what], [side]: statements };
    };
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
      const seen: Partial<Record<Side, string>> = {};
      for (const side of order) {
        const { url: graphql, database } = sides[side];
        const history = await pageHistory(graphql, String(top?.id));
        record(
          `sales history, ${history.ids.length} sales 50 a page (ms/page)`,
          side,
          median(history.times),
          median(history.statements),
        );
        const answers = [];
        for (let i = 0; i < 20; i += 1)
          answers.push(await ask(graphql, PRODUCTS_PAGE, { first: 20, marketplace: 'ebay-us', soldFrom }));
        const page = JSON.stringify(answers[0]?.body.data);
        record('Products page, N = 20 (ms)', side, median(answers.map((a) => a.ms)), answers[0]?.statements);
        seen[side] = `${history.ids.length}:${history.ids.join(',')}|${page}`;

        const files: [string, string[]][] = [
          [`merge: ${fresh.length} new sales (ms)`, fresh],
          ['merge: the same file again (ms)', fresh],
          ['merge: a third repriced, a fifth moved (ms)', changed],
        ];
        for (const [what, lines] of files) {
          const file = path.join(folder, `${side}-${round}-${what.length}.csv`);
          await writeFile(file, header + lines.join('\n') + '\n');
          const run = await runIngest({ db: database.db }, fileSource, { path: file });
          if (run.status !== 'SUCCEEDED')
            throw new Error(`${side}: ${what} ${run.status} ${JSON.stringify(run.errors)}`);
          record(what, side, run.timings.core ?? NaN);
        }
        // Undo the round's sales, so every round merges into the same tables.
        await database.db.execute(sql`delete from sales where source_key like 'bench-%'`);

        started = performance.now();
        await refreshMart(database.db, days);
        record('mart refresh, 30 days (ms)', side, performance.now() - started);
      }
      if (seen.flat !== seen.partitioned) throw new Error('the two sides answered differently');
    }

    console.log(`\n${rounds} rounds, medians; ratio = partitioned / flat (below 1 is faster)`);
    console.log(['work', 'flat', 'partitioned', 'ratio', 'SQL per request (flat / partitioned)'].join(' | '));
    for (const [what, bySide] of Object.entries(results)) {
      const flat = median(bySide.flat);
      const partitioned = median(bySide.partitioned);
      const statements = statementsPer[what] ? `${statementsPer[what].flat} / ${statementsPer[what].partitioned}` : '';
      console.log(
        [what, flat.toFixed(1), partitioned.toFixed(1), (partitioned / flat).toFixed(2), statements].join(' | '),
      );
    }
  } finally {
    for (const side of opened) await side.close();
    await rm(folder, { recursive: true, force: true });
    await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
  }
}

runBench(main);
