/**
 * The data layer's vocabulary: orderings, intervals, dimensions and ranges as TypeScript
 * unions. Codegen maps the GraphQL enums onto these (`enumValues` in codegen.ts), so the
 * API's generated types depend on the data layer, never the reverse; a test checks every list
 * against the SDL. Lists that the database also knows come from the Drizzle schema.
 */
import { categoryMapping, ingestRunStatus, priceKind, productStatus, saleGranularity } from '../db/schema';

export { PRODUCT_CONDITIONS, type ProductCondition } from '../lib/reference';

export const PRODUCT_STATUSES = productStatus.enumValues;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const SALE_GRANULARITIES = saleGranularity.enumValues;
export type SaleGranularity = (typeof SALE_GRANULARITIES)[number];

export const PRICE_KINDS = priceKind.enumValues;
export type PriceKind = (typeof PRICE_KINDS)[number];

export const CATEGORY_MAPPINGS = categoryMapping.enumValues;
export type CategoryMapping = (typeof CATEGORY_MAPPINGS)[number];

/** How two listings were found to be one item (data/product-links.ts). */
export const PRODUCT_MATCHES = ['GTIN', 'EPID', 'ASIN', 'MPN_BRAND', 'MANUAL'] as const;
export type ProductMatch = (typeof PRODUCT_MATCHES)[number];

export const INGEST_RUN_STATUSES = ingestRunStatus.enumValues;
export type IngestRunStatus = (typeof INGEST_RUN_STATUSES)[number];

export const ORDER_DIRECTIONS = ['ASC', 'DESC'] as const;
export type OrderDirection = (typeof ORDER_DIRECTIONS)[number];

/** Product orders by sales over a window of days, answered from the mart (data/sales-ranking.ts). */
export const PRODUCT_SALES_FIELDS = ['UNITS_SOLD', 'REVENUE', 'SELL_THROUGH'] as const;
export type ProductSalesField = (typeof PRODUCT_SALES_FIELDS)[number];

export const PRODUCT_ORDER_FIELDS = [
  'ID',
  'TITLE',
  'PRICE',
  'FIRST_SEEN_AT',
  'LAST_SEEN_AT',
  ...PRODUCT_SALES_FIELDS,
] as const;
export type ProductOrderField = (typeof PRODUCT_ORDER_FIELDS)[number];

export const SALE_ORDER_FIELDS = ['SOLD_AT', 'PRICE'] as const;
export type SaleOrderField = (typeof SALE_ORDER_FIELDS)[number];

/** What statistics can be grouped by. */
export const STATS_DIMENSIONS = [
  'MARKETPLACE',
  'CATEGORY',
  'MARKETPLACE_CATEGORY',
  'BRAND',
  'CONDITION',
  'PRODUCT',
] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/** Calendar periods of a time series; TOTAL is one bucket over the whole range. */
export const STATS_INTERVALS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'TOTAL'] as const;
export type StatsInterval = (typeof STATS_INTERVALS)[number];

/** What a bucket's `previous` is: the period just before it, or the same period a year before. */
export const STATS_COMPARISONS = ['PREVIOUS_PERIOD', 'PREVIOUS_YEAR'] as const;
export type StatsComparison = (typeof STATS_COMPARISONS)[number];

/** Which data answers: the cheapest exact one (AUTO), only the rollups, or only raw sales. */
export const STATS_SOURCES = ['AUTO', 'MART', 'RAW'] as const;
export type StatsSource = (typeof STATS_SOURCES)[number];

export const STATS_ORDER_FIELDS = [
  'PERIOD_START',
  'SALE_COUNT',
  'UNITS',
  'REVENUE',
  'AVERAGE_PRICE',
  'MIN_PRICE',
  'MAX_PRICE',
] as const;
export type StatsOrderField = (typeof STATS_ORDER_FIELDS)[number];

/** A half-open time range [from, to); either end may be open. */
export type TimeRange = { from?: Date; to?: Date };

/** An inclusive range of minor units; either end may be open. */
export type AmountRange = { min?: number; max?: number };
