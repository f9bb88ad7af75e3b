import { bigint, char, date, index, integer, pgSchema, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { productCondition } from './products';

/**
 * Pre-aggregated sales, refreshed from `sales` by db/mart.ts. Days are UTC calendar
 * days; amounts stay in the sale's own currency (conversion happens at query time with
 * `exchange_rates`), so every measure here is additive or a min/max.
 *
 * No foreign keys: every row is computed from `sales` joined to `products`, whose own keys
 * already hold, and refreshes replace whole days. Checking them again cost about half of a
 * refresh (3.2 s of 7 s for 1M product rows, measured), and the rollups are rebuilt, never
 * edited (`npm run db:mart -- rebuild` after deleting products by hand).
 */
export const mart = pgSchema('mart');

const measures = () => ({
  saleCount: integer().notNull(),
  units: integer().notNull(),
  revenueMinor: bigint({ mode: 'number' }).notNull(),
  minPriceMinor: bigint({ mode: 'number' }).notNull(),
  maxPriceMinor: bigint({ mode: 'number' }).notNull(),
});

/** One product's sales on one UTC day in one currency. */
export const productMetricsDaily = mart.table(
  'product_metrics_daily',
  {
    productId: integer().notNull(),
    day: date({ mode: 'string' }).notNull(),
    currency: char({ length: 3 }).notNull(),
    ...measures(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.day, t.currency] }), index('product_metrics_daily_day_idx').on(t.day)],
);

// A segment is every listing sharing marketplace, category, brand and condition: the
// breakdowns analysts ask for, small enough to scan years of in milliseconds.
const segment = () => ({
  marketplaceId: integer().notNull(),
  categoryId: integer(),
  brand: text(),
  condition: productCondition().notNull(),
  currency: char({ length: 3 }).notNull(),
  ...measures(),
});

/** Sales of one segment on one UTC day in one currency. */
export const segmentMetricsDaily = mart.table(
  'segment_metrics_daily',
  { day: date({ mode: 'string' }).notNull(), ...segment() },
  (t) => [
    unique('segment_metrics_daily_key')
      .on(t.day, t.marketplaceId, t.categoryId, t.brand, t.condition, t.currency)
      .nullsNotDistinct(),
    index('segment_metrics_daily_marketplace_day_idx').on(t.marketplaceId, t.day),
    index('segment_metrics_daily_category_day_idx').on(t.categoryId, t.day),
  ],
);

/** Sales of one segment in one UTC calendar month (`month` is its first day) in one currency. */
export const segmentMetricsMonthly = mart.table(
  'segment_metrics_monthly',
  { month: date({ mode: 'string' }).notNull(), ...segment() },
  (t) => [
    unique('segment_metrics_monthly_key')
      .on(t.month, t.marketplaceId, t.categoryId, t.brand, t.condition, t.currency)
      .nullsNotDistinct(),
    index('segment_metrics_monthly_category_month_idx').on(t.categoryId, t.month),
  ],
);

// The category grain drops brand and condition: a few rows per category and day, so years
// of category or marketplace breakdowns scan thousands of rows instead of hundreds of thousands.
const categoryGrain = () => ({
  marketplaceId: integer().notNull(),
  categoryId: integer(),
  currency: char({ length: 3 }).notNull(),
  ...measures(),
});

/** Sales of one category on one UTC day in one currency. */
export const categoryMetricsDaily = mart.table(
  'category_metrics_daily',
  { day: date({ mode: 'string' }).notNull(), ...categoryGrain() },
  (t) => [
    unique('category_metrics_daily_key').on(t.day, t.marketplaceId, t.categoryId, t.currency).nullsNotDistinct(),
    index('category_metrics_daily_marketplace_day_idx').on(t.marketplaceId, t.day),
  ],
);

/** Sales of one category in one UTC calendar month in one currency. */
export const categoryMetricsMonthly = mart.table(
  'category_metrics_monthly',
  { month: date({ mode: 'string' }).notNull(), ...categoryGrain() },
  (t) => [
    unique('category_metrics_monthly_key').on(t.month, t.marketplaceId, t.categoryId, t.currency).nullsNotDistinct(),
  ],
);
