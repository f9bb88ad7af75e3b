import { bigint, index, integer, pgSchema, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Where the alert rules left an alert; the GraphQL enum AlertStatus has the same values. */
export type AlertStatus = 'PENDING' | 'WAITING' | 'TRIGGERED' | 'CURRENCY_MISMATCH' | 'ENDED' | 'NOT_FOUND';

/**
 * Everything the watchlists subgraph stores lives in its own PostgreSQL schema (or its own
 * embedded database): it never reads or writes the core's tables, and holds product ids only
 * as the core's keys.
 */
export const watchlistsSchema = pgSchema('watchlists');

/** One user's watch on one product with a target price: a price alert, and where it stands. */
export const priceAlerts = watchlistsSchema.table(
  'price_alerts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** `local` (the one user of an open, embedded install) or `key:<sha256 of the API key, 24 hex>`. */
    owner: text().notNull(),
    /** The core's `Product.id`. */
    productId: bigint({ mode: 'number' }).notNull(),
    targetMinorUnits: bigint({ mode: 'number' }).notNull(),
    currency: text().notNull(),
    status: text().$type<AlertStatus>().notNull().default('PENDING'),
    lastPriceMinorUnits: bigint({ mode: 'number' }),
    lastPriceCurrency: text(),
    triggeredAt: timestamp({ withTimezone: true }),
    evaluatedAt: timestamp({ withTimezone: true }),
    /** The newest landed ingestion run (the core's `IngestRun.id`) the last evaluation followed. */
    evaluatedRunId: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('price_alerts_owner_product_key').on(t.owner, t.productId),
    index('price_alerts_product_idx').on(t.productId),
  ],
);

export type PriceAlertRow = typeof priceAlerts.$inferSelect;

/** Each landed ingestion run the alert rules have followed, with the pass that followed it. */
export const alertEvaluations = watchlistsSchema.table('alert_evaluations', {
  /** The core's `IngestRun.id`. */
  runId: bigint({ mode: 'number' }).primaryKey(),
  evaluatedAt: timestamp({ withTimezone: true }).notNull(),
  alerts: integer().notNull(),
  triggered: integer().notNull(),
});

export type AlertEvaluationRow = typeof alertEvaluations.$inferSelect;
