/**
 * `npm run bench:abuse`: does one client's abuse slow the others? A well-behaved dashboard
 * client runs the Products page (its persisted operation, by hash) alone, then again while 20
 * connections, each with an analyst key of its own, send the most expensive operations the
 * limits still accept as fast as the rate limit lets them. The gateway is a real process in
 * production mode (`NODE_ENV=production`, API keys required). Every request bypasses the
 * response cache (`Cache-Control: no-store`): this measures the computed path.
 *
 * Reports the victim's p50/p99 in both runs and their ratio, its errors, what the abusers got,
 * the gateway's peak RSS and the slowest answer against its deadline; exits 1 if a target is
 * missed: victim p99 at most 2x quiet, 0 victim errors, RSS under 1 GB, every answer within
 * its deadline plus 1 s, the process still running.
 *
 * Needs PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/soldgraph_bench npm run bench:abuse`
 * (an empty database is seeded with the default demo data first). REDIS_URL is passed on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from '../lib/env';
import { openDatabase } from '../db/client';
import { createApiKey, revokeApiKey } from '../data/api-keys';
import { DEFAULT_POLICIES } from '../gateway/policy';
import { percentile, ROOT, startGateway } from './support';

const ABUSERS = 20;
const VICTIM_WARMUP = 20;
const VICTIM_REQUESTS = 300;
const RSS_LIMIT_BYTES = 1024 ** 3;

type Timed = { ms: number; status: number; code?: string };

/** The parts of a GraphQL answer the bench reads. */
type Reply = {
  data?: { sales?: { nodes: { soldAt: string }[] } } | null;
  errors?: { extensions?: { code?: string } }[];
  extensions?: { cost?: { estimated: number } };
};
type Answer = Timed & { json: Reply; retryAfter?: string };

/** The process's resident set size, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}, parse = true): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  // The victim is timed in this process too: parsing every abuser's 800 kB answer here would
  // block its timer and be counted against the gateway. Answers without errors are not read.
  const json = (parse || text.includes('"errors"') ? JSON.parse(text) : {}) as Reply;
  const retryAfter = response.headers.get('retry-after');
  return {
    ms,
    status: response.status,
    code: json.errors?.[0]?.extensions?.code,
    json,
    ...(retryAfter && { retryAfter }),
  };
}

/** The most expensive operations an analyst's limits accept (depth, aliases and cost). */
function abuserOperations(from: string, to: string) {
  const window = { from, to };
  return [
    {
      // Every marketplace's leaf category, every month, 990 days: about the biggest aggregation the limits take.
      query: `query AbuseDailyByCategory($from: DateTime!, $to: DateTime!) {
        salesStats(from: $from, to: $to, interval: MONTH, groupBy: [MARKETPLACE_CATEGORY], first: 10000) {
          totalCount nodes { periodStart category { id name } units revenue { amount } medianPrice { amount } } } }`,
      variables: window,
    },
    {
      // Fan-out: a hundred products, each with a hundred sales, images and a summary.
      query: `query AbuseTopProducts($from: DateTime!, $to: DateTime!) {
        topProducts(first: 100, from: $from, to: $to) { units product { title
          sales(first: 100) { totalCount nodes { id soldAt price { amount } } }
          images(first: 10) { url } salesSummary(from: $from, to: $to) { units revenue { amount } } } } }`,
      variables: window,
    },
    {
      // Unindexed-looking scans: a word search, counted, with per-product statistics.
      query: `query AbuseSearch($from: DateTime!, $to: DateTime!) {
        a: products(first: 100, filter: { search: "e" }) { totalCount nodes { title
          salesSummary(from: $from, to: $to) { units revenue { amount } } sales(first: 50) { nodes { id } } } }
        b: products(first: 100, filter: { soldAt: { from: $from, to: $to } }, orderBy: { field: PRICE, direction: DESC }) {
          totalCount nodes { title priceHistory(interval: WEEK, from: $from, to: $to) { units } } } }`,
      variables: window,
    },
  ];
}

async function main() {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database (it is seeded when empty)');
  const gateway = await startGateway(process.env);
  const pid = gateway.child.pid ?? 0;
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: 'memory://', poolMax: 2 });
  const keys = await Promise.all(
    Array.from({ length: ABUSERS }, (_, i) => createApiKey(database.db, { name: `bench:abuse ${i}`, role: 'analyst' })),
  );
  let peakRss = rssOf(pid);
  const sampler = setInterval(() => {
    if (gateway.child.exitCode === null) peakRss = Math.max(peakRss, rssOf(pid));
  }, 100);

  try {
    // Everyone here computes every answer: an abuser would vary its variables to get past the
    // response cache, and the victim's worst case is a page no one has asked for yet.
    const computed = { 'cache-control': 'no-store' };
    const bearer = (i: number) => ({ authorization: `Bearer ${keys[i % keys.length]?.key}`, ...computed });
    const anchor = await post(
      gateway.url,
      { query: '{ sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) { nodes { soldAt } } }' },
      bearer(0),
    );
    const latest = anchor.json.data?.sales?.nodes[0]?.soldAt;
    if (!latest) throw new Error(`no sales to anchor the periods on: ${JSON.stringify(anchor.json)}`);
    const to = new Date(latest);
    const day = 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString();

    // The victim: the dashboard's Products page, by hash only, as web/ sends it.
    const documents = JSON.parse(readFileSync(path.join(ROOT, 'web/__generated__/persisted-documents.json'), 'utf8'));
    const hash = Object.entries(documents as Record<string, string>)
      .find(([, document]) => /query ProductsPage\b/.test(document))?.[0]
      ?.replace(/^sha256:/, '');
    if (!hash) throw new Error('ProductsPage is not among the persisted documents; run npm run codegen');
    const victimRequest = {
      operationName: 'ProductsPage',
      variables: {
        first: 24,
        filter: { status: ['ACTIVE'] },
        brandsFrom: iso(to.getTime() - 90 * day),
        brandsTo: iso(to.getTime()),
        soldFrom: iso(to.getTime() - 90 * day),
      },
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    };
    const victim = async (count: number) => {
      const answers: Timed[] = [];
      for (let i = 0; i < count; i += 1) {
        const { ms, status, code, json } = await post(gateway.url, victimRequest, computed);
        answers.push({ ms, status, code: code ?? (json.data ? undefined : 'NO_DATA') });
      }
      return answers;
    };

    // Each abuse operation must be accepted as it is: it is the worst the limits allow.
    const operations = abuserOperations(iso(to.getTime() - 990 * day), iso(to.getTime()));
    const costs: number[] = [];
    for (const operation of operations) {
      const answer = await post(gateway.url, operation, bearer(0));
      if (answer.json.errors) throw new Error(`an abuse operation was refused: ${JSON.stringify(answer.json.errors)}`);
      costs.push(answer.json.extensions?.cost?.estimated ?? NaN);
    }

    const progress = (what: string) => console.error(`[bench:abuse] ${what}`);
    progress(`abuse operations accepted; the victim runs alone (${VICTIM_REQUESTS} requests)`);
    await victim(VICTIM_WARMUP);
    const quiet = await victim(VICTIM_REQUESTS);
    progress(`the victim runs again beside ${ABUSERS} abusers`);

    let abusing = true;
    const abuserAnswers: Timed[] = [];
    const abusers = Array.from({ length: ABUSERS }, async (_, i) => {
      for (let n = i; abusing; n += 1) {
        const answer = await post(gateway.url, operations[n % operations.length], bearer(i), false).catch(
          (error: Error): Answer => ({ ms: 0, status: 0, code: `NETWORK: ${error.message}`, json: {} }),
        );
        abuserAnswers.push({ ms: answer.ms, status: answer.status, code: answer.code });
        // The rate limit is a limit: an abuser sends again as soon as it may.
        const retryAfter = Number(answer.retryAfter ?? 0);
        if (answer.status === 429) await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      }
    });
    // Let the abuse reach its full weight (every connection has one operation in flight).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const underAbuse = await victim(VICTIM_REQUESTS);
    abusing = false;
    progress('waiting for the abusers to finish their last operations');
    await Promise.all(abusers);

    const summary = (answers: Timed[]) => ({
      p50: percentile(
        answers.map((a) => a.ms),
        50,
      ),
      p99: percentile(
        answers.map((a) => a.ms),
        99,
      ),
      errors: answers.filter((a) => a.status !== 200 || a.code !== undefined).length,
    });
    const q = summary(quiet);
    const a = summary(underAbuse);
    const outcomes = new Map<string, number>();
    for (const answer of abuserAnswers) {
      const key = answer.code ?? `ok ${answer.status}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const slowestVictim = Math.max(...quiet.concat(underAbuse).map((answer) => answer.ms));
    const slowestAbuser = Math.max(...abuserAnswers.map((answer) => answer.ms));
    const alive = gateway.child.exitCode === null;
    const targets = [
      [`victim p99 under abuse <= 2x quiet (${(a.p99 / q.p99).toFixed(2)}x)`, a.p99 <= 2 * q.p99],
      [`victim errors = 0 (${a.errors + q.errors})`, a.errors + q.errors === 0],
      [`gateway RSS < 1 GB (peak ${(peakRss / 1024 ** 2).toFixed(0)} MB)`, peakRss < RSS_LIMIT_BYTES],
      [
        `victim answers within 10 s + 1 s (slowest ${(slowestVictim / 1000).toFixed(2)} s)`,
        slowestVictim <= DEFAULT_POLICIES.dashboard.deadlineMs + 1_000,
      ],
      [
        `abuser answers within 30 s + 1 s (slowest ${(slowestAbuser / 1000).toFixed(2)} s)`,
        slowestAbuser <= DEFAULT_POLICIES.analyst.deadlineMs + 1_000,
      ],
      ['the gateway process is still running', alive],
    ] as const;

    console.log(
      `\nbench:abuse — ${ABUSERS} abuser connections (analyst keys), victim: ProductsPage (dashboard, by hash)`,
    );
    console.log(`abuse operations' estimated cost: ${costs.join(', ')} (analyst budget 50,000)\n`);
    console.log('| victim run | requests | p50 ms | p99 ms | errors |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| quiet | ${quiet.length} | ${q.p50.toFixed(1)} | ${q.p99.toFixed(1)} | ${q.errors} |`);
    console.log(`| under abuse | ${underAbuse.length} | ${a.p50.toFixed(1)} | ${a.p99.toFixed(1)} | ${a.errors} |`);
    console.log(`| ratio | | ${(a.p50 / q.p50).toFixed(2)}x | ${(a.p99 / q.p99).toFixed(2)}x | |`);
    console.log(
      `\nabusers: ${abuserAnswers.length} answers: ${[...outcomes].map(([code, n]) => `${code} ${n}`).join(', ')}`,
    );
    console.log('');
    for (const [target, met] of targets) console.log(`${met ? 'met ' : 'MISSED'}  ${target}`);
    if (targets.some(([, met]) => !met)) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    for (const key of keys) await revokeApiKey(database.db, key.id);
    await database.close();
    gateway.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
