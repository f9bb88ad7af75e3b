/**
 * `npm run bench:profile`: where does the gateway's CPU go on the dashboard's busiest query,
 * uncached? Starts the gateway in production mode under `node --cpu-prof`, sends the Products
 * page of bench/products-page.ts (N = 20, `Cache-Control: no-store`) from 20 connections for
 * PROFILE_SECONDS (15), stops it so Node writes the profile, and prints self time grouped by
 * where the code lives (a package, node's own code, the garbage collector, this project's
 * folders) as a share of all samples and as milliseconds per request, then the 15 hottest
 * functions. The profile itself (a .cpuprofile for Chrome DevTools) is kept in a temporary
 * directory whose path is printed; nothing is written to the repository.
 *
 * Needs PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/soldgraph_bench REDIS_URL=redis://127.0.0.1:6379 npm run bench:profile`
 * (PAGE_SIZE sets N).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { parseEnv } from '../lib/env';
import { benchmarkedPage, PRODUCTS_PAGE } from './products-page';
import { ROOT, startGateway, stopChildren } from './support';

/** The parts of a V8 CPU profile this script reads; times in microseconds of the monotonic clock. */
type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};

/** Where a function's code lives: `pkg:<name>`, node's internals, V8's pseudo-frames, or a project folder. */
function placeOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(idle)' || functionName === '(program)') return functionName;
    return 'V8 builtins';
  }
  if (url.startsWith('node:')) return 'node core';
  const packages = /node_modules\/((?:@[^/]+\/)?[^/]+)/g;
  let last: string | undefined;
  for (let match = packages.exec(url); match; match = packages.exec(url)) last = match[1];
  if (last) return last;
  const file = url.replace(/^file:\/\//, '');
  if (file.startsWith(ROOT)) return `soldgraph ${path.relative(ROOT, file).split(path.sep)[0]}/`;
  return 'other';
}

/**
 * Self time of the samples taken in `[fromUs, toUs)` (the timed load, not start-up or warm-up),
 * by place and by function, as a table of shares and milliseconds per request.
 */
function summarize(profile: CpuProfile, window: { fromUs: number; toUs: number }, requests: number): void {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const frame = frames.get(id);
    if (at < window.fromUs || at >= window.toUs || !frame || frame.functionName === '(idle)') return;
    busyUs += delta;
    const place = placeOf(frame.url, frame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + delta);
    const name = `${frame.functionName || '(anonymous)'} (${place}${frame.url ? `:${frame.lineNumber + 1}` : ''})`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
  });
  const row = ([name, us]: [string, number]) =>
    `| ${name} | ${((us / busyUs) * 100).toFixed(1)}% | ${(us / 1000 / requests).toFixed(3)} |`;
  const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(
    `\nbusy CPU ${(busyUs / 1000).toFixed(0)} ms for ${requests} requests: ${(busyUs / 1000 / requests).toFixed(2)} ms per request\n`,
  );
  console.log('| where (self time) | share | ms/request |\n|---|---:|---:|');
  for (const entry of top(byPlace, 25)) console.log(row(entry));
  console.log('\n| hottest functions (self time) | share | ms/request |\n|---|---:|---:|');
  for (const entry of top(byFunction, 15)) console.log(row(entry));
}

async function main() {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database (it is seeded when empty)');
  const seconds = Number(process.env.PROFILE_SECONDS ?? 15);
  const first = Number(process.env.PAGE_SIZE ?? 20);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'soldgraph-profile-'));
  const gateway = await startGateway(
    {
      ...process.env,
      AUTH_MODE: 'open',
      ROLE_POLICIES: JSON.stringify({ admin: { requestsPerMinute: 1e9, concurrency: env.DATABASE_POOL_MAX } }),
    },
    ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  );
  const page = await benchmarkedPage(env.DATABASE_URL);
  const body = JSON.stringify({
    query: PRODUCTS_PAGE,
    variables: { first, marketplace: page.marketplace, soldFrom: page.soldFrom },
  });
  const load = (duration: number) =>
    autocannon({
      url: `${gateway.url}/graphql`,
      method: 'POST',
      connections: 20,
      duration,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body,
    });
  await load(2); // warm up: the JIT and the connection pool
  // The profile's clock is the monotonic clock process.hrtime reads, in every process (Linux).
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const result = await load(seconds);
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
  gateway.child.kill('SIGTERM');
  await exited;
  // One profile per thread; the main thread's is the largest by far.
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0];
  if (!file) throw new Error(`the gateway wrote no profile into ${dir}`);
  console.log(
    `${result.requests.total} requests in ${seconds} s (${Math.round(result.requests.average)} rps, ` +
      `${result.non2xx} non-2xx), N = ${first}, marketplace ${page.marketplace}; profile: ${path.join(dir, file)}`,
  );
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  summarize(profile, { fromUs, toUs }, result.requests.total);
}

process.on('exit', stopChildren);
main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(stopChildren);
