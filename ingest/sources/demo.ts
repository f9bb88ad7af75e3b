/**
 * The demo source: deterministic payloads in the eBay Browse (search pages and getItem) and
 * Marketplace Insights shapes, generated from the seed generator's eBay listings and parsed
 * by the eBay parsers, so demo data goes through the same pipeline as real data. Sold
 * history becomes weekly Insights snapshots (lifetime `totalSoldQuantity` at each snapshot),
 * from which the pipeline derives AGGREGATE_DERIVED sales.
 */
import { z } from 'zod';
import { decimalAmount } from '../../lib/money';
import { DEMO_SEED, type DemoCategory, type DemoProduct, generateDemoData } from '../../db/seed/generate';
import type { RawPayload, Source } from '../types';
import { parseSourceOptions } from './source-options';
import {
  BROWSE_ITEM_PATH,
  BROWSE_SEARCH_PATH,
  type EbayRequestRecord,
  INSIGHTS_SEARCH_PATH,
  parseEbayPayload,
} from './ebay/parse';

const DEMO_SOURCE = 'demo';

const DAY_MS = 86_400_000;
const MARKETPLACE_IDS: Readonly<Record<string, string>> = {
  'ebay-us': 'EBAY_US',
  'ebay-de': 'EBAY_DE',
  'ebay-uk': 'EBAY_GB',
};
const CONDITION_IDS: Readonly<Record<string, string>> = {
  NEW: '1000',
  OPEN_BOX: '1500',
  REFURBISHED: '2500',
  USED: '3000',
  FOR_PARTS: '7000',
};

export const demoOptionsSchema = z.object({
  size: z.enum(['small', 'default', 'large']).default('small'),
  seed: z.coerce.number().int().default(DEMO_SEED),
  /** End of the simulated history (ISO); defaults to the start of the current UTC day, so a day's reruns match. */
  now: z.string().datetime({ offset: true }).optional(),
  /** Items per search page (eBay's maximum is 200). */
  pageSize: z.coerce.number().int().min(1).max(200).default(200),
  /** Weekly Insights snapshots before `now`, oldest first. */
  snapshots: z.coerce.number().int().min(0).max(52).default(4),
  /** Emit a getItem payload per listing (brand, MPN, GTIN, every image, category path). */
  details: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
});

export type DemoOptions = z.input<typeof demoOptionsSchema>;

function parseDemoOptions(options: unknown) {
  const parsed = parseSourceOptions(DEMO_SOURCE, demoOptionsSchema, options);
  const now = parsed.now ? new Date(parsed.now) : new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  return { ...parsed, now };
}

/**
 * The demo source; `now` may be injected for tests.
 * @example await runIngest({ db }, createDemoSource(), { size: 'small', now: '2026-06-01T00:00:00Z' });
 */
export function createDemoSource(): Source<DemoOptions> {
  return {
    name: DEMO_SOURCE,
    scope: (options) => {
      const o = parseDemoOptions(options);
      return `demo:${o.size}:${o.seed}`;
    },
    async *fetch(rawOptions, context): AsyncIterable<RawPayload> {
      const options = parseDemoOptions(rawOptions);
      const data = generateDemoData({ size: options.size, seed: options.seed, now: options.now });
      const categories = data.categories;
      const fetchedAt = options.now.toISOString();
      const pages = new Map<string, DemoProduct[]>();
      const offsets = new Map<string, number>();
      const sold: DemoProduct[] = [];

      function* flush(code: string): Generator<RawPayload> {
        const products = pages.get(code) ?? [];
        pages.set(code, []);
        if (products.length === 0) return;
        const marketplaceId = MARKETPLACE_IDS[code] ?? 'EBAY_US';
        const offset = offsets.get(code) ?? 0;
        offsets.set(code, offset + products.length);
        yield page(
          BROWSE_SEARCH_PATH,
          'itemSummaries',
          marketplaceId,
          fetchedAt,
          offset,
          options.pageSize,
          products.map((p) => itemSummary(p, categories)),
        );
        if (options.details)
          for (const product of products) yield itemDetail(marketplaceId, fetchedAt, product, categories);
      }
      for (const product of data.products()) {
        context.signal.throwIfAborted();
        if (!(product.marketplaceCode in MARKETPLACE_IDS)) continue;
        const pending = pages.get(product.marketplaceCode) ?? [];
        pending.push(product);
        pages.set(product.marketplaceCode, pending);
        if (product.sales.length > 0) sold.push(product);
        if (pending.length >= options.pageSize) yield* flush(product.marketplaceCode);
      }
      for (const code of Object.keys(MARKETPLACE_IDS)) yield* flush(code);

      for (let week = options.snapshots; week >= 1; week -= 1) {
        const at = new Date(options.now.getTime() - (week - 1) * 7 * DAY_MS);
        for (const [code, marketplaceId] of Object.entries(MARKETPLACE_IDS)) {
          const rows = sold.filter((p) => p.marketplaceCode === code).flatMap((p) => soldRow(p, at, categories));
          for (let offset = 0; offset < rows.length; offset += options.pageSize) {
            yield page(
              INSIGHTS_SEARCH_PATH,
              'itemSales',
              marketplaceId,
              at.toISOString(),
              offset,
              options.pageSize,
              rows.slice(offset, offset + options.pageSize),
              rows.length,
            );
          }
        }
      }
    },
    // Demo rows carry lifetime totals (soldRow), not eBay's 90-day ones.
    parse: (payload) => parseEbayPayload(payload, DEMO_SOURCE, { soldTotals: 'lifetime' }),
  };
}

function request(marketplaceId: string, fetchedAt: string, params: Record<string, string>): EbayRequestRecord {
  return { marketplaceId, fetchedAt, params };
}

function page(
  endpoint: string,
  key: 'itemSummaries' | 'itemSales',
  marketplaceId: string,
  fetchedAt: string,
  offset: number,
  limit: number,
  items: unknown[],
  total?: number,
): RawPayload {
  const params = { q: 'demo', limit: String(limit), offset: String(offset) };
  return {
    endpoint,
    request: request(marketplaceId, fetchedAt, params),
    status: 0,
    contentType: 'application/json',
    body: JSON.stringify({
      href: `${endpoint}?${new URLSearchParams(params)}`,
      ...(total !== undefined ? { total } : {}),
      limit,
      offset,
      [key]: items,
    }),
  };
}

function itemId(product: DemoProduct): string {
  return `v1|${product.externalId}|0`;
}

function amount(minorUnits: number, currency: string) {
  return { value: decimalAmount({ minorUnits, currency }), currency };
}

/** Ancestors of a category, leaf first, as a search summary lists them. */
function ancestry(index: number, categories: DemoCategory[]): DemoCategory[] {
  const chain: DemoCategory[] = [];
  for (let at: number | null = index; at !== null;) {
    const category: DemoCategory | undefined = categories[at];
    if (!category) break;
    chain.push(category);
    at = category.parentIndex;
  }
  return chain;
}

function common(product: DemoProduct, categories: DemoCategory[]) {
  const [main, ...rest] = product.images;
  const image = (i: { url: string; width: number | null; height: number | null }) => ({
    imageUrl: i.url,
    ...(i.width !== null ? { width: i.width } : {}),
    ...(i.height !== null ? { height: i.height } : {}),
  });
  return {
    itemId: itemId(product),
    legacyItemId: product.externalId,
    title: product.title,
    ...(product.conditionRaw ? { condition: product.conditionRaw } : {}),
    ...(CONDITION_IDS[product.condition] ? { conditionId: CONDITION_IDS[product.condition] } : {}),
    ...(product.epid ? { epid: product.epid } : {}),
    categories: ancestry(product.categoryIndex, categories).map((c) => ({
      categoryId: c.externalId,
      categoryName: c.name,
    })),
    ...(main ? { image: image(main) } : {}),
    additionalImages: rest.map(image),
    itemWebUrl: product.url,
    listingMarketplaceId: MARKETPLACE_IDS[product.marketplaceCode],
  };
}

function itemSummary(product: DemoProduct, categories: DemoCategory[]) {
  return {
    ...common(product, categories),
    price: amount(product.priceMinor, product.currency),
    buyingOptions: ['FIXED_PRICE'],
    itemCreationDate: product.firstSeenAt.toISOString(),
    ...(product.status === 'ACTIVE' ? {} : { itemEndDate: product.lastSeenAt.toISOString() }),
  };
}

function itemDetail(
  marketplaceId: string,
  fetchedAt: string,
  product: DemoProduct,
  categories: DemoCategory[],
): RawPayload {
  const chain = ancestry(product.categoryIndex, categories).reverse();
  const body = {
    ...itemSummary(product, categories),
    ...(product.brand ? { brand: product.brand } : {}),
    ...(product.mpn ? { mpn: product.mpn } : {}),
    ...(product.gtin ? { gtin: product.gtin } : {}),
    categoryPath: chain.map((c) => c.name).join('|'),
    categoryIdPath: chain.map((c) => c.externalId).join('|'),
    ...(product.availableQuantity === null
      ? {}
      : {
          estimatedAvailabilities: [
            {
              estimatedAvailabilityStatus: product.availableQuantity > 0 ? 'IN_STOCK' : 'OUT_OF_STOCK',
              estimatedAvailableQuantity: product.availableQuantity,
            },
          ],
        }),
  };
  return {
    endpoint: `${BROWSE_ITEM_PATH}${itemId(product)}`,
    request: request(marketplaceId, fetchedAt, {}),
    status: 0,
    contentType: 'application/json',
    body: JSON.stringify(body),
  };
}

/** The Insights row of a listing at `at`: lifetime units so far, the last sale; none without a sale in the 90 days before. */
function soldRow(product: DemoProduct, at: Date, categories: DemoCategory[]): unknown[] {
  const sales = product.sales.filter((s) => s.soldAt <= at);
  const last = sales[sales.length - 1];
  if (!last || last.soldAt.getTime() < at.getTime() - 90 * DAY_MS) return [];
  return [
    {
      ...common(product, categories),
      totalSoldQuantity: sales.reduce((sum, s) => sum + s.quantity, 0),
      lastSoldDate: last.soldAt.toISOString(),
      lastSoldPrice: amount(last.unitPriceMinor, last.currency),
    },
  ];
}
