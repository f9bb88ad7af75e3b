import { type AnyPgColumn, index, integer, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { marketplaces } from './marketplaces';

/**
 * One node of a marketplace's category taxonomy.
 * `path` is the materialized chain of ids from the root, e.g. `/3/17/42/`, so that
 * "this category and its descendants" is one indexed prefix match.
 */
export const categories = pgTable(
  'categories',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    marketplaceId: integer()
      .notNull()
      .references(() => marketplaces.id),
    /** The marketplace's own category id (eBay categoryId, Amazon browse node). */
    externalId: text().notNull(),
    parentId: integer().references((): AnyPgColumn => categories.id),
    name: text().notNull(),
    path: text().notNull(),
    depth: smallint().notNull(),
  },
  (t) => [
    unique('categories_marketplace_external_id_key').on(t.marketplaceId, t.externalId),
    index('categories_parent_id_idx').on(t.parentId),
    index('categories_path_idx').on(t.path.op('text_pattern_ops')),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;
export type NewCategory = typeof categories.$inferInsert;
