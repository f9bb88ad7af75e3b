import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { products } from './products';

/** A picture of a listing; `position` 0 is the gallery (main) image. */
export const images = pgTable(
  'images',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    productId: integer()
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    /** Pixel size; marketplaces often omit it, so both may be null. */
    width: integer(),
    height: integer(),
    position: smallint().notNull(),
    contentHash: text(),
  },
  (t) => [
    unique('images_product_url_key').on(t.productId, t.url),
    index('images_product_position_idx').on(t.productId, t.position, t.id),
    check('images_position_non_negative', sql`${t.position} >= 0`),
  ],
);

export type ImageRow = typeof images.$inferSelect;
export type NewImage = typeof images.$inferInsert;
