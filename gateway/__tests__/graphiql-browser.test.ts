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
