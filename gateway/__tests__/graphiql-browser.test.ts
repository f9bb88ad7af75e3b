import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser } from '../../test/support/browser';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';

(hasChromium ? describe : describe.skip)('GraphiQL in a real browser', () => {
  let gw: TestGateway;
  let browser: Browser;
  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('loads with the network cut off and runs a query', async () => {
    const page = await browser.newPage();
    const leaked: string[] = [];
    // Anything not served by the gateway itself is refused, as on a machine offline.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === gw.url || url.protocol === 'blob:' || url.protocol === 'data:') return route.continue();
      leaked.push(url.href);
      return route.abort();
    });
    await page.goto(`${gw.url}/graphql`);
    const run = page.getByRole('button', { name: /execute query/i });
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    const response = page.locator('.graphiql-response');
    await response.getByText('"marketplaces"').first().waitFor({ timeout: 30_000 });
    await response.getByText('"ebay-us"').first().waitFor({ timeout: 10_000 });
    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/graphiql.png', fullPage: true });
    expect(leaked).toEqual([]);
    // Monaco's workers start from the gateway's files, not from blobs the page makes.
    if (page.workers().length === 0) await page.waitForEvent('worker', { timeout: 30_000 });
    const workers = page.workers().map((worker) => worker.url());
    expect(workers.filter((url) => !url.startsWith(`${gw.url}/graphiql-assets/`))).toEqual([]);
    await page.close();
  });

  it('opens with the docs explorer, example tabs and a viewport for phones', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${gw.url}/graphql`);
      await page.getByRole('button', { name: /execute query/i }).waitFor({ timeout: 30_000 });
      await page.locator('.graphiql-doc-explorer').first().waitFor({ timeout: 10_000 });
      expect(await page.locator('.graphiql-tab').count()).toBe(5);
      await expect(page.locator('meta[name="viewport"]').getAttribute('content')).resolves.toBe(
        'width=device-width, initial-scale=1',
      );
      // Closed by the analyst, the docs stay closed on the next visit.
      await page.evaluate(() => localStorage.setItem('graphiql:visiblePlugin', ''));
      await page.reload();
      await page.getByRole('button', { name: /execute query/i }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.graphiql-doc-explorer').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("takes every file from the browser's cache on a repeat visit", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      for (const visit of ['first', 'repeat']) {
        if (visit === 'first') await page.goto(`${gw.url}/graphql`);
        else await page.reload();
        await page.getByRole('button', { name: /execute query/i }).waitFor({ timeout: 30_000 });
      }
      const files = await page.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          // What the page itself loads (the stylesheet, the bundle, the icon); a worker the first visit
          // had not started yet is fetched for the first time now.
          .filter((entry) => entry.initiatorType === 'link' || entry.initiatorType === 'script')
          .filter((entry) => new URL(entry.name).pathname.startsWith('/graphiql-assets/'))
          .map((entry) => ({ path: new URL(entry.name).pathname, transferred: entry.transferSize })),
      );
      // The stylesheet and the bundle at least; nothing crossed the network again.
      expect(files.filter((file) => /\.(css|js)$/.test(file.path)).length).toBeGreaterThanOrEqual(2);
      expect(files.filter((file) => file.transferred > 0)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([375, 1280])('has no serious or critical axe violations at %i px', async (width) => {
    // axe opens a page of its own for its report: the page needs a context of its own.
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${gw.url}/graphql`);
      await page.getByRole('button', { name: /execute query/i }).waitFor({ timeout: 30_000 });
      await page.locator('.graphiql-doc-explorer').first().waitFor({ timeout: 10_000 });
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);
      // The tabs became a list whose active item's button says it is the current one.
      const current = page.locator('.graphiql-tab-button[aria-current="true"]');
      expect(await current.count()).toBe(1);
      expect(await current.getAttribute('id')).toBe(
        await page.locator('.graphiql-tab-active .graphiql-tab-button').getAttribute('id'),
      );
    } finally {
      await context.close();
    }
  });
});
