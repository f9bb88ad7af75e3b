import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { PRODUCT_CONDITIONS } from '../../lib/reference';
import { categories } from './categories';
import { marketplaces } from './marketplaces';

/** Item condition normalized across marketplaces; the marketplace's own wording stays in `conditionRaw`. */
export const productCondition = pgEnum('product_condition', PRODUCT_CONDITIONS);

/** Listing lifecycle: still offered, ended without selling out, or sold out. */
export const productStatus = pgEnum('product_status', ['ACTIVE', 'ENDED', 'SOLD']);

/**
 * Orders by price put listings without a current price (null) last in both directions, as a
 * value past the end that a keyset cursor can hold: the largest safe integer ascending (prices
 * are safe integers: ingest/pipeline/validate.ts), -1 descending (prices are never negative).
 */
export const NO_PRICE_ORDER_VALUE = { ASC: Number.MAX_SAFE_INTEGER, DESC: -1 } as const;

/** The price as orders sort it (NO_PRICE_ORDER_VALUE); each direction has its index on it. */
export function priceOrderValue(priceMinor: AnyPgColumn, direction: 'ASC' | 'DESC'): SQL {
  return sql`coalesce(${priceMinor}, ${sql.raw(String(NO_PRICE_ORDER_VALUE[direction]))})`;
}

/** A listing on one marketplace, identified there by `externalId` (eBay item id, ASIN). */
export const products = pgTable(
  'products',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    marketplaceId: integer()
      .notNull()
      .references(() => marketplaces.id),
    externalId: text().notNull(),
    title: text().notNull(),
    brand: text(),
    /** GTIN-14: UPC/EAN/ISBN left-padded with zeros to 14 digits. */
    gtin: char({ length: 14 }),
    mpn: text(),
    /** eBay product id (catalog product), when the listing is matched to one. */
    epid: text(),
    condition: productCondition().notNull().default('UNKNOWN'),
    conditionRaw: text(),
    categoryId: integer().references(() => categories.id),
    url: text(),
    status: productStatus().notNull().default('ACTIVE'),
    /**
     * Current asking price in minor units of `currency`; null when the listing has none: out
     * of stock (Keepa's -1), or first seen without a price. `currency` stays set either way.
     */
    priceMinor: bigint({ mode: 'number' }),
    currency: char({ length: 3 }).notNull(),
    /**
     * The asking price as another site of the same marketplace showed it, converted from
     * `priceMinor` by the marketplace (eBay's `convertedFromValue`), in minor units of
     * `convertedCurrency`, and when it was seen. Null for listings seen only on their home site.
     */
    convertedPriceMinor: bigint({ mode: 'number' }),
    convertedCurrency: char({ length: 3 }),
    convertedAt: timestamp({ withTimezone: true, precision: 3 }),
    /** Units bought in the past month as the marketplace shows it (Amazon via Keepa's `monthlySold`). */
    monthlySold: integer(),
    /**
     * Units the listing still offers, as the marketplace estimates it (eBay getItem's
     * `estimatedAvailableQuantity`); null when the source does not say. Sell-through reads it.
     */
    availableQuantity: integer(),
    /** When the source last refreshed its own data for the listing (Keepa's `lastUpdate`). */
    sourceUpdatedAt: timestamp({ withTimezone: true, precision: 3 }),
    firstSeenAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /**
     * When a complete search of a scope the listing belongs to first missed it (the start of
     * that run); null while searches find it. Once unseen long enough the listing is ENDED;
     * seen again, it is ACTIVE and this is cleared (ingest/pipeline/presence.ts).
     */
    unseenSince: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [
    unique('products_marketplace_external_id_key').on(t.marketplaceId, t.externalId),
    index('products_category_id_idx').on(t.categoryId),
    // Brands match case-insensitively: "apple" finds "Apple".
    index('products_brand_lower_idx').on(sql`lower(${t.brand})`),
    index('products_title_id_idx').on(t.title, t.id),
    index('products_price_asc_id_idx').on(priceOrderValue(t.priceMinor, 'ASC'), t.id),
    index('products_price_desc_id_idx').on(priceOrderValue(t.priceMinor, 'DESC'), t.id),
    index('products_first_seen_id_idx').on(t.firstSeenAt, t.id),
    index('products_last_seen_id_idx').on(t.lastSeenAt, t.id),
    // The identifiers that link one item's listings across marketplaces (data/product-links.ts).
    index('products_gtin_idx')
      .on(t.gtin)
      .where(sql`${t.gtin} is not null`),
    index('products_epid_idx')
      .on(t.epid)
      .where(sql`${t.epid} is not null`),
    index('products_external_id_idx').on(t.externalId),
    index('products_brand_mpn_idx')
      .on(sql`lower(${t.brand})`, sql`lower(${t.mpn})`)
      .where(sql`${t.brand} is not null and ${t.mpn} is not null`),
    // Title search ignores case and accents (soldgraph_unaccent: migration 0012).
    index('products_title_search_idx').using('gin', sql`to_tsvector('simple', soldgraph_unaccent(${t.title}))`),
    check('products_price_non_negative', sql`${t.priceMinor} >= 0`),
    check('products_available_quantity_non_negative', sql`${t.availableQuantity} >= 0`),
    check('products_currency_iso4217', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
