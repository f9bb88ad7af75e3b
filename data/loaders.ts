import DataLoader from 'dataloader';
import {
  type Histogram,
  type ProductDistributionArgs,
  productPriceDistributions,
} from './analytics/price-distribution';
import { type HistoryArgs, priceHistories } from './analytics/sales-stats';
import type { StatsRow } from './analytics/stats';
import type { Db } from '../db/client';
import type {
  ImageRow,
  IngestQuarantineRow,
  IngestRunRow,
  IngestWatermarkRow,
  PriceObservationRow,
  ProductRow,
  SaleRow,
  SalesRankObservationRow,
} from '../db/schema';
import type { TimeRange } from './types';
import type { EntityCache } from '../lib/cache';
import { type Catalog, loadCatalog } from './catalog';
import type { SaleFilter } from './filters';
import { imagesByIds, imagesForProducts } from './images';
import { ingestRunsByIds, type QuarantinePageArgs, quarantineCountsForRuns, quarantineForRuns } from './ingest-runs';
import { type IngestScopeValue, scopesForSources, watermarksForSources } from './ingest-sources';
import {
  type HistoryWindow,
  type PriceHistoryArgs,
  priceObservationsForProducts,
  salesRanksForProducts,
} from './listing-history';
import { type ProductSalesArgs, saleCountsForProducts, salesForProducts } from './product-sales';
import { linksForProducts, type ProductLinkArgs, type ProductLinkRow } from './product-links';
import { productsByIds } from './products';
import { groupByArguments } from './batch';
import { salesByIds } from './sales';
import { type SalesSummaryRow, salesSummariesForProducts } from './sales-summary';

/**
 * A key for a per-parent list: the parent's id plus everything else that changes the
 * result, serialized in `argumentsKey` so equal arguments batch into one statement.
 */
type ParentKey<Args> = { parentId: number; args: Args; argumentsKey: string };

/**
 * Builds a key for a per-parent loader. `identity` is a JSON-serializable value that
 * differs whenever `args` would give a different result (defaults to `args` itself).
 */
export function parentKey<Args>(parentId: number, args: Args, identity: unknown = args): ParentKey<Args> {
  return { parentId, args, argumentsKey: JSON.stringify(identity) ?? '' };
}

/**
 * A loader for per-parent lists (per product, per run) whose batch runs one statement per
 * distinct set of arguments (one in practice: sibling fields in a page ask the same).
 * `fetch` may put an Error in one parent's place: that parent's field fails alone.
 */
function perParentLoader<Args, Result>(
  fetch: (parentIds: number[], args: Args) => Promise<(Result | Error)[]>,
): DataLoader<ParentKey<Args>, Result, string> {
  return new DataLoader(
    async (keys) => {
      const results = new Map<ParentKey<Args>, Result | Error>();
      await Promise.all(
        groupByArguments(keys).map(async (group) => {
          const [first] = group;
          if (!first) return;
          const rows = await fetch(
            group.map((key) => key.parentId),
            first.args,
          );
          group.forEach((key, i) => results.set(key, rows[i] as Result | Error));
        }),
      );
      return keys.map((key) => results.get(key) as Result | Error);
    },
    { cacheKeyFn: (key) => `${key.parentId}|${key.argumentsKey}` },
  );
}

/**
 * Per-request DataLoaders: each batches one kind of lookup into one SQL statement per tick
 * and memoizes it for the rest of the request. Only the request's DataClient holds them.
 * The catalog is read from `primary` (see createDataClient).
 * @example const loaders = createLoaders(db, cache, db); await loaders.productById.load(42);
 */
export function createLoaders(db: Db, cache: EntityCache, primary: Db) {
  let catalog: Promise<Catalog> | undefined;
  return {
    /** Marketplaces and categories, from the shared cache; read once per request. */
    catalog: () => {
      catalog ??= loadCatalog(primary, cache);
      return catalog;
    },
    productById: new DataLoader<number, ProductRow | null>((ids) => productsByIds(db, ids)),
    saleById: new DataLoader<number, SaleRow | null>((ids) => salesByIds(db, ids)),
    imageById: new DataLoader<number, ImageRow | null>((ids) => imagesByIds(db, ids)),
    imagesByProductId: perParentLoader<{ limit: number }, ImageRow[]>((ids, { limit }) =>
      imagesForProducts(db, ids, limit),
    ),
    salesByProductId: perParentLoader<ProductSalesArgs, SaleRow[]>((ids, args) => salesForProducts(db, ids, args)),
    saleCountByProductId: perParentLoader<SaleFilter, number>((ids, filter) => saleCountsForProducts(db, ids, filter)),
    priceHistoryByProductId: perParentLoader<HistoryArgs, StatsRow[]>((ids, args) => priceHistories(db, ids, args)),
    priceDistributionByProductId: perParentLoader<ProductDistributionArgs, Histogram>((ids, args) =>
      productPriceDistributions(db, ids, args),
    ),
    salesSummaryByProductId: perParentLoader<TimeRange | undefined, SalesSummaryRow[]>((ids, period) =>
      salesSummariesForProducts(db, ids, period),
    ),
    listPricesByProductId: perParentLoader<PriceHistoryArgs, PriceObservationRow[]>((ids, args) =>
      priceObservationsForProducts(db, ids, args),
    ),
    linksByProductId: perParentLoader<ProductLinkArgs, ProductLinkRow[]>((ids, args) =>
      linksForProducts(db, ids, args),
    ),
    salesRanksByProductId: perParentLoader<HistoryWindow, SalesRankObservationRow[]>((ids, args) =>
      salesRanksForProducts(db, ids, args),
    ),
    ingestRunById: new DataLoader<number, IngestRunRow | null>((ids) => ingestRunsByIds(db, ids)),
    quarantineByRunId: perParentLoader<QuarantinePageArgs, IngestQuarantineRow[]>((ids, args) =>
      quarantineForRuns(db, ids, args),
    ),
    quarantineCountByRunId: new DataLoader<number, number>((ids) => quarantineCountsForRuns(db, ids)),
    watermarksBySource: new DataLoader<string, IngestWatermarkRow[]>((sources) => watermarksForSources(db, sources)),
    scopesBySource: new DataLoader<string, IngestScopeValue[]>((sources) => scopesForSources(db, sources)),
  };
}
