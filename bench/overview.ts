/**
 * `npm run bench:overview -- [--size small|default|large] [--runs 9] [--explain] [--answers file.json]`, on an in-memory embedded
 * database (PGlite) seeded with the demo data, or with `DATABASE_URL` on a fresh PostgreSQL
 * database (dropped afterwards).
 *
 * What does the dashboard's Overview cost the gateway, uncached? Posts the page's own document
 * (`OverviewPage` from web/__generated__/persisted-documents.json, the one the page sends) for
 * the 30 and 365 days ending with the newest sale, as the page computes them, to an in-process
 * gateway without a response cache, alternating the two. Reports the median gateway time (its
 * `server-timing`), the SQL statements it ran and their time (`x-explain`), and the ratio to
 * a request that runs no SQL at all (the same gateway's fixed cost, measured in the same run).
 * Asserts no target: docs/benchmarks.md holds the numbers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { selectRows } from '../db/client';
import type { SeedSize } from '../db/seed/generate';
import { seedDemoData } from '../db/seed/load';
import { resolvePolicies } from '../gateway/policy';
import { createGateway } from '../gateway/server';
import { createEntityCache } from '../lib/cache';
import { openTestDatabase } from '../test/support/database';
import { percentile, ROOT, rotate, runBench } from './support';

// The demo data's last day, as the other benches anchor it.
const NOW = new Date('2026-06-30T00:00:00Z');
const DAY_MS = 86_400_000;

/** The Overview page's document as the dashboard sends it. */
function overviewDocument(): string {
  const file = path.join(ROOT, 'web', '__generated__', 'persisted-documents.json');
  const documents = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  const found = documents.find((document) => /\bquery OverviewPage\b/.test(document));
  if (!found) throw new Error(`no OverviewPage document in ${file}: run npm run codegen`);
  return found;
}

/** The page's variables for `days` ending with the day of `latest`, as web/lib/periods.ts and the page compute them. */
function overviewVariables(latest: Date, days: number): Record<string, string> {
  const end = Math.floor(latest.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    from: iso(end - days * DAY_MS),
    to: iso(end),
    comparedFrom: iso(end - 2 * days * DAY_MS),
    comparedTo: iso(end - days * DAY_MS),
    compareWith: 'PREVIOUS_PERIOD',
    currency: 'USD',
    interval: days > 90 ? 'WEEK' : 'DAY',
  };
}

type Explain = { statements: { sql: string; ms: number }[]; sqlMs: number };
type Measured = { ms: number; sqlMs: number; explain?: Explain; data: unknown };

async function main() {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'default' },
      runs: { type: 'string', default: '9' },
      explain: { type: 'boolean', default: false },
      answers: { type: 'string' },
    },
  });
  const size = values.size as SeedSize;
  const runs = Number(values.runs);
  if (!(runs > 0)) throw new Error(`--runs must be a positive number, got ${values.runs}`);
  const database = await openTestDatabase(4);
  const cache = createEntityCache({ timeoutMs: 100, defaultTtlMs: 300_000 });
  try {
    const seeding = performance.now();
    const counts = await seedDemoData(database.db, { size, now: NOW });
    console.log(
      `seeded ${size}: ${counts.products} products, ${counts.sales} sales in ${Math.round(performance.now() - seeding)} ms ` +
        `(${database.url ? 'PostgreSQL' : 'PGlite, in memory'})`,
    );
    const gateway = await createGateway({
      database,
      cache,
      logger: pino({ level: 'silent' }),
      exposeErrorDetails: true,
      responseCache: false,
      policies: resolvePolicies({ admin: { requestsPerMinute: 1_000_000 } }),
    });
    await new Promise<void>((resolve) => gateway.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gateway.httpServer.address() as AddressInfo).port}/graphql`;
    const post = async (query: string, variables: Record<string, unknown>): Promise<Measured> => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-explain': 'true' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as {
        data?: unknown;
        errors?: unknown[];
        extensions?: { explain?: Explain };
      };
      if (body.errors) throw new Error(`the gateway answered with errors: ${JSON.stringify(body.errors)}`);
      const timing = /graphql;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
      const explain = body.extensions?.explain;
      return {
        ms: Number(timing?.[1]),
        sqlMs: explain?.sqlMs ?? NaN,
        explain,
        data: body.data,
      };
    };

    const [newest] = await selectRows<{ latest: unknown }>(database.db, sql`select max(sold_at) as latest from sales`);
    const latest = new Date(String(newest?.latest));
    const document = overviewDocument();
    const cases = [
      { label: 'Overview, 30 days', query: document, variables: overviewVariables(latest, 30) },
      { label: 'Overview, 365 days', query: document, variables: overviewVariables(latest, 365) },
      // The gateway's own cost of a request: parsing, validation, plugins, no SQL.
      { label: 'baseline: { __typename }', query: 'query OverviewBaseline { __typename }', variables: {} },
    ];
    // Warm up: the JIT, the catalog, the database's caches.
    for (const benchCase of cases) for (let i = 0; i < 2; i += 1) await post(benchCase.query, benchCase.variables);
    const measured = new Map(cases.map((benchCase) => [benchCase.label, [] as Measured[]]));
    for (let round = 0; round < runs; round += 1) {
      for (const benchCase of rotate(cases, round % cases.length)) {
        measured.get(benchCase.label)?.push(await post(benchCase.query, benchCase.variables));
      }
    }
    const baseline = percentile(
      (measured.get(cases[2]?.label ?? '') ?? []).map((m) => m.ms),
      50,
    );
    console.log(`\n${runs} runs each, uncached (no response cache), medians\n`);
    console.log('| request | gateway ms | SQL statements | SQL ms | gateway ms / baseline |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [label, results] of measured) {
      const ms = percentile(
        results.map((m) => m.ms),
        50,
      );
      const sqlMs = percentile(
        results.map((m) => m.sqlMs),
        50,
      );
      const statements = results[0]?.explain?.statements.length ?? NaN;
      console.log(
        `| ${label} | ${ms.toFixed(1)} | ${statements} | ${Number.isNaN(sqlMs) ? '–' : sqlMs.toFixed(1)} | ${(ms / baseline).toFixed(1)}x |`,
      );
    }
    // --explain: the 365-day page's statements, slowest first, to see where its time goes.
    if (values.explain) {
      const statements = measured.get(cases[1]?.label ?? '')?.at(-1)?.explain?.statements ?? [];
      console.log('\n| ms | statement (365 days, last run) |\n|---:|---|');
      for (const { ms, sql: text } of [...statements].sort((a, b) => b.ms - a.ms)) {
        console.log(`| ${ms.toFixed(1)} | ${text.replace(/\s+/g, ' ').slice(0, 160)} |`);
      }
    }
    // --answers <file>: both pages' data, to compare the answers of two versions.
    if (values.answers) {
      const answers = Object.fromEntries(cases.slice(0, 2).map((c) => [c.label, measured.get(c.label)?.[0]?.data]));
      writeFileSync(values.answers, `${JSON.stringify(answers, null, 1)}\n`);
    }
    await gateway.stop();
  } finally {
    await cache.close();
    await database.close();
  }
}

runBench(main);
