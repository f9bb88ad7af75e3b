/**
 * `DATABASE_URL=postgres://... npm run bench:ingest -- [--sales 1000000] [--listings 20000] [--chunk-lines 50000]`
 *
 * Ingests a generated sales CSV through the whole pipeline (raw kept in staging_raw, every
 * record validated, core upserted by natural key, mart refreshed) into a fresh PostgreSQL
 * database it creates and drops, and compares its rows/s with the baseline: a plain COPY of
 * the same rows into a table with the same keys, indexes and foreign key as `sales`, in the
 * same run on the same database.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { parseEnv } from '../lib/env';
import { openDatabase } from '../db/client';
import { fileSource } from '../ingest/sources/file/source';
import { runIngest } from '../ingest/pipeline/run';

type Options = { sales: number; listings: number; chunkLines: number };

function parseOptions(args: readonly string[]): Options {
  const options: Options = { sales: 1_000_000, listings: 20_000, chunkLines: 50_000 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = Number(args[i + 1]);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    if (flag === '--sales') options.sales = value;
    else if (flag === '--listings') options.listings = value;
    else if (flag === '--chunk-lines') options.chunkLines = value;
    else
      throw new Error(
        `unknown argument ${flag}; usage: npm run bench:ingest -- [--sales N] [--listings N] [--chunk-lines N]`,
      );
  }
  return options;
}

const MARKETPLACES = [
  { code: 'ebay-us', currency: 'USD' },
  { code: 'ebay-de', currency: 'EUR' },
  { code: 'amazon-jp', currency: 'JPY' },
] as const;

function listingOf(i: number) {
  const marketplace = MARKETPLACES[i % MARKETPLACES.length] ?? MARKETPLACES[0];
  return { marketplace, externalId: `b${100_000_000 + i}` };
}

/** Writes through a stream, waiting when it asks to. */
async function writeLines(file: string, lines: () => Generator<string>): Promise<void> {
  const out = createWriteStream(file);
  let buffer = '';
  for (const line of lines()) {
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** A deterministic sale: which listing, when, for how much. */
function saleOf(n: number, listings: number) {
  // A skewed spread over listings, like real sell-through, without randomness.
  const listing = listingOf(Math.floor((((n * 2654435761) % 4294967296) / 4294967296) * listings));
  const day = n % 365;
  const soldAt = new Date(Date.UTC(2025, 5, 1) + day * 86_400_000 + (n % 86_400) * 1000).toISOString();
  const minor = 500 + ((n * 7919) % 50_000);
  const price =
    listing.marketplace.currency === 'JPY'
      ? String(minor * 10)
      : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
  return { listing, sourceKey: `ord-${n}`, soldAt, price, quantity: 1 + (n % 3) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('bench:ingest needs DATABASE_URL (a PostgreSQL it may create a database on)');
  const name = `soldgraph_bench_ingest_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${name}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-bench-'));
  const database = openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory://', poolMax: 4 });
  try {
    await database.migrate();
    const listingsCsv = path.join(dir, 'listings.csv');
    const salesCsv = path.join(dir, 'sales.csv');
    console.log(`generating ${options.listings} listings and ${options.sales} sales in ${dir} ...`);
    await writeLines(listingsCsv, function* () {
      yield 'marketplace,external_id,title,brand,condition_id,category_path,price,currency\n';
      for (let i = 0; i < options.listings; i += 1) {
        const { marketplace, externalId } = listingOf(i);
        yield `${marketplace.code},${externalId},Bench listing ${i},Brand ${i % 50},3000,${i % 10}:Root ${i % 10} > ${100 + (i % 100)}:Leaf ${i % 100},19.99,${marketplace.currency === 'JPY' ? 'USD' : marketplace.currency}\n`;
      }
    });
    await writeLines(salesCsv, function* () {
      yield 'marketplace,external_id,source_key,sold_at,unit_price,currency,quantity\n';
      for (let n = 0; n < options.sales; n += 1) {
        const s = saleOf(n, options.listings);
        yield `${s.listing.marketplace.code},${s.listing.externalId},${s.sourceKey},${s.soldAt},${s.price},${s.listing.marketplace.currency},${s.quantity}\n`;
      }
    });
    console.log(`  sales.csv: ${((await stat(salesCsv)).size / 1e6).toFixed(1)} MB`);

    const listings = await runIngest({ db: database.db }, fileSource, {
      path: listingsCsv,
      chunkLines: options.chunkLines,
    });
    if (listings.status !== 'SUCCEEDED') throw new Error(`listings run failed: ${JSON.stringify(listings.errors)}`);
    await database.db.execute(sql`analyze`);

    // Each timed phase starts from a checkpoint: otherwise the checkpoint the pipeline's writes
    // bring on lands in whichever phase runs at the time (the COPY took 21.8-29.4 s without this).
    await database.db.execute(sql`checkpoint`);
    const pipelineStart = performance.now();
    const run = await runIngest({ db: database.db }, fileSource, { path: salesCsv, chunkLines: options.chunkLines });
    const pipelineSeconds = (performance.now() - pipelineStart) / 1000;
    if (run.status !== 'SUCCEEDED' || run.counts.inserted !== options.sales) {
      throw new Error(`sales run did not insert every sale: ${JSON.stringify(run)}`);
    }

    // Baseline: the same rows, product ids already resolved, COPYed into a twin of `sales`.
    const copyFile = path.join(dir, 'sales.copy');
    const ids = new Map<string, number>();
    const idRows = (await database.db.execute(
      sql`select m.code, p.external_id, p.id from products p join marketplaces m on m.id = p.marketplace_id`,
    )) as unknown as {
      rows: { code: string; external_id: string; id: number }[];
    };
    for (const row of idRows.rows) ids.set(`${row.code}/${row.external_id}`, Number(row.id));
    await writeLines(copyFile, function* () {
      for (let n = 0; n < options.sales; n += 1) {
        const s = saleOf(n, options.listings);
        const minor = s.listing.marketplace.currency === 'JPY' ? s.price : s.price.replace('.', '');
        yield `${ids.get(`${s.listing.marketplace.code}/${s.listing.externalId}`)}\t${s.sourceKey}\t${s.soldAt}\t${Number(minor)}\t${s.listing.marketplace.currency}\t${s.quantity}\t\\N\tTRANSACTION\n`;
      }
    });
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    let copySeconds: number;
    try {
      // A twin in every respect the rows meet: `sales` is partitioned by month (migration 0016),
      // and a plain table would spare the COPY the routing and the per-partition indexes.
      await client.query(
        `create table bench_sales_copy (like sales including defaults including constraints including indexes including identity) partition by range (sold_at)`,
      );
      const { rows: partitions } = await client.query<{ name: string; bound: string }>(
        `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
         from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'sales'::regclass`,
      );
      for (const { name, bound } of partitions) {
        await client.query(`create table bench_copy_${name} partition of bench_sales_copy ${bound}`);
      }
      await client.query(
        `alter table bench_sales_copy add foreign key (product_id) references products (id) on delete cascade`,
      );
      await client.query('checkpoint');
      const copyStart = performance.now();
      await pipeline(
        createReadStream(copyFile),
        client.query(
          copyFrom(
            `copy bench_sales_copy (product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor, granularity) from stdin`,
          ),
        ),
      );
      copySeconds = (performance.now() - copyStart) / 1000;
      const check =
        await client.query(`select (select count(*) from bench_sales_copy) as copied, (select count(*) from sales) as ingested,
        (select sum(unit_price_minor * quantity) from bench_sales_copy) = (select sum(unit_price_minor * quantity) from sales) as same_revenue`);
      console.log(`  check: ${JSON.stringify(check.rows[0])}`);
    } finally {
      await client.end();
    }

    const pipelineRate = options.sales / pipelineSeconds;
    const copyRate = options.sales / copySeconds;
    console.log(
      `\n${options.sales.toLocaleString('en')} sales, chunks of ${options.chunkLines.toLocaleString('en')} lines (${run.counts.pages} payloads)`,
    );
    console.log(
      `  pipeline (raw + validate + upsert + mart): ${pipelineSeconds.toFixed(2)} s = ${Math.round(pipelineRate).toLocaleString('en')} rows/s`,
    );
    console.log(`    phases (ms): ${JSON.stringify(run.timings)}`);
    console.log(
      `  plain COPY into a sales twin:              ${copySeconds.toFixed(2)} s = ${Math.round(copyRate).toLocaleString('en')} rows/s`,
    );
    console.log(`  ratio pipeline / COPY: ${(pipelineRate / copyRate).toFixed(2)}x (target >= 0.70x)`);
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
