// Measures the production dashboard in Chromium: first-load JavaScript per route, time to
// first byte and largest contentful paint (Performance API), the GraphQL requests each
// page load makes, and on /explorer the time until the framed GraphiQL's editor takes input
// (from the dashboard page's navigation start). The Overview is measured at 30 and 365 days. Needs a gateway with the default demo data (e.g. `npm start`) at
// GATEWAY_ORIGIN (default http://127.0.0.1:4000); builds the dashboard if needed.
//   npx tsx test/web/measure.ts
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser } from '../support/browser';
import { explorerReady, watchExplorerReady } from '../support/graphiql-ready';
import { buildDashboardOnce, startCountingProxy, startDashboard } from './support';

const RUNS = 7;
const gatewayOrigin = process.env.GATEWAY_ORIGIN ?? 'http://127.0.0.1:4000';

type Sample = {
  ttfb: number;
  htmlDone: number;
  lcp: number;
  lcpElement: string;
  jsTransfer: number;
  jsDecoded: number;
  requests: number;
  /** On /explorer: when the framed GraphiQL's editor took input, from the page's navigation start. */
  editorReady?: number;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function topProductId(): Promise<string> {
  const response = await fetch(`${gatewayOrigin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ sales(first: 1) { nodes { product { id } } } }' }),
  });
  const body = (await response.json()) as { data?: { sales: { nodes: { product: { id: string } }[] } } };
  const id = body.data?.sales.nodes[0]?.product.id;
  if (!id) throw new Error(`no sales at ${gatewayOrigin}`);
  return id;
}

/** The scripts a route's HTML loads: its first-load JavaScript (prefetches of linked routes excluded). */
async function firstLoadScripts(url: string): Promise<string[]> {
  const html = await (await fetch(url)).text();
  return [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].flatMap((match) =>
    match[1] ? [new URL(match[1], url).pathname] : [],
  );
}

async function sample(browser: Browser, url: string, counted: () => number): Promise<Sample> {
  const scriptPaths = await firstLoadScripts(url);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const explorer = new URL(url).pathname === '/explorer';
  if (explorer) await watchExplorerReady(page);
  const before = counted();
  await page.goto(url, { waitUntil: 'load' });
  let editorReady: number | undefined;
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (explorer && frame) {
    // The frame's clock starts at its own navigation: moved onto the page's.
    const { editor } = await explorerReady(frame);
    const origin = (target: typeof frame) => target.evaluate(() => performance.timeOrigin);
    editorReady = editor + (await origin(frame)) - (await origin(page.mainFrame()));
  }
  await page.waitForTimeout(500);
  const metrics = await page.evaluate(
    (paths: string[]) =>
      new Promise<Omit<Sample, 'requests'>>((resolve) => {
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((entry) =>
          paths.includes(new URL(entry.name).pathname),
        );
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve({
            ttfb: navigation?.responseStart ?? Number.NaN,
            htmlDone: navigation?.responseEnd ?? Number.NaN,
            lcp: entries[entries.length - 1]?.startTime ?? Number.NaN,
            lcpElement: (() => {
              const element = (
                entries[entries.length - 1] as (PerformanceEntry & { element?: Element | null }) | undefined
              )?.element;
              return element
                ? `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ')[0]}` : ''}`
                : '?';
            })(),
            jsTransfer: scripts.reduce((sum, entry) => sum + entry.transferSize, 0),
            jsDecoded: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
          });
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      }),
    scriptPaths,
  );
  const requests = counted() - before;
  await context.close();
  return { ...metrics, requests, ...(editorReady === undefined ? {} : { editorReady }) };
}

async function main() {
  if (!hasChromium) throw new Error('Chromium is needed for the measurements');
  buildDashboardOnce();
  const proxy = await startCountingProxy(gatewayOrigin);
  const dashboard = await startDashboard(`${proxy.url}/graphql`);
  const browser = await launchBrowser();
  try {
    const routes = [
      '/?days=30',
      '/?days=365',
      '/products',
      `/products/${await topProductId()}`,
      '/explorer',
      '/pipeline',
    ];
    for (const route of routes) await fetch(`${dashboard.url}${route}`); // warm: compile caches, the data anchor
    const counted = () => proxy.requests.length;
    console.log(
      `median of ${RUNS} cold page loads (fresh browser context each), production build, gateway ${gatewayOrigin}`,
    );
    console.log(
      '| route | first-load JS (transferred / uncompressed) | TTFB (ms) | HTML streamed (ms) | LCP (ms) | LCP element | GraphQL requests | GraphiQL editor ready (ms) |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const route of routes) {
      const samples: Sample[] = [];
      for (let run = 0; run < RUNS; run += 1) samples.push(await sample(browser, `${dashboard.url}${route}`, counted));
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
      const requests = [...new Set(samples.map((entry) => entry.requests))].join(' / ');
      const editor = samples.flatMap((entry) => (entry.editorReady === undefined ? [] : [entry.editorReady]));
      console.log(
        `| ${route} | ${kb(median(samples.map((s) => s.jsTransfer)))} / ${kb(median(samples.map((s) => s.jsDecoded)))} | ` +
          `${median(samples.map((s) => s.ttfb)).toFixed(0)} | ${median(samples.map((s) => s.htmlDone)).toFixed(0)} | ${median(samples.map((s) => s.lcp)).toFixed(0)} | ${samples[0]?.lcpElement ?? '?'} | ${requests} | ${editor.length ? median(editor).toFixed(0) : '-'} |`,
      );
    }
  } finally {
    await browser.close();
    await dashboard.stop();
    await proxy.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
