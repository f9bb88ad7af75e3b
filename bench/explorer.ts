/**
 * `npm run bench:explorer`: how long GraphiQL takes, from navigation start, to an editor that
 * takes input and to a loaded schema, on a first visit (a fresh browser context: empty HTTP
 * and code caches) and on a repeat visit (the same context, reloaded twice, so the assets come
 * from the HTTP cache and V8 may reuse compiled code). Starts `npm start`'s compiled gateway
 * in production mode on the embedded database (a temporary data folder, seeded on start)
 * unless GATEWAY_ORIGIN names a running one (PGLITE_DIR keeps the data folder between runs).
 * The baseline, alternated with it in the same run: the renderer's own page, everything inlined
 * (bench/stock-graphiql.ts), in front of the same gateway. Prints medians of RUNS (7) visits,
 * what a visit transfers, and the ratio to the baseline.
 *
 * `--trace` adds one traced first visit and prints where its time went up to the ready editor:
 * each thread's busy time and how much of it it actually ran (a loaded machine stretches the
 * first, not the second), self time by Chromium trace event per thread (the page's main
 * thread, background compile threads, Monaco's workers), and the network timing of each file.
 *
 *   npm run bench:explorer [-- --trace]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser } from '../test/support/browser';
import { explorerReady, type ExplorerReady, watchExplorerReady } from '../test/support/graphiql-ready';
import { startStockExplorer } from './stock-graphiql';
import { percentile, rotate, runBench, startGateway } from './support';

const RUNS = Number(process.env.RUNS ?? 7);

type Visit = ExplorerReady & { transferred: number; requests: number };

/** What the page loaded: bytes over the wire (headers included) and requests, the page's own included. */
function transferOf(page: Page): Promise<{ transferred: number; requests: number }> {
  return page.evaluate(() => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ] as PerformanceResourceTiming[];
    return { transferred: entries.reduce((sum, entry) => sum + entry.transferSize, 0), requests: entries.length };
  });
}

async function visit(page: Page, url: string, reload = false): Promise<Visit> {
  if (reload) await page.reload();
  else await page.goto(url);
  const ready = await explorerReady(page);
  return { ...ready, ...(await transferOf(page)) };
}

/** A first visit in a fresh context, then two repeat visits in it; returns the first and the last. */
async function visits(browser: Browser, url: string): Promise<{ first: Visit; repeat: Visit }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await watchExplorerReady(page);
    const first = await visit(page, url);
    await visit(page, url, true);
    const repeat = await visit(page, url, true);
    return { first, repeat };
  } finally {
    await context.close();
  }
}

/** A Chromium trace event (the JSON trace format); times in microseconds. */
type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, where the event has it: unlike dur, not stretched by a busy machine. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
};

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'blink',
  'blink.user_timing',
  'loading',
  'toplevel',
];

/**
 * Self time (an event's duration less that of the events nested in it on its thread) by
 * thread and event name, over the trace events that start between navigation start and the
 * ready editor's mark.
 */
function summarizeTrace(events: TraceEvent[]): void {
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name' && event.args?.name) {
      threadNames.set(`${event.pid}:${event.tid}`, event.args.name);
    }
  }
  const mark = (name: string) => events.find((event) => event.name === name)?.ts;
  const start = mark('navigationStart');
  const ready = mark('explorer-editor-ready');
  if (start === undefined || ready === undefined) throw new Error('the trace has no navigationStart or ready mark');
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (event.ph !== 'X' || event.dur === undefined || event.ts < start || event.ts > ready) continue;
    const thread = threadNames.get(`${event.pid}:${event.tid}`) ?? `thread ${event.tid}`;
    // Browser-process threads are not the page's work.
    if (!/CrRendererMain|DedicatedWorker|V8|Compositor|ThreadPool/i.test(thread)) continue;
    const list = byThread.get(thread) ?? [];
    list.push(event);
    byThread.set(thread, list);
  }
  console.log(`\ntraced first visit: editor ready at ${((ready - start) / 1000).toFixed(0)} ms`);
  const rows: { thread: string; name: string; ms: number }[] = [];
  const busy = new Map<string, { wall: number; cpu: number }>();
  for (const [thread, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const self = new Map<string, number>();
    const stack: { event: TraceEvent; end: number }[] = [];
    const name = thread.replace(/\d+$/, '');
    const total = busy.get(name) ?? { wall: 0, cpu: 0 };
    for (const event of list) {
      const end = event.ts + (event.dur ?? 0);
      while (stack.length && (stack[stack.length - 1]?.end ?? 0) <= event.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) {
        total.wall += (event.dur ?? 0) / 1000;
        total.cpu += (event.tdur ?? 0) / 1000;
      }
      if (parent) self.set(parent.event.name, (self.get(parent.event.name) ?? 0) - (event.dur ?? 0));
      self.set(event.name, (self.get(event.name) ?? 0) + (event.dur ?? 0));
      stack.push({ event, end });
    }
    busy.set(name, total);
    for (const [event, us] of self) rows.push({ thread: name, name: event, ms: us / 1000 });
  }
  console.log('\n| thread | busy (ms) | of it on a CPU (ms) |\n|---|---:|---:|');
  for (const [thread, { wall, cpu }] of [...busy]
    .sort((a, b) => b[1].wall - a[1].wall)
    .filter(([, t]) => t.wall >= 5)) {
    console.log(`| ${thread} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} |`);
  }
  console.log('\n| thread | event (self time) | ms |\n|---|---|---:|');
  const merged = new Map<string, number>();
  for (const row of rows)
    merged.set(`${row.thread}|${row.name}`, (merged.get(`${row.thread}|${row.name}`) ?? 0) + row.ms);
  for (const [key, ms] of [...merged].sort((a, b) => b[1] - a[1]).filter(([, ms]) => ms >= 5)) {
    const [thread, name] = key.split('|');
    console.log(`| ${thread} | ${name} | ${ms.toFixed(0)} |`);
  }
}

async function traced(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await watchExplorerReady(page);
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.goto(url);
    await explorerReady(page);
    const buffer = await browser.stopTracing();
    // Kept for Chrome DevTools' performance panel (Load profile...).
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'soldgraph-explorer-trace-')), 'trace.json');
    writeFileSync(file, buffer);
    console.log(`\ntrace: ${file}`);
    summarizeTrace((JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
    const files = await page.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((entry) => {
        const timing = entry as PerformanceResourceTiming;
        return {
          name: new URL(timing.name).pathname,
          start: timing.startTime,
          end: timing.responseEnd,
          transferred: timing.transferSize,
          size: timing.decodedBodySize,
        };
      }),
    );
    console.log('\n| file | requested (ms) | received (ms) | transferred | size |\n|---|---:|---:|---:|---:|');
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
    for (const file of files) {
      console.log(
        `| ${file.name} | ${file.start.toFixed(0)} | ${file.end.toFixed(0)} | ${kb(file.transferred)} | ${kb(file.size)} |`,
      );
    }
  } finally {
    await context.close();
  }
}

async function main() {
  if (!hasChromium) throw new Error('Chromium is needed: apt-get install -y chromium');
  let origin = process.env.GATEWAY_ORIGIN;
  let dataDir: string | undefined;
  if (!origin) {
    // A data folder of the caller's (PGLITE_DIR) is kept, and seeded only once.
    const pgliteDir =
      process.env.PGLITE_DIR ?? (dataDir = mkdtempSync(path.join(os.tmpdir(), 'soldgraph-bench-explorer-')));
    const gateway = await startGateway({ ...process.env, DATABASE_URL: '', REDIS_URL: '', PGLITE_DIR: pgliteDir });
    origin = gateway.url;
  }
  const url = `${origin}/graphql`;
  const stock = await startStockExplorer(origin);
  const browser = await launchBrowser();
  try {
    const pages = { gateway: url, stock: stock.url };
    const sides = Object.keys(pages) as (keyof typeof pages)[];
    for (const side of sides) await visits(browser, pages[side]); // the gateway builds its files on the first request
    const results = new Map(sides.map((side) => [side, { firsts: [] as Visit[], repeats: [] as Visit[] }]));
    // Alternating, so a change in the machine's load falls on both sides alike.
    for (let run = 0; run < RUNS; run += 1) {
      for (const side of rotate(sides, run % sides.length)) {
        const { first, repeat } = await visits(browser, pages[side]);
        results.get(side)?.firsts.push(first);
        results.get(side)?.repeats.push(repeat);
      }
    }
    const median = (list: Visit[], pick: (visit: Visit) => number) => percentile(list.map(pick), 50);
    const row = (label: string, list: Visit[], baseline: Visit[]) => {
      const spread = `${Math.min(...list.map((v) => v.editor)).toFixed(0)}-${Math.max(...list.map((v) => v.editor)).toFixed(0)}`;
      const editor = median(list, (v) => v.editor);
      console.log(
        `| ${label} | ${editor.toFixed(0)} (${spread}) | ${median(list, (v) => v.schema).toFixed(0)} | ` +
          `${(median(list, (v) => v.transferred) / 1024).toFixed(0)} kB | ${median(list, (v) => v.requests)} | ` +
          `${(editor / median(baseline, (v) => v.editor)).toFixed(2)}x |`,
      );
    };
    // Other work on the machine stretches every time here: say how busy it was.
    const load = os.loadavg()[0]?.toFixed(1);
    console.log(
      `GraphiQL at ${url}, Chromium ${browser.version()}, median of ${RUNS} (min-max), ` +
        `load average ${load} on ${os.cpus().length} CPUs; baseline: the renderer's own page, everything inlined\n`,
    );
    console.log(
      '| page, visit | editor ready (ms) | schema loaded (ms) | transferred | requests | vs baseline |\n|---|---:|---:|---:|---:|---:|',
    );
    const ours = results.get('gateway');
    const baseline = results.get('stock');
    if (!ours || !baseline) throw new Error('no results');
    row('gateway, first (fresh context)', ours.firsts, baseline.firsts);
    row('gateway, repeat (same context)', ours.repeats, baseline.repeats);
    row('baseline, first', baseline.firsts, baseline.firsts);
    row('baseline, repeat', baseline.repeats, baseline.repeats);
    if (process.argv.includes('--trace')) await traced(browser, url);
  } finally {
    await browser.close();
    await stock.close();
    if (dataDir) {
      const directory = dataDir;
      process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
    }
  }
}

runBench(main);
