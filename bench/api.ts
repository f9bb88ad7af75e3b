/**
 * `npm run bench:api`: how much does Soldgraph cost, per request, for the dashboard's busiest
 * query, against the least a server could do? The query is the Products page: a page of N
 * products of one marketplace, each with its marketplace, three images, ten sales and a
 * 90-day sales summary. Four servers answer it under the same load (autocannon, 20
 * connections, a fixed duration per cell, N = 20 and 50):
 *
 * - raw: bench/raw-server.ts, `node:http` + `pg` running one hand-written statement that builds
 *   the whole JSON answer in PostgreSQL; the floor;
 * - soldgraph uncached: the real gateway process, every request sent with
 *   `cache-control: no-store` so it bypasses the response cache;
 * - soldgraph cached (warm): the same process and query without that header;
 * - soldgraph cached during churn: as above while one child process ingests a few listings
 *   of the benchmarked marketplace with `npm run ingest`, again and again; each committed run
 *   purges the marketplace's cached answers.
 *
 * Before timing, raw's and Soldgraph's `data` must be equal field by field (exit 1 with the
 * differences otherwise). Three rounds rotate the order of the first three servers, each cell
 * warmed up first; the churn phase runs once per N after them. Reports per N the medians over
 * rounds: requests per second, p50/p99 latency, the ratio to raw, SQL statements per request
 * (the `x-sql-statements` header of every answer) and each server process's CPU per request
 * (utime + stime from /proc: the Node process only, PostgreSQL's CPU is not in it). Exits 0
 * when it ran: it reports, it asserts no target.
 *
 * Needs PostgreSQL, and Redis for the churn phase's purges to reach the gateway:
 * `DATABASE_URL=postgres://postgres@127.0.0.1:5432/soldgraph_bench REDIS_URL=redis://127.0.0.1:6379 npm run bench:api`
 * (an empty database is seeded with the default demo data first; BENCH_SECONDS sets the
 * duration of a cell, default 10). For the large demo data (100,000 listings), seed the
 * database before: `DATABASE_URL=... npm run db:seed -- --size large` (a few minutes; `--reset`
 * empties a seeded one first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { parseEnv } from '../lib/env';
import { benchmarkedPage, PRODUCTS_PAGE, type Variables } from './products-page';
import {
  benchSeconds,
  CLOCK_TICKS_PER_SECOND,
  cpuTicks,
  percentile,
  ROOT,
  rotate,
  spawnChild,
  startGateway,
  startScript,
  runBench,
} from './support';

const CONNECTIONS = 20;
const PAGE_SIZES = [20, 50] as const;
const ROUNDS = 3;
const WARMUP_REQUESTS = 300;

/** A server under test: where to send the query, with which headers, and whose CPU to read. */
type Target = { name: string; url: string; pid: number; headers: Record<string, string> };

/** What one timed cell measured. */
type Cell = {
  rps: number;
  p50: number;
  p99: number;
  /** Answers that were not a 200 without GraphQL errors, plus connection errors and timeouts. */
  failed: number;
  sqlPerRequest: number;
  cpuMsPerRequest: number;
  /** `extensions.cache.status` of every answer, `none` when absent. */
  cacheStatuses: Map<string, number>;
};

/** What the bench reads from every answer of a cell; autocannon itself keeps only timings. */
type Tally = { answers: number; failed: number; sqlStatements: number; cacheStatuses: Map<string, number> };

/**
 * One child process for the whole churn phase: bash rewrites three listings of $MARKETPLACE
 * with a price taken from the clock (so every run changes them, commits and purges) and
 * ingests them with `npm run ingest`, again and again, saying how each ingest exited. On
 * SIGTERM it finishes the ingest in flight first: bash runs a trap only between commands.
 */
const CHURN_LOOP = `
trap 'exit 0' TERM
while :; do
  price=$(( $(date +%s) % 900 + 100 ))
  {
    echo marketplace,external_id,title,price,observed_at
    for n in 1 2 3; do
      echo "$MARKETPLACE,soldgraph-bench-api-$n,Bench churn listing $n,$price,$(date -u +%FT%T.%3NZ)"
    done
  } > "$CHURN_FILE"
  npm run --silent ingest -- file --path "$CHURN_FILE"
  echo "ingest exited with $?"
done`;

function requestBody(variables: Variables): string {
  return JSON.stringify({ query: PRODUCTS_PAGE, variables });
}

/** Counts what an answer says beyond its timing: failure, SQL statements, cache status. */
function tallyAnswer(tally: Tally) {
  return (status: number, body: string, _context: object, headers?: IncomingHttpHeaders) => {
    tally.answers += 1;
    // A key `"errors":` can only be GraphQL's: inside a string its quotes would be escaped.
    if (status !== 200 || body.includes('"errors":')) tally.failed += 1;
    tally.sqlStatements += Number(headers?.['x-sql-statements'] ?? NaN);
    const cacheStatus = /"cache":\{[^{}]*"status":"(\w+)"/.exec(body)?.[1] ?? 'none';
    tally.cacheStatuses.set(cacheStatus, (tally.cacheStatuses.get(cacheStatus) ?? 0) + 1);
  };
}

/** A few hundred requests, not measured: connections, plans, JIT and (for cached) the cache. */
async function warmUp(target: Target, variables: Variables): Promise<void> {
  await autocannon({
    url: `${target.url}/graphql`,
    connections: CONNECTIONS,
    amount: WARMUP_REQUESTS,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: requestBody(variables),
  });
}

/** Loads `target` with CONNECTIONS connections for `seconds` and measures it. */
async function measure(target: Target, variables: Variables, seconds: number): Promise<Cell> {
  const tally: Tally = { answers: 0, failed: 0, sqlStatements: 0, cacheStatuses: new Map() };
  const cpuBefore = cpuTicks(target.pid).own;
  const result = await autocannon({
    url: `${target.url}/graphql`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: requestBody(variables),
    requests: [{ onResponse: tallyAnswer(tally) }],
  });
  const cpuTicksUsed = cpuTicks(target.pid).own - cpuBefore;
  const requests = result.requests.total;
  return {
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: tally.failed + result.errors,
    sqlPerRequest: tally.sqlStatements / tally.answers,
    cpuMsPerRequest: ((cpuTicksUsed / CLOCK_TICKS_PER_SECOND) * 1000) / requests,
    cacheStatuses: tally.cacheStatuses,
  };
}

/** The answer of one plain request, parsed. */
async function answerOf(target: Target, variables: Variables): Promise<{ data?: unknown; errors?: unknown }> {
  const response = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: requestBody(variables),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where two answers differ, as `path: raw …, soldgraph …` lines; the first 20 at most. */
function differences(raw: unknown, soldgraph: unknown, at = 'data', found: string[] = []): string[] {
  if (found.length >= 20) return found;
  if (Array.isArray(raw) && Array.isArray(soldgraph)) {
    if (raw.length !== soldgraph.length)
      found.push(`${at}: ${raw.length} items from raw, ${soldgraph.length} from soldgraph`);
    for (let i = 0; i < Math.min(raw.length, soldgraph.length); i += 1)
      differences(raw[i], soldgraph[i], `${at}[${i}]`, found);
  } else if (isRecord(raw) && isRecord(soldgraph)) {
    for (const key of new Set([...Object.keys(raw), ...Object.keys(soldgraph)])) {
      differences(raw[key], soldgraph[key], `${at}.${key}`, found);
    }
  } else if (!isDeepStrictEqual(raw, soldgraph)) {
    found.push(`${at}: raw ${JSON.stringify(raw)}, soldgraph ${JSON.stringify(soldgraph)}`);
  }
  return found;
}

/** Throws unless each of `soldgraph` answers with raw's `data`, field by field. */
async function checkSameAnswers(raw: Target, soldgraph: Target[], variables: Variables): Promise<void> {
  const expected = await answerOf(raw, variables);
  for (const target of soldgraph) {
    const answer = await answerOf(target, variables);
    if (answer.errors) throw new Error(`${target.name} answered with errors: ${JSON.stringify(answer.errors)}`);
    const found = differences(expected.data, answer.data);
    if (found.length > 0) {
      throw new Error(
        `raw and ${target.name} answer differently for ${JSON.stringify(variables)}:\n  ${found.join('\n  ')}`,
      );
    }
  }
}

/** What the churn loop had done by some moment. */
type ChurnProgress = { committed: number; failed: number; cpuSeconds: number };

/**
 * Starts the churn loop. `firstRun` settles when its first ingest has ended (or the loop
 * did), so a phase can start with the loop running; `progress` counts what it did so far;
 * `stop` ends it after the ingest in flight and returns that count and the loop's output.
 */
function startChurn(marketplace: string, file: string) {
  const child = spawnChild('bash', ['-c', CHURN_LOOP], {
    cwd: ROOT,
    env: { ...process.env, MARKETPLACE: marketplace, CHURN_FILE: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const count = (line: RegExp) => (output.match(line) ?? []).length;
  const progress = (): ChurnProgress => ({
    // The CLI's summary comes right after the commit and purge; its exit, once it has closed up.
    committed: count(/^file: run \d+ SUCCEEDED/gm),
    failed: count(/^ingest exited with [1-9]\d*$/gm),
    // NaN once the loop is gone (it only ends by itself when bash cannot run it).
    cpuSeconds: child.exitCode === null ? cpuTicks(child.pid ?? 0).children / CLOCK_TICKS_PER_SECOND : NaN,
  });
  const firstRun = new Promise<void>((resolve) => {
    child.stdout?.on('data', () => {
      if (count(/^ingest exited with \d+$/gm) > 0) resolve();
    });
    void exited.then(resolve);
  });
  return {
    firstRun,
    progress,
    async stop(): Promise<ChurnProgress & { output: string }> {
      const last = progress();
      child.kill('SIGTERM');
      await exited;
      return { ...last, output };
    },
  };
}

/** A cell of the cached server while the churn loop runs, and what the loop did meanwhile. */
type ChurnCell = { cell: Cell; ingests: ChurnProgress; output: string };

/** Each server's cells, one per round, the order of the servers rotating from round to round. */
async function measureRounds(targets: Target[], variables: Variables, seconds: number): Promise<Map<Target, Cell[]>> {
  const cells = new Map<Target, Cell[]>(targets.map((target) => [target, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const target of rotate(targets, round)) {
      console.error(`[bench:api] N = ${variables.first}, round ${round + 1}/${ROUNDS}: ${target.name}`);
      await warmUp(target, variables);
      cells.get(target)?.push(await measure(target, variables, seconds));
    }
  }
  return cells;
}

/**
 * One cell of the cached server while the churn loop runs. Timed from the end of the loop's
 * first ingest on, so ingests and their purges span the whole cell.
 */
async function measureDuringChurn(
  cached: Target,
  variables: Variables,
  seconds: number,
  file: string,
): Promise<ChurnCell> {
  console.error(`[bench:api] N = ${variables.first}: ${cached.name} during churn (after a first ingest)`);
  await warmUp(cached, variables);
  const churn = startChurn(variables.marketplace, file);
  await churn.firstRun;
  const before = churn.progress();
  const cell = await measure(cached, variables, seconds);
  const { output, ...after } = await churn.stop();
  const ingests = {
    committed: after.committed - before.committed,
    failed: after.failed - before.failed,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
  };
  return { cell, ingests, output };
}

const formatStatuses = (statuses: Map<string, number>) =>
  [...statuses].map(([status, count]) => `${status} ${count.toLocaleString('en')}`).join(', ');

/** Adds up the cache statuses of several cells. */
function sumStatuses(cells: Cell[]): Map<string, number> {
  const sum = new Map<string, number>();
  for (const cell of cells) for (const [status, n] of cell.cacheStatuses) sum.set(status, (sum.get(status) ?? 0) + n);
  return sum;
}

/** One table row from the cells of one server: medians over its rounds. */
function row(label: string, cells: Cell[], rawRps: number): string {
  const median = (pick: (cell: Cell) => number) => percentile(cells.map(pick), 50);
  const rps = median((cell) => cell.rps);
  return `| ${label} | ${rps.toFixed(0)} | ${median((cell) => cell.p50).toFixed(0)} | ${median((cell) => cell.p99).toFixed(0)} | ${(rps / rawRps).toFixed(2)}x | ${median((cell) => cell.sqlPerRequest).toFixed(1)} | ${median((cell) => cell.cpuMsPerRequest).toFixed(2)} |`;
}

/** Prints the table of one page size and what the answers said; returns how many failed. */
function printResults(first: number, seconds: number, rounds: Map<Target, Cell[]>, churn: ChurnCell): number {
  const [rawCells = [], ...soldgraph] = [...rounds.values()];
  const rawRps = percentile(
    rawCells.map((cell) => cell.rps),
    50,
  );
  console.log(`\n### N = ${first}: medians of ${ROUNDS} rounds of ${seconds} s, ${CONNECTIONS} connections\n`);
  console.log('| server | rps | p50 ms | p99 ms | ratio to raw rps | SQL per request | Node CPU ms per request |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [target, cells] of rounds) console.log(row(target.name, cells, rawRps));
  const { committed, failed, cpuSeconds } = churn.ingests;
  console.log(row(`soldgraph cached during churn (1 run, ${committed} ingests)`, [churn.cell], rawRps));
  console.log('');
  for (const [target, cells] of [...rounds].slice(1)) {
    console.log(`cache status, ${target.name}: ${formatStatuses(sumStatuses(cells))}`);
  }
  console.log(`cache status, during churn: ${formatStatuses(churn.cell.cacheStatuses)}`);
  console.log(
    `churn: ${committed} ingests committed and ${failed} failed during the cell; those that ended in it took ` +
      `${cpuSeconds.toFixed(1)} s of CPU (${((cpuSeconds / seconds) * 100).toFixed(0)}% of one core)`,
  );
  if (committed === 0) console.log(`churn: no ingest committed; the loop's output:\n${churn.output.slice(-2_000)}`);
  return [...rawCells, ...soldgraph.flat(), churn.cell].reduce((n, cell) => n + cell.failed, 0);
}

async function main() {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database (it is seeded when empty)');
  const seconds = benchSeconds();
  const load = os.loadavg().map((n) => n.toFixed(2));
  console.log(`machine: ${os.cpus().length} cores, load average at start ${load.join(' ')} (1, 5, 15 min)`);

  console.error('[bench:api] starting the gateway (seeding an empty database first) and the raw server');
  const gateway = await startGateway({
    ...process.env,
    AUTH_MODE: 'open',
    // Open mode runs as admin, limited to 600 requests a minute and 4 statements at once per
    // caller; the bench is one caller standing for many dashboard users. Lifted so the gateway
    // gets the pool the raw server gets.
    ROLE_POLICIES: JSON.stringify({ admin: { requestsPerMinute: 1e9, concurrency: env.DATABASE_POOL_MAX } }),
  });
  const raw = await startScript('bench/raw-server.ts', process.env, /Raw server:\s+(http:\/\/\S+)\/graphql/);
  const page = await benchmarkedPage(env.DATABASE_URL);
  const gatewayPid = gateway.child.pid ?? 0;
  const targets: Target[] = [
    { name: 'raw', url: raw.url, pid: raw.child.pid ?? 0, headers: {} },
    { name: 'soldgraph uncached', url: gateway.url, pid: gatewayPid, headers: { 'cache-control': 'no-store' } },
    { name: 'soldgraph cached (warm)', url: gateway.url, pid: gatewayPid, headers: {} },
  ];
  const [rawTarget, uncachedTarget, cachedTarget] = targets as [Target, Target, Target];
  const variablesFor = (first: number): Variables => ({
    first,
    marketplace: page.marketplace,
    soldFrom: page.soldFrom,
  });

  for (const first of PAGE_SIZES) {
    // The cached variant twice: the second answer may come from the cache.
    await checkSameAnswers(rawTarget, [uncachedTarget, cachedTarget, cachedTarget], variablesFor(first));
  }
  console.log(
    `marketplace ${page.marketplace} (${page.products} products), sales summaries from ${page.soldFrom}; ` +
      `raw and soldgraph answer the same data for N = ${PAGE_SIZES.join(' and ')}`,
  );
  if (!env.REDIS_URL) console.log("no REDIS_URL: the churn phase's ingests cannot purge the gateway's in-memory cache");

  const dir = mkdtempSync(path.join(os.tmpdir(), 'soldgraph-bench-api-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  let failed = 0;
  for (const first of PAGE_SIZES) {
    const rounds = await measureRounds(targets, variablesFor(first), seconds);
    const churn = await measureDuringChurn(cachedTarget, variablesFor(first), seconds, path.join(dir, 'listings.csv'));
    failed += printResults(first, seconds, rounds, churn);
  }
  // Refused or failed answers are cheap: timings that include them measure the wrong thing.
  if (failed > 0) {
    console.log(`\n${failed} answers failed (non-200, GraphQL errors, connection errors): the figures are not valid`);
    process.exitCode = 1;
  }
}

runBench(main);
