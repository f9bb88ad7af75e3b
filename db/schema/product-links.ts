import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { products } from './products';

/** An operator's word on two listings: the same item, or not, whatever their identifiers say. */
export const productLinkVerdict = pgEnum('product_link_verdict', ['SAME', 'DIFFERENT']);

/**
 * Corrections to the links between listings of one item on several marketplaces, which are
 * otherwise read from their identifiers (data/product-links.ts). One row per pair, lower id
 * first; `npm run db:links` writes them.
 */
export const productLinkVerdicts = pgTable(
  'product_link_verdicts',
  {
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    otherProductId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    verdict: productLinkVerdict().notNull(),
    decidedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.otherProductId] }),
    index('product_link_verdicts_other_idx').on(t.otherProductId),
    check('product_link_verdicts_ordered', sql`${t.productId} < ${t.otherProductId}`),
  ],
);

export type ProductLinkVerdictRow = typeof productLinkVerdicts.$inferSelect;
