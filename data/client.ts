import type { Db } from '../db/client';
import type { IngestQuarantineRow, ProductRow, SaleRow } from '../db/schema';
import type { EntityCache } from '../lib/cache';
import { CACHE_TAGS, martRangeTags } from '../lib/cache-tags';
import {
  type DistributionRequest,
  priceDistribution,
  type ProductDistributionArgs,
} from './analytics/price-distribution';
import { convertibleCurrencies } from './analytics/currencies';
import { attachGroups, type HistoryArgs, salesStats, type StatsPage, type StatsRequest } from './analytics/sales-stats';
import { findIngestRuns, type IngestRunListArgs, quarantineSortKey } from './ingest-runs';
import { findIngestSources } from './ingest-sources';
import type { HistoryWindow, PriceHistoryArgs } from './listing-history';
import { createLoaders, parentKey } from './loaders';
import { type Page, type PageArgs, toPage } from './pagination';
import type { ProductLinkArgs } from './product-links';
import type { ProductSalesArgs } from './product-sales';
import { findProducts, type ProductListArgs } from './products';
import { findSales, type SaleListArgs } from './sales';
import type { TimeRange } from './types';

/**
 * The data layer as one request sees it: every read the API makes goes through here. Lookups
 * by id and per-parent lists (a product's images, sales, summaries) go through DataLoaders
 * that batch a page's worth into one statement per kind and memoize for this request; the
 * loaders stay private, so nothing above can bypass the batching or hold a database handle.
 * Build one per request and never share it.
 *
 * It also notes what the request read as cache tags (lib/cache-tags.ts), so a cached answer
 * can be dropped when any of it changes.
 *
 * `db` may be a read replica (docs/replicas.md); `primary` is where the catalog is read, since
 * it goes into the shared cache for every request, and a lagging replica would put an old one
 * back there after ingestion purged it.
 * @example
 *   const data = createDataClient(db, cache);
 *   const [a, b] = await Promise.all([data.product(1), data.product(2)]); // one statement
 */
export function createDataClient(db: Db, cache: EntityCache, primary: Db = db) {
  const loaders = createLoaders(db, cache, primary);
  const tags = new Set<string>([CACHE_TAGS.all]);
  const tag = (...names: string[]) => names.forEach((name) => tags.add(name));
  // A list confined to some marketplaces reads only their listings; any other reads them all.
  const tagListings = (marketplaceIds: number[] | undefined) =>
    marketplaceIds ? tag(...marketplaceIds.map(CACHE_TAGS.listingsOf)) : tag(CACHE_TAGS.listings);
  return {
    /** The cache tags of everything read so far (lib/cache-tags.ts). */
    cacheTags: (): string[] => [...tags],

    /** Marketplaces and the category taxonomy, from the shared cache; read once per request. */
    catalog: () => {
      tag(CACHE_TAGS.catalog);
      return loaders.catalog();
    },

    async product(id: number) {
      const row = await loaders.productById.load(id);
      // A product that is not there yet may come with any marketplace's next run.
      tag(row ? CACHE_TAGS.listingsOf(row.marketplaceId) : CACHE_TAGS.listings);
      return row;
    },
    sale: (id: number) => {
      tag(CACHE_TAGS.listings);
      return loaders.saleById.load(id);
    },
    image: (id: number) => {
      tag(CACHE_TAGS.listings);
      return loaders.imageById.load(id);
    },
    ingestRun: (id: number) => loaders.ingestRunById.load(id),

    /** One page of products; later lookups of them by id (Sale.product, ...) cost nothing. */
    async products(args: ProductListArgs): Promise<Page<ProductRow>> {
      tagListings(args.filter.marketplaceIds);
      if (args.salesWindow) {
        // A sales order reads the mart's days in its window, and REVENUE the exchange rates.
        const { from, to } = args.salesWindow;
        tag(CACHE_TAGS.rates, ...martRangeTags(new Date(from), new Date(to)));
      }
      const page = await findProducts(db, args);
      for (const { node } of page.edges) loaders.productById.prime(node.id, node);
      return page;
    },
    sales: (args: SaleListArgs): Promise<Page<SaleRow>> => {
      tagListings(args.filter.product?.marketplaceIds);
      return findSales(db, args);
    },

    async ingestRuns(args: IngestRunListArgs) {
      const page = await findIngestRuns(db, args);
      for (const { node } of page.edges) loaders.ingestRunById.prime(node.id, node);
      return page;
    },
    ingestSources: () => findIngestSources(db),
    watermarks: (source: string) => loaders.watermarksBySource.load(source),
    /** A source's scopes (its incremental streams), each with its own latest run. */
    ingestScopes: (source: string) => loaders.scopesBySource.load(source),

    /** The first `limit` images of a product, in gallery order. */
    productImages: (productId: number, limit: number) =>
      loaders.imagesByProductId.load(parentKey(productId, { limit })),

    /** One page of a product's sales; `totalCount` counts only when called. */
    async productSales(productId: number, args: ProductSalesArgs): Promise<Page<SaleRow>> {
      const { filter, sort, first, afterCursor } = args;
      // The sort key holds column objects: its tag stands for it in the batching key.
      const rows = await loaders.salesByProductId.load(
        parentKey(productId, args, [filter, sort.tag, first, afterCursor]),
      );
      const totalCount = () => loaders.saleCountByProductId.load(parentKey(productId, filter));
      return toPage(rows, sort, first, Boolean(afterCursor), totalCount);
    },

    /** A product's sales totals per currency over `period` (all time when absent). */
    productSalesSummary: (productId: number, period: TimeRange | undefined) =>
      loaders.salesSummaryByProductId.load(parentKey(productId, period)),
    productPriceHistory: (productId: number, args: HistoryArgs) =>
      loaders.priceHistoryByProductId.load(parentKey(productId, args)),
    productPriceDistribution: (productId: number, args: ProductDistributionArgs) =>
      loaders.priceDistributionByProductId.load(parentKey(productId, args)),
    productListPrices: (productId: number, args: PriceHistoryArgs) =>
      loaders.listPricesByProductId.load(parentKey(productId, args)),
    productSalesRanks: (productId: number, args: HistoryWindow) =>
      loaders.salesRanksByProductId.load(parentKey(productId, args)),
    /** Listings of the same item on other marketplaces: they may be any marketplace's. */
    productLinks: (productId: number, args: ProductLinkArgs) => {
      // Any marketplace's listings, and the rates their prices are converted at.
      tag(CACHE_TAGS.listings, CACHE_TAGS.rates);
      return loaders.linksByProductId.load(parentKey(productId, args));
    },

    /** One page of the records a run quarantined, in the order they were set aside. */
    async runQuarantine(runId: number, args: Omit<PageArgs<IngestQuarantineRow>, 'sort'>) {
      const rows = await loaders.quarantineByRunId.load(parentKey(runId, args));
      const totalCount = () => loaders.quarantineCountByRunId.load(runId);
      return toPage(rows, quarantineSortKey, args.first, Boolean(args.afterCursor), totalCount);
    },

    /** A page of statistics buckets, each with its marketplace and category rows attached. */
    async salesStats(request: StatsRequest): Promise<StatsPage> {
      tag(CACHE_TAGS.catalog, ...martRangeTags(request.from, request.to));
      if (request.targetCurrency) tag(CACHE_TAGS.rates);
      const [page, catalog] = await Promise.all([salesStats(db, request), loaders.catalog()]);
      if (page.compared) tag(...martRangeTags(page.compared.from, page.compared.to));
      return { ...page, buckets: attachGroups(page.buckets, catalog) };
    },
    /** Currencies with exchange rates: what `targetCurrency` accepts. */
    convertibleCurrencies: () => {
      tag(CACHE_TAGS.rates);
      return convertibleCurrencies(db);
    },
    priceDistribution: (request: DistributionRequest) => {
      // It reads raw sales, not the mart: new sales of any marketplace change it.
      tag(CACHE_TAGS.listings, ...martRangeTags(request.period?.from, request.period?.to));
      return priceDistribution(db, request);
    },
  };
}

/** The data layer of one request. */
export type DataClient = ReturnType<typeof createDataClient>;
