import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { PRICE_KINDS } from '../../lib/reference';
import { stagingRaw } from './ingest';
import { products } from './products';

/** Which asked price an observation is (lib/reference.ts PRICE_KINDS). */
export const priceKind = pgEnum('price_kind', PRICE_KINDS);

/**
 * A listing's asked price at one moment, from listing refreshes (eBay Browse) and
 * price-history sources (Keepa). Sold prices live in `sales`; this is what sellers asked.
 */
export const priceObservations = pgTable(
  'price_observations',
  {
    id: bigint({ mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    /** When this value was first seen: a row is stored only when the value changes. */
    observedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** When the value was last seen unchanged: history is stored as change points. */
    lastConfirmedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    kind: priceKind().notNull(),
    amountMinor: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull(),
    /** The source that reported it (`ebay-browse`, `keepa`, `file`). */
    source: text().notNull(),
  },
  (t) => [
    primaryKey({ name: 'price_observations_pkey', columns: [t.id, t.observedAt] }),
    unique('price_observations_product_kind_observed_key').on(t.productId, t.kind, t.observedAt),
    index('price_observations_product_observed_idx').on(t.productId, t.observedAt),
    check('price_observations_amount_non_negative', sql`${t.amountMinor} >= 0`),
    check('price_observations_currency_iso4217', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** A listing's sales rank at one moment (Keepa's SALES csv); lower sells more. */
export const salesRankObservations = pgTable(
  'sales_rank_observations',
  {
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    observedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** When the value was last seen unchanged: history is stored as change points. */
    lastConfirmedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** bigint: Keepa reports ranks past 2^31 - 1 (2,522,160,443 seen) in huge categories. */
    rank: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [unique('sales_rank_observations_product_observed_key').on(t.productId, t.observedAt)],
);

/**
 * What a marketplace's per-item sold aggregate said at one moment (eBay Marketplace
 * Insights: `totalSoldQuantity`, `lastSoldDate`, `lastSoldPrice`). Kept as such, because the
 * source forgets after 90 days; sales are derived from the increase between two snapshots.
 */
export const soldSnapshots = pgTable(
  'sold_snapshots',
  {
    id: bigint({ mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    observedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** When the value was last seen unchanged: history is stored as change points. */
    lastConfirmedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    totalSoldQuantity: integer().notNull(),
    lastSoldAt: timestamp({ withTimezone: true, precision: 3 }),
    lastSoldPriceMinor: bigint({ mode: 'number' }),
    currency: char({ length: 3 }),
    rawId: bigint({ mode: 'number' }).references(() => stagingRaw.id),
    /**
     * The days before `observedAt` that `totalSoldQuantity` counts (eBay Insights: 90), or null
     * for a lifetime total. A listing's first snapshot derives a sale only with a window.
     */
    windowDays: smallint(),
  },
  (t) => [
    primaryKey({ name: 'sold_snapshots_pkey', columns: [t.id, t.observedAt] }),
    unique('sold_snapshots_product_observed_key').on(t.productId, t.observedAt),
    check('sold_snapshots_total_non_negative', sql`${t.totalSoldQuantity} >= 0`),
  ],
);

export type PriceObservationRow = typeof priceObservations.$inferSelect;
export type NewPriceObservation = typeof priceObservations.$inferInsert;
export type SalesRankObservationRow = typeof salesRankObservations.$inferSelect;
export type SoldSnapshotRow = typeof soldSnapshots.$inferSelect;
export type NewSoldSnapshot = typeof soldSnapshots.$inferInsert;
