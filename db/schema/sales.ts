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
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { products } from './products';

/**
 * How precise a sale row is: one real transaction, or units derived from the change of a
 * marketplace's per-item sold aggregate between two snapshots (eBay Marketplace Insights).
 */
export const saleGranularity = pgEnum('sale_granularity', ['TRANSACTION', 'AGGREGATE_DERIVED']);

/**
 * One sale of a product. Money is integer minor units of `currency` (cents, yen).
 * `sourceKey` is the natural key the source gives (order line id, snapshot pair), so
 * re-running an import never duplicates a sale.
 */
export const sales = pgTable(
  'sales',
  {
    id: bigint({ mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    sourceKey: text().notNull(),
    soldAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    unitPriceMinor: bigint({ mode: 'number' }).notNull(),
    currency: char({ length: 3 }).notNull(),
    quantity: integer().notNull().default(1),
    shippingMinor: bigint({ mode: 'number' }),
    granularity: saleGranularity().notNull().default('TRANSACTION'),
  },
  (t) => [
    primaryKey({ name: 'sales_pkey', columns: [t.id, t.soldAt] }),
    unique('sales_product_source_key_key').on(t.productId, t.sourceKey, t.soldAt),
    index('sales_product_sold_at_idx').on(t.productId, t.soldAt, t.id),
    index('sales_sold_at_idx').on(t.soldAt, t.id),
    index('sales_unit_price_idx').on(t.unitPriceMinor, t.id),
    check('sales_quantity_positive', sql`${t.quantity} > 0`),
    check('sales_unit_price_non_negative', sql`${t.unitPriceMinor} >= 0`),
    check('sales_shipping_non_negative', sql`${t.shippingMinor} >= 0`),
    check('sales_currency_iso4217', sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export type SaleRow = typeof sales.$inferSelect;
export type NewSale = typeof sales.$inferInsert;
