import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_FILES } from '../../../ingest/cli-args';
import { runIngest } from '../../../ingest/pipeline/run';
import { fileSource } from '../../../ingest/sources/file/source';
import { hasChromium, launchBrowser } from '../../support/browser';
import { startTestGateway, type TestGateway } from '../../support/gateway';
import { buildDashboardOnce, type CountingProxy, type Dashboard, startCountingProxy, startDashboard } from '../support';

const DAY_MS = 86_400_000;
const usd = (amount: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount as Intl.StringNumericLiteral);
const count = (value: number) => new Intl.NumberFormat('en-US').format(value);

type Range = { from: string; to: string };

// The test's own idea of "the last n days": whole UTC days ending with the newest sale's day.
function lastDays(latestSoldAt: string, days: number): Range {
  const end = Math.floor(Date.parse(latestSoldAt) / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(end - days * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

(hasChromium ? describe : describe.skip)('the dashboard in a real browser', () => {
  let gw: TestGateway;
  let proxy: CountingProxy;
  let dashboard: Dashboard;
  let browser: Browser;
  let latestSoldAt: string;
  let scratch: string;
  /** Ingestion runs by what they read: the bundled samples (some rows quarantined), a clean file and one of 30 bad rows. */
  const runIds: Record<string, number> = {};

  /** A path with `{name}` standing for the id of the run `name` (known only once beforeAll ran). */
  const withRunIds = (template: string) =>
    template.replace(/\{([\w.]+)\}/g, (_, name: string) => String(runIds[name] ?? 'unknown'));

  beforeAll(async () => {
    buildDashboardOnce();
    gw = await startTestGateway();
    // The samples' deliberately bad rows give runs with quarantined records, as `npm run ingest -- samples` does.
    const ingest = { db: gw.database.db, cache: gw.cache };
    const samples = join(__dirname, '..', '..', '..', 'ingest', 'samples');
    for (const sample of SAMPLE_FILES) {
      runIds[sample] = (await runIngest(ingest, fileSource, { path: join(samples, sample) })).runId;
    }
    scratch = await mkdtemp(join(tmpdir(), 'soldgraph-web-'));
    const clean = join(scratch, 'clean.csv');
    await writeFile(
      clean,
      'marketplace,external_id,title,price,currency,observed_at\n' +
        'ebay-us,990000000001,A listing with nothing wrong,10.00,USD,2026-06-29T08:00:00Z\n' +
        // First seen without a price: it has none (null), shown as unavailable.
        'ebay-us,990000000002,A listing not priced yet,,USD,2026-06-29T08:00:00Z\n',
    );
    runIds.clean = (await runIngest(ingest, fileSource, { path: clean })).runId;
    // More bad rows than the run page shows at once (25), for a second quarantine page.
    const manyBad = join(scratch, 'many-bad.csv');
    await writeFile(
      manyBad,
      'marketplace,external_id,title,price,currency,observed_at\n' +
        Array.from(
          { length: 30 },
          (_, i) =>
            `ebay-us,99100000${String(i).padStart(4, '0')},Row ${i} in no currency,10.00,USX,2026-06-29T08:00:00Z\n`,
        ).join(''),
    );
    runIds.manyBad = (await runIngest(ingest, fileSource, { path: manyBad })).runId;
    proxy = await startCountingProxy(gw.url);
    dashboard = await startDashboard(`${proxy.url}/graphql`);
    browser = await launchBrowser();
    const { body } = await gw.post<{ sales: { nodes: { soldAt: string }[] } }>(
      '{ sales(first: 1) { nodes { soldAt } } }',
    );
    const newest = body.data?.sales.nodes[0]?.soldAt;
    if (!newest) throw new Error('the test database has no sales');
    latestSoldAt = newest;
    // The dashboard learns "now" (the newest sale) once and caches it; later loads are one request each.
    // The page streams: its query runs after the headers, so the body is read to the end, or that
    // query could land in the first test's count.
    await (await fetch(`${dashboard.url}/`)).text();
    mkdirSync('artifacts', { recursive: true });
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await proxy?.close();
    await gw?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** Opens a path in a fresh page and returns the GraphQL requests its load made. */
  async function open(
    path: string,
    viewport = { width: 1280, height: 900 },
  ): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport });
    proxy.reset();
    await page.goto(`${dashboard.url}${path}`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    return { page, requests: proxy.requests.map((request) => request.operationName ?? '(unnamed)') };
  }

  it('shows the overview KPIs the API reports, from one GraphQL request', async () => {
    const period = lastDays(latestSoldAt, 30);
    const { body } = await gw.post<{ salesStats: { nodes: { units: number; revenue: { amount: string } }[] } }>(
      `query ($from: DateTime!, $to: DateTime!) {
        salesStats(from: $from, to: $to, targetCurrency: "USD") { nodes { units revenue { amount } } }
      }`,
      period,
    );
    const totals = body.data?.salesStats.nodes[0];
    expect(totals).toBeDefined();
    const { page, requests } = await open('/');
    expect(requests).toEqual(['OverviewPage']);
    await expect(page.locator('[data-kpi="Units sold"] .kpi-value').textContent()).resolves.toBe(
      count(totals?.units ?? -1),
    );
    await expect(page.locator('[data-kpi="Revenue"] .kpi-value').textContent()).resolves.toBe(
      usd(totals?.revenue.amount ?? '0'),
    );
    expect(await page.locator('.chart-bar').count()).toBe(30);
    expect(await page.locator('.top-item').count()).toBeGreaterThan(0);
    await page.screenshot({ path: 'artifacts/web-overview.png', fullPage: true });
    await page.close();
  });

  it('changes the overview period from the keyboard, through the URL', async () => {
    const { page } = await open('/');
    await page.getByRole('combobox', { name: 'Period', exact: true }).focus();
    await page.keyboard.press('ArrowDown'); // 30 -> 90 days
    await page.waitForURL(/days=90/);
    await page.locator('.chart-bar').nth(89).waitFor();
    expect(await page.locator('.chart-bar').count()).toBe(90);
    await page.close();
  });

  it('compares the overview with the same days last year, chosen in the URL', async () => {
    const period = lastDays(latestSoldAt, 30);
    const { body } = await gw.post<{ salesStats: { nodes: { change: { units: number | null } }[] } }>(
      `query ($from: DateTime!, $to: DateTime!) {
        salesStats(from: $from, to: $to, targetCurrency: "USD", compareWith: PREVIOUS_YEAR) { nodes { change { units } } }
      }`,
      period,
    );
    const change = body.data?.salesStats.nodes[0]?.change.units ?? NaN;
    expect(Number.isFinite(change)).toBe(true);
    const percent = new Intl.NumberFormat('en-US', {
      style: 'percent',
      signDisplay: 'exceptZero',
      maximumFractionDigits: 1,
    });
    const { page } = await open('/');
    await page.getByRole('combobox', { name: 'Compare with' }).selectOption({ label: 'the same 30 days last year' });
    await page.waitForURL(/compare=year/);
    await page.getByText('against the same 30 days last year;').waitFor();
    const units = page.locator('[data-kpi="Units sold"] .change');
    await expect(units.textContent()).resolves.toBe(
      `${change > 0 ? '▲ ' : change < 0 ? '▼ ' : ''}${percent.format(change)} vs the same 30 days last year`,
    );
    for (const caption of ['Sales by marketplace', 'Top-level categories by revenue']) {
      const name = `${caption}, revenue change against the same 30 days last year`;
      await expect(page.getByRole('table', { name }).count()).resolves.toBe(1);
    }
    await page.screenshot({ path: 'artifacts/web-overview-year.png', fullPage: true });
    await page.close();
  });

  it('sorts the product list by units sold and sell-through over 90 days, in the URL, across pages', async () => {
    const ranked = async (field: string, after?: string) => {
      const { body } = await gw.post<{ products: { pageInfo: { endCursor: string }; nodes: { title: string }[] } }>(
        `query ($orderBy: ProductOrder, $after: String) {
          products(first: 24, orderBy: $orderBy, after: $after) { pageInfo { endCursor } nodes { title } }
        }`,
        { orderBy: { field, direction: 'DESC', endingAt: latestSoldAt }, after },
      );
      const page = body.data?.products;
      if (!page) throw new Error(`no products by ${field}`);
      return page;
    };
    const byUnits = await ranked('UNITS_SOLD');
    const { page } = await open('/products');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Most sold, 90 days' });
    await page.waitForURL(/sort=units/);
    await page
      .locator('.product-row h2')
      .first()
      .getByText(byUnits.nodes[0]?.title ?? '-')
      .waitFor();
    const sold = await page.locator('.price-cell .muted').filter({ hasText: 'sold in 90 days' }).allTextContents();
    const counts = sold.map((text) => Number(text.replace(/[^\d]/g, '')));
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/after=/);
    await page.getByText('25–').waitFor();
    const second = await ranked('UNITS_SOLD', byUnits.pageInfo.endCursor);
    await expect(page.locator('.product-row h2').first().textContent()).resolves.toBe(second.nodes[0]?.title);
    await page.close();

    const bySellThrough = await ranked('SELL_THROUGH');
    const { page: sellThrough } = await open('/products?sort=sell-through');
    await expect(sellThrough.getByRole('combobox', { name: 'Sort by' }).inputValue()).resolves.toBe('sell-through');
    await expect(sellThrough.locator('.product-row h2').first().textContent()).resolves.toBe(
      bySellThrough.nodes[0]?.title,
    );
    await expect(
      sellThrough
        .locator('.product-row')
        .first()
        .getByText(/^\d+ available$/)
        .count(),
    ).resolves.toBe(1);
    await sellThrough.screenshot({ path: 'artifacts/web-products-sell-through.png', fullPage: true });
    await sellThrough.close();
  });

  it('filters, pages and goes back through the product list, all in the URL', async () => {
    const filtered = await gw.post<{
      products: { totalCount: number; pageInfo: { endCursor: string }; nodes: { title: string }[] };
    }>(
      '{ products(first: 24, filter: { marketplace: ["ebay-us"] }) { totalCount pageInfo { endCursor } nodes { title } } }',
    );
    const firstPage = filtered.body.data?.products;
    if (!firstPage) throw new Error('no products');
    const second = await gw.post<{ products: { nodes: { title: string }[] } }>(
      'query ($after: String) { products(first: 24, after: $after, filter: { marketplace: ["ebay-us"] }) { nodes { title } } }',
      { after: firstPage.pageInfo.endCursor },
    );
    const all = await gw.post<{ products: { totalCount: number } }>('{ products { totalCount } }');

    const { page, requests } = await open('/products');
    expect(requests).toEqual(['ProductsPage']);
    await expect(page.getByTestId('result-count').textContent()).resolves.toContain(
      `of ${count(all.body.data?.products.totalCount ?? -1)} products`,
    );

    // A checkbox toggled from the keyboard narrows the list and lands in the URL.
    await page.getByLabel('eBay United States').focus();
    await page.keyboard.press('Space');
    await page.waitForURL(/marketplace=ebay-us/);
    await page.getByText(`of ${count(firstPage.totalCount)} products`).waitFor();
    await expect(page.locator('.product-row h2').first().textContent()).resolves.toBe(firstPage.nodes[0]?.title);

    await page.getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL(/after=/);
    await page.getByText(`25–`).waitFor();
    await expect(page.locator('.product-row h2').first().textContent()).resolves.toBe(
      second.body.data?.products.nodes[0]?.title,
    );
    await page.screenshot({ path: 'artifacts/web-products-page-2.png', fullPage: true });

    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('after='));
    await page.getByText(`1–24 of ${count(firstPage.totalCount)} products`).waitFor();
    await expect(page.getByLabel('eBay United States').isChecked()).resolves.toBe(true);
    await page.goBack();
    await page.waitForURL((url) => url.search === '');
    await page.getByText(`1–24 of ${count(all.body.data?.products.totalCount ?? -1)} products`).waitFor();
    await expect(page.getByLabel('eBay United States').isChecked()).resolves.toBe(false);
    await page.goForward();
    await page.waitForURL(/marketplace=ebay-us/);
    await page.close();
  });

  it('offers each category once, and keeps a linked subcategory when another filter changes', async () => {
    const tree = await gw.post<{
      canonicalCategories: { id: string; name: string; children: { id: string; name: string }[] }[];
    }>('{ canonicalCategories(rootsOnly: true) { id name children { id name } } }');
    const electronics = tree.body.data?.canonicalCategories.find((node) => node.name === 'Electronics');
    const sub = electronics?.children[0];
    if (!sub) throw new Error('no canonical Electronics with children');
    const used = await gw.post<{ products: { totalCount: number } }>(
      `query ($id: ID!) { products(filter: { canonicalCategoryId: $id, condition: [USED] }) { totalCount } }`,
      { id: sub.id },
    );

    const { page } = await open('/products');
    const menu = page.locator('select[name="category"]');
    const names = (await menu.locator('option').allTextContents()).map((name) => name.trim());
    expect(names.filter((name) => name === 'Electronics')).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
    await page.close();

    // A link to a subcategory (as a breadcrumb gives) selects it in the menu...
    const linked = await open(`/products?category=${sub.id}`);
    await expect(linked.page.locator('select[name="category"]').inputValue()).resolves.toBe(sub.id);
    // ...and ticking a condition keeps it.
    await linked.page.getByLabel('Used', { exact: true }).check();
    await linked.page.waitForURL(/condition=USED/);
    expect(new URL(linked.page.url()).searchParams.get('category')).toBe(sub.id);
    await linked.page.getByText(`of ${count(used.body.data?.products.totalCount ?? -1)} products`).waitFor();
    await expect(linked.page.locator('select[name="category"]').inputValue()).resolves.toBe(sub.id);
    await linked.page.close();
  });

  it('shows a product with its pictures, price chart, KPIs and sales pages', async () => {
    const year = lastDays(latestSoldAt, 365);
    const top = await gw.post<{ topProducts: { product: { id: string } }[] }>(
      'query ($from: DateTime!, $to: DateTime!) { topProducts(from: $from, to: $to, by: UNITS, first: 1) { product { id } } }',
      year,
    );
    const id = top.body.data?.topProducts[0]?.product.id;
    if (!id) throw new Error('no top product');
    const own = await gw.post<{
      product: {
        title: string;
        price: { currency: string };
        images: { url: string }[];
        salesSummary: { currency: string; units: number; saleCount: number }[];
        sales: { totalCount: number };
      };
    }>(
      'query ($id: ID!, $from: DateTime!, $to: DateTime!) { product(id: $id) { title price { currency } images { url } salesSummary(from: $from, to: $to) { currency units saleCount } sales { totalCount } } }',
      { id, ...year },
    );
    const product = own.body.data?.product;
    if (!product) throw new Error('no product');

    const { page, requests } = await open(`/products/${id}`);
    expect(requests).toEqual(['ProductPage']);
    // The title is rendered with the streamed page content and hoisted into <head> by React,
    // which can happen after the load event.
    const expectedTitle = `${product.title} · Soldgraph`;
    await page
      .waitForFunction((title) => document.title === title, expectedTitle, { timeout: 10_000 })
      .catch(() => undefined);
    await expect(page.title()).resolves.toBe(expectedTitle);
    const gallery = page.getByRole('region', { name: 'Pictures' });
    await gallery.locator('img').first().waitFor();
    expect(await gallery.locator('img').count()).toBe(
      product.images.length > 1 ? product.images.length + 1 : product.images.length,
    );
    const loaded = await gallery
      .locator('img')
      .first()
      .evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
    expect(loaded).toBeGreaterThan(0);
    await expect(page.getByTestId('median-line').getAttribute('d')).resolves.toMatch(/^M[\d.]+,[\d.]+L/);
    await expect(page.locator('tr[data-window="365"] td').first().textContent()).resolves.toBe(
      count(product.salesSummary[0]?.units ?? -1),
    );
    // The histogram counts every sale of the year in the listing's currency, not a sample.
    const ownCurrency = product.salesSummary.find((summary) => summary.currency === product.price.currency);
    const distribution = page.getByRole('region', { name: 'Price distribution' });
    await expect(distribution.locator('p.muted').textContent()).resolves.toContain(
      `(${count(ownCurrency?.saleCount ?? -1)} sales)`,
    );

    const table = page.getByTestId('sales-table');
    const firstRows = await table.locator('tbody tr').allTextContents();
    expect(firstRows).toHaveLength(Math.min(20, product.sales.totalCount));
    await page.screenshot({ path: 'artifacts/web-product.png', fullPage: true });
    if (product.sales.totalCount > 20) {
      proxy.reset();
      await page.getByRole('button', { name: 'Older →' }).click();
      await table.getByText('page 2').waitFor();
      expect(await table.locator('tbody tr').allTextContents()).not.toEqual(firstRows);
      expect(proxy.requests.map((request) => request.operationName)).toEqual(['ProductSalesPage']);
      await page.getByRole('button', { name: '← Newer' }).click();
      await table.getByText('page 1').waitFor();
      expect(await table.locator('tbody tr').allTextContents()).toEqual(firstRows);
    }
    await page.close();
  });

  it('shows a listing without a current price as unavailable, never as 0', async () => {
    const found = await gw.post<{ products: { nodes: { id: string; price: unknown }[] } }>(
      '{ products(filter: { search: "not priced yet" }) { nodes { id price { amount } } } }',
    );
    const unpriced = found.body.data?.products.nodes[0];
    if (!unpriced) throw new Error('the listing without a price is not stored');
    expect(unpriced.price).toBeNull();
    const { page } = await open(`/products/${unpriced.id}`);
    await expect(page.getByTestId('asking-price').textContent()).resolves.toBe('Unavailable');
    await page.close();
  });

  it('compares a product with the same item on other marketplaces, in its currency', async () => {
    const candidates = await gw.post<{ products: { nodes: { id: string; identifiers: { gtin: string | null } }[] } }>(
      '{ products(first: 100, filter: { marketplace: ["ebay-us"] }) { nodes { id identifiers { gtin } } } }',
    );
    let id: string | undefined;
    let links: { product: { marketplace: { name: string } }; confidence: number }[] = [];
    for (const node of candidates.body.data?.products.nodes ?? []) {
      if (!node.identifiers.gtin) continue;
      const found = await gw.post<{ product: { sameItemElsewhere: typeof links } }>(
        'query ($id: ID!) { product(id: $id) { sameItemElsewhere(first: 10) { product { marketplace { name } } confidence } } }',
        { id: node.id },
      );
      links = found.body.data?.product.sameItemElsewhere ?? [];
      if (links.length > 0) {
        id = node.id;
        break;
      }
    }
    if (!id) throw new Error('no eBay US listing of the demo data has a link');
    const { page, requests } = await open(`/products/${id}`);
    expect(requests).toEqual(['ProductPage']);
    const table = page.getByRole('region', { name: 'Same item on other marketplaces' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(links.length);
    await expect(rows.first().locator('td').first().textContent()).resolves.toBe(links[0]?.product.marketplace.name);
    await expect(rows.first().locator('td').last().textContent()).resolves.toContain(
      `${Math.round((links[0]?.confidence ?? 0) * 100)}%`,
    );
    await page.close();
  });

  it('runs a query in the embedded GraphiQL and shows the result', async () => {
    const { page } = await open('/explorer');
    const frame = page.frameLocator('iframe[title="GraphiQL query editor"]');
    const run = frame.getByRole('button', { name: /execute query/i });
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    await frame.locator('.graphiql-response').getByText('"marketplaces"').first().waitFor({ timeout: 30_000 });
    await frame.locator('.graphiql-response').getByText('"ebay-us"').first().waitFor();
    await page.screenshot({ path: 'artifacts/web-explorer.png' });
    await page.close();
  });

  it("forwards only the dashboard's own operations on its /graphql, by hash", async () => {
    proxy.reset();
    const adHoc = await fetch(`${dashboard.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 100) { nodes { id title } } }' }),
    });
    expect(adHoc.status).toBe(403);
    const body = (await adHoc.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    const inUrl = await fetch(`${dashboard.url}/graphql?query=${encodeURIComponent('{ marketplaces { code } }')}`);
    expect(inUrl.status).toBe(403);
    const unknownHash = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } });
    expect((await fetch(`${dashboard.url}/graphql?extensions=${encodeURIComponent(unknownHash)}`)).status).toBe(403);
    // None of them reached the gateway: whatever did is one of the dashboard's named operations.
    expect(proxy.requests.filter((request) => request.method !== 'GET' || request.operationName === null)).toEqual([]);
  });

  it('lists ingestion runs as the API reports them', async () => {
    const own = await gw.post<{ ingestRuns: { totalCount: number } }>('{ ingestRuns { totalCount } }');
    const { page, requests } = await open('/pipeline');
    expect(requests).toEqual(['PipelinePage']);
    await page.getByText(`${count(own.body.data?.ingestRuns.totalCount ?? -1)} runs in all`).waitFor();
    await page.close();
  });

  it('gives each scope of a source a row of its own, as the API reports them', async () => {
    const own = await gw.post<{ ingestSources: { source: string; scopes: { scope: string }[] }[] }>(
      '{ ingestSources { source scopes { scope } } }',
    );
    const scopes = own.body.data?.ingestSources.find((source) => source.source === 'file')?.scopes ?? [];
    // One per file ingested above.
    expect(scopes.length).toBeGreaterThan(1);
    const { page } = await open('/pipeline');
    const rows = page.getByRole('region', { name: 'Sources' }).locator('tbody tr.subrow th');
    await rows.first().waitFor();
    expect(await rows.allTextContents()).toEqual(scopes.map(({ scope }) => `file, scope ${scope}`));
    await page.close();
  });

  /** The rows of a run page's quarantine table, as `code locator` pairs with the reason. */
  function quarantineRows(page: Page): Promise<{ code: string; reason: string; locator: string }[]> {
    return page
      .getByRole('region', { name: 'Quarantined records' })
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => {
          const [code, reason, locator] = [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '');
          return { code: code ?? '', reason: reason ?? '', locator: locator ?? '' };
        }),
      );
  }

  type QuarantinePage = {
    ingestRun: {
      counts: { quarantined: number };
      quarantine: {
        totalCount: number;
        pageInfo: { endCursor: string | null };
        nodes: { code: string; reason: string; locator: string }[];
      };
    };
  };
  const quarantinePage = (id: number | undefined, after: string | null = null) =>
    gw.post<QuarantinePage>(
      `query ($id: ID!, $after: String) { ingestRun(id: $id) { counts { quarantined }
         quarantine(first: 25, after: $after) { totalCount pageInfo { endCursor } nodes { code reason locator } } } }`,
      { id, after },
    );

  it('links a run to its page, which lists the records it quarantined as the API reports them', async () => {
    const id = runIds['listings.csv'];
    const own = (await quarantinePage(id)).body.data?.ingestRun;
    const quarantined = own?.counts.quarantined ?? 0;
    expect(quarantined).toBeGreaterThan(0);

    const { page } = await open('/pipeline');
    proxy.reset();
    await page.getByRole('link', { name: `${quarantined} set aside by run #${id}` }).click();
    await page.waitForURL(new RegExp(`/pipeline/runs/${id}#quarantine$`));
    await page.getByRole('heading', { name: `Run #${id}`, level: 1 }).waitFor();
    expect(proxy.requests.map((request) => request.operationName)).toEqual(['PipelineRunPage']);
    const rows = await quarantineRows(page);
    expect(rows).toEqual(own?.quarantine.nodes);
    expect(rows.map((row) => row.code)).toEqual(
      expect.arrayContaining(['BAD_LINE', 'UNKNOWN_CURRENCY', 'INVALID_PRICE', 'UNKNOWN_MARKETPLACE']),
    );
    for (const row of rows) expect(row.locator).toMatch(/^listings\.csv line \d+/);
    // The list also notes fields dropped from records that were kept (a bad GTIN), and says so.
    expect(own?.quarantine.totalCount).toBeGreaterThan(quarantined);
    await expect(page.getByTestId('quarantine-notes').textContent()).resolves.toContain(
      `longer than the ${quarantined} records set aside`,
    );
    expect(await page.getByRole('link', { name: /Next records|First page/ }).count()).toBe(0);
    // The payload query the page hands operators runs as written, for the same records.
    const payloadQuery = await page.getByRole('region', { name: 'Query for the raw payloads' }).textContent();
    const payloads = await gw.post<{
      ingestRun: { quarantine: { nodes: { locator: string; record: string | null }[] } };
    }>(payloadQuery ?? '');
    expect(payloads.body.errors).toBeUndefined();
    const nodes = payloads.body.data?.ingestRun.quarantine.nodes ?? [];
    expect(nodes.map((node) => node.locator)).toEqual(rows.map((row) => row.locator));
    expect(nodes.some((node) => typeof node.record === 'string')).toBe(true);
    await page.screenshot({ path: 'artifacts/web-pipeline-run.png', fullPage: true });
    await page.close();
  });

  it('pages through a long quarantine with shareable next and first-page links, one request a page', async () => {
    const id = runIds.manyBad;
    const first = (await quarantinePage(id)).body.data?.ingestRun.quarantine;
    const second = (await quarantinePage(id, first?.pageInfo.endCursor ?? null)).body.data?.ingestRun.quarantine;
    expect([first?.totalCount, first?.nodes.length, second?.nodes.length]).toEqual([30, 25, 5]);

    const { page, requests } = await open(`/pipeline/runs/${id}`);
    expect(requests).toEqual(['PipelineRunPage']);
    await expect(quarantineRows(page)).resolves.toEqual(first?.nodes);
    expect(await page.getByRole('link', { name: '← First page' }).count()).toBe(0);
    const next = page.getByRole('link', { name: 'Next records →' });
    await expect(next.getAttribute('href')).resolves.toBe(
      `/pipeline/runs/${id}?after=${encodeURIComponent(first?.pageInfo.endCursor ?? '')}#quarantine`,
    );
    proxy.reset();
    await next.click();
    const firstPage = page.getByRole('link', { name: '← First page' });
    await firstPage.waitFor();
    expect(proxy.requests.map((request) => request.operationName)).toEqual(['PipelineRunPage']);
    const rows = await quarantineRows(page);
    expect(rows).toEqual(second?.nodes);
    expect(rows.map((row) => row.locator)).not.toContain(first?.nodes[0]?.locator);
    for (const row of rows) expect(row.locator).toMatch(/^many-bad\.csv line \d+$/);
    expect(await page.getByRole('link', { name: 'Next records →' }).count()).toBe(0);

    // The second page's address, opened on its own, renders the same rows on the server.
    const shared = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    expect(shared.requests).toEqual(['PipelineRunPage']);
    await expect(quarantineRows(shared.page)).resolves.toEqual(rows);
    await shared.page.close();

    await expect(firstPage.getAttribute('href')).resolves.toBe(`/pipeline/runs/${id}#quarantine`);
    await firstPage.click();
    await page.getByRole('link', { name: 'Next records →' }).waitFor();
    await expect(quarantineRows(page)).resolves.toEqual(first?.nodes);
    await page.close();
  });

  it('says so when a run quarantined nothing', async () => {
    const { page, requests } = await open(`/pipeline/runs/${runIds.clean}`);
    expect(requests).toEqual(['PipelineRunPage']);
    await expect(page.getByTestId('quarantine-count').textContent()).resolves.toBe(
      'No records were quarantined: every record this run read was stored.',
    );
    await page.close();
  });

  it.each([
    ['/products?after=garbage', '/products'],
    ['/products?marketplace=ebay-us&sort=title&after={priceCursor}', '/products?marketplace=ebay-us&sort=title'],
    ['/pipeline?after=garbage', '/pipeline'],
    ['/pipeline/runs/{listings.csv}?after=garbage', '/pipeline/runs/{listings.csv}#quarantine'],
  ])(
    'answers a cursor the API refuses (%s) with a link to the first page, not a retry',
    async (template, firstPath) => {
      // A real cursor, but of another order (price): the API refuses it like a tampered one.
      const byPrice = await gw.post<{ products: { pageInfo: { endCursor: string } } }>(
        '{ products(first: 1, orderBy: { field: PRICE, direction: ASC }) { pageInfo { endCursor } } }',
      );
      const priceCursor = encodeURIComponent(byPrice.body.data?.products.pageInfo.endCursor ?? '');
      const first = withRunIds(firstPath);
      const { page, requests } = await open(withRunIds(template.replace('{priceCursor}', priceCursor)));
      expect(requests).toHaveLength(1);
      await page.getByRole('heading', { name: 'This page link does not work' }).waitFor();
      // Once hydrated, the page still offers no retry: it never raises the error into the boundary.
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      const link = page.getByRole('link', { name: 'Go to the first page' });
      await expect(link.getAttribute('href')).resolves.toBe(first);
      await link.click();
      await page.waitForURL((url) => `${url.pathname}${url.search}${url.hash}` === first);
      await page.getByRole('heading', { name: 'This page link does not work' }).waitFor({ state: 'detached' });
      await page.close();
    },
  );

  it('treats an empty cursor as the first page', async () => {
    const { page } = await open('/products?after=');
    await expect(page.getByTestId('result-count').textContent()).resolves.toMatch(/^1–24 of/);
    await page.close();
  });

  it("shows the gateway's error message and code for a bad filter", async () => {
    const { page } = await open('/products?marketplace=ebay-mars');
    const alert = page.getByRole('alert').filter({ hasText: 'ebay-mars' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('BAD_USER_INPUT');
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await page.close();
  });

  it.each([
    ['/products/99999999', 'No such product', 'Product not found · Soldgraph'],
    ['/products/abc', 'No such product', 'Product not found · Soldgraph'],
    ['/products/99999999999999', 'No such product', 'Product not found · Soldgraph'],
    ['/pipeline/runs/99999999', 'No such run', 'Run not found · Soldgraph'],
    ['/pipeline/runs/abc', 'No such run', 'Run not found · Soldgraph'],
    ['/no-such-page', 'Page not found', 'Page not found · Soldgraph'],
  ])('answers %s with a 404 not-found page', async (path, heading, title) => {
    const page = await browser.newPage();
    const response = await page.goto(`${dashboard.url}${path}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: heading }).waitFor();
    await expect(page.title()).resolves.toBe(title);
    await page.close();
  });

  it.each(['CHF', 'XXX'])('keeps the Overview and its pickers for ?currency=%s, saying it shows USD', async (code) => {
    const { page, requests } = await open(`/?currency=${code}`);
    expect(requests).toEqual(['OverviewPage']);
    const notice = page.getByRole('status').filter({ hasText: `no exchange rates for “${code}”` });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('amounts are shown in USD');
    const picker = page.locator('select[name="currency"]');
    await expect(picker.inputValue()).resolves.toBe('USD');
    const options = await picker.locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['EUR', 'USD']));
    expect(options).not.toContain(code);
    await page.locator('[data-kpi="Units sold"] .kpi-value').waitFor();
    await page.close();
  });

  it('draws the partial weeks at the ends of a year hatched, and says so', async () => {
    const { page } = await open('/?days=365');
    const trend = page.locator('section[aria-labelledby="trend-heading"]');
    await trend.locator('.chart-bar').first().waitFor();
    // 365 days never start and end on a Monday both: at least one end week is partial.
    const partial = await trend.locator('.chart-bar-partial').count();
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThanOrEqual(2);
    await expect(trend.textContent()).resolves.toContain('hatched bars are weeks only partly inside the period');
    await page.close();
  });

  it.each([
    ['/', 375],
    ['/', 1280],
    ['/products', 375],
    ['/products', 1280],
    ['/pipeline', 375],
    ['/pipeline', 1280],
    ['/products/1', 375],
    ['/products/1', 1280],
    ['/pipeline/runs/{listings.csv}', 375],
    ['/pipeline/runs/{listings.csv}', 1280],
    ['/pipeline/runs/{clean}', 375],
    ['/products?after=garbage', 375],
    ['/no-such-page', 375],
  ])('has no serious or critical axe violations on %s at %i px', async (template, width) => {
    // axe opens a page of its own for its report: the page needs a context of its own.
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(`${dashboard.url}${withRunIds(template)}`, { waitUntil: 'load' });
      await page.locator('h1').first().waitFor();
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('serves a favicon that every page links', async () => {
    const { page } = await open('/pipeline');
    const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(href).toMatch(/^\/icon/);
    const icon = await fetch(new URL(href ?? '/', dashboard.url));
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    await page.close();
  });

  it.each(['/', '/products', '/pipeline', '/products/1', '/pipeline/runs/{listings.csv}'])(
    'fits %s into 375 px and names every control',
    async (template) => {
      const path = withRunIds(template);
      const { page } = await open(path, { width: 375, height: 800 });
      await page.locator('h1').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('input, select, button, a[href]')]
          .filter((element) => {
            const labelled =
              element instanceof HTMLInputElement || element instanceof HTMLSelectElement
                ? (element.labels?.length ?? 0) > 0
                : false;
            return !labelled && !element.getAttribute('aria-label') && !(element.textContent ?? '').trim();
          })
          .map((element) => element.outerHTML.slice(0, 80)),
      );
      expect(unnamed).toEqual([]);
      // Chart text stays readable: no label renders smaller than 11 px.
      const smallest = await page.evaluate(() =>
        Math.min(
          Infinity,
          ...[...document.querySelectorAll<SVGTextElement>('svg.chart text')].map(
            (text) => Number.parseFloat(getComputedStyle(text).fontSize) * (text.getScreenCTM()?.a ?? 1),
          ),
        ),
      );
      expect(smallest).toBeGreaterThanOrEqual(11);
      await page.screenshot({
        path: `artifacts/web-375${path === '/' ? '-overview' : path.replace(/\//g, '-')}.png`,
        fullPage: true,
      });
      await page.close();
    },
  );
});
