/**
 * `npm run bench:scale`: how throughput grows with gateway processes behind one port
 * (GATEWAY_PROCESSES, node:cluster). Three gateways run at once on the same database, with 1,
 * 2 and 3 processes, in production mode; each is loaded in turn with autocannon (20
 * connections, a fixed duration per cell, three rounds rotating the order, medians) with two
 * questions, both computed on every request (`cache-control: no-store`):
 *
 * - dashboard: the Products page of 20 products (bench/products-page.ts);
 * - analyst: monthly units, revenue and median price by top-level category over a year.
 *
 * Reports requests per second, p50/p99, the scaling factor against one process, and CPU per
 * request of the gateway's processes and of PostgreSQL's (all `postgres` processes, from
 * /proc). On a 2-core machine PostgreSQL and the load generator share the cores with the
 * gateway, so the factor is bounded by the cores, not by the gateway: the CPU columns show
 * where the time goes. Exits 1 if any answer failed.
 *
 * Needs PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/soldgraph_bench npm run bench:scale`
 * (an empty database is seeded with the default demo data first). REDIS_URL is passed on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { parseEnv } from '../lib/env';
import { benchmarkedPage, PRODUCTS_PAGE } from './products-page';
import {
  benchSeconds,
  CLOCK_TICKS_PER_SECOND,
  cpuTicks,
  percentile,
  rotate,
  type Started,
  startGateway,
  runBench,
  treeCpuTicks,
} from './support';

const CONNECTIONS = 20;
const ROUNDS = 3;
const WARMUP_REQUESTS = 200;
const PROCESS_COUNTS = [1, 2, 3] as const;

const ANALYST_QUESTION = `query BenchScaleAnalyst($from: DateTime!, $to: DateTime!) {
  salesStats(from: $from, to: $to, interval: MONTH, groupBy: [CATEGORY], categoryLevel: 0, first: 500) {
    nodes { periodStart canonicalCategory { name } units revenue { amount currency } medianPrice { amount } }
  }
}`;

type Question = { name: string; body: string };
type Cell = { rps: number; p50: number; p99: number; failed: number; gatewayCpuMs: number; postgresCpuMs: number };

/** CPU ticks of every PostgreSQL server process on this machine (/proc, Linux). */
function postgresCpuTicks(): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      ticks += cpuTicks(Number(entry)).own;
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

const toMs = (ticks: number) => (ticks / CLOCK_TICKS_PER_SECOND) * 1000;

async function measure(gateway: Started, question: Question, seconds: number): Promise<Cell> {
  const options = {
    url: `${gateway.url}/graphql`,
    connections: CONNECTIONS,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: question.body,
  };
  await autocannon({ ...options, amount: WARMUP_REQUESTS });
  let failed = 0;
  const gatewayBefore = treeCpuTicks(gateway.child.pid ?? 0);
  const postgresBefore = postgresCpuTicks();
  const result = await autocannon({
    ...options,
    duration: seconds,
    requests: [
      {
        onResponse: (status: number, body: string) => {
          if (status !== 200 || body.includes('"errors":')) failed += 1;
        },
      },
    ],
  });
  const requests = result.requests.total;
  return {
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: failed + result.errors + result.timeouts,
    gatewayCpuMs: toMs(treeCpuTicks(gateway.child.pid ?? 0) - gatewayBefore) / requests,
    postgresCpuMs: toMs(postgresCpuTicks() - postgresBefore) / requests,
  };
}

async function main() {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database (it is seeded when empty)');
  const seconds = benchSeconds();
  console.log(
    `machine: ${os.cpus().length} cores, load average at start ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );

  const gateways = new Map<number, Started>();
  for (const processes of PROCESS_COUNTS) {
    // One after another: the first seeds an empty database, the others find it seeded.
    console.error(`[bench:scale] starting a gateway with ${processes} process(es)`);
    gateways.set(
      processes,
      await startGateway({
        ...process.env,
        GATEWAY_PROCESSES: String(processes),
        AUTH_MODE: 'open',
        // Open mode runs as admin: one caller here stands for many users, so its rate and
        // concurrency limits are lifted (as in bench:api).
        ROLE_POLICIES: JSON.stringify({ admin: { requestsPerMinute: 1e9, concurrency: env.DATABASE_POOL_MAX } }),
      }),
    );
  }
  const page = await benchmarkedPage(env.DATABASE_URL);
  const to = new Date(Date.parse(page.soldFrom) + 90 * 86_400_000);
  const questions: Question[] = [
    {
      name: 'dashboard (Products page, 20 products)',
      body: JSON.stringify({
        query: PRODUCTS_PAGE,
        variables: { first: 20, marketplace: page.marketplace, soldFrom: page.soldFrom },
      }),
    },
    {
      name: 'analyst (a year of monthly sales by category)',
      body: JSON.stringify({
        query: ANALYST_QUESTION,
        variables: { from: new Date(to.getTime() - 365 * 86_400_000).toISOString(), to: to.toISOString() },
      }),
    },
  ];

  let failed = 0;
  for (const question of questions) {
    const cells = new Map<number, Cell[]>(PROCESS_COUNTS.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const processes of rotate(PROCESS_COUNTS, round)) {
        console.error(`[bench:scale] ${question.name}, round ${round + 1}/${ROUNDS}: ${processes} process(es)`);
        const gateway = gateways.get(processes);
        if (gateway) cells.get(processes)?.push(await measure(gateway, question, seconds));
      }
    }
    const median = (list: Cell[], pick: (cell: Cell) => number) => percentile(list.map(pick), 50);
    const base = median(cells.get(1) ?? [], (cell) => cell.rps);
    console.log(`\n### ${question.name}: medians of ${ROUNDS} rounds of ${seconds} s, ${CONNECTIONS} connections\n`);
    console.log('| processes | rps | scaling | p50 ms | p99 ms | gateway CPU ms/req | PostgreSQL CPU ms/req |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const [processes, list] of cells) {
      const rps = median(list, (cell) => cell.rps);
      console.log(
        `| ${processes} | ${rps.toFixed(0)} | ${(rps / base).toFixed(2)}x | ${median(list, (c) => c.p50).toFixed(0)} | ` +
          `${median(list, (c) => c.p99).toFixed(0)} | ${median(list, (c) => c.gatewayCpuMs).toFixed(2)} | ` +
          `${median(list, (c) => c.postgresCpuMs).toFixed(2)} |`,
      );
      failed += list.reduce((n, cell) => n + cell.failed, 0);
    }
  }
  if (failed > 0) {
    console.log(`\n${failed} answers failed (non-200, GraphQL errors, connection errors): the figures are not valid`);
    process.exitCode = 1;
  }
}

runBench(main);
