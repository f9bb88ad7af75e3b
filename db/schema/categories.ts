import { type AnyPgColumn, index, integer, pgEnum, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { marketplaces } from './marketplaces';

/**
 * A node of Soldgraph's own category tree, which every marketplace's categories map onto, so
 * "Electronics" is one group whether eBay US, eBay UK or Amazon listed the item. Nodes are
 * made by the mapper (migration 0017's `soldgraph_map_categories`) from the names of the
 * marketplace categories it maps; `nameKey` is the name without case, accents, punctuation
 * or "and", so "Cell Phones & Smartphones" and "cell phones and smartphones" are one node.
 * `path` is the materialized chain of ids from the root, as in `categories`.
 */
export const canonicalCategories = pgTable(
  'canonical_categories',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer().references((): AnyPgColumn => canonicalCategories.id),
    name: text().notNull(),
    nameKey: text().notNull(),
    path: text().notNull(),
    depth: smallint().notNull(),
  },
  (t) => [
    unique('canonical_categories_parent_name_key').on(t.parentId, t.nameKey).nullsNotDistinct(),
    index('canonical_categories_path_idx').on(t.path.op('text_pattern_ops')),
  ],
);

/**
 * How a category got its canonical node: AUTO by the mapper (its name under its parent's
 * node; redone whenever names or parents change), MANUAL by an operator (`npm run
 * db:taxonomy -- map`), which the mapper never changes and whose subtree maps under it.
 */
export const categoryMapping = pgEnum('category_mapping', ['AUTO', 'MANUAL']);

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
    /** The canonical node this category maps onto; null only until the mapper has run. */
    canonicalCategoryId: integer().references(() => canonicalCategories.id),
    canonicalMapping: categoryMapping().notNull().default('AUTO'),
  },
  (t) => [
    unique('categories_marketplace_external_id_key').on(t.marketplaceId, t.externalId),
    index('categories_parent_id_idx').on(t.parentId),
    index('categories_path_idx').on(t.path.op('text_pattern_ops')),
    index('categories_canonical_category_id_idx').on(t.canonicalCategoryId),
  ],
);

export type CanonicalCategoryRow = typeof canonicalCategories.$inferSelect;
export type CategoryRow = typeof categories.$inferSelect;
export type NewCategory = typeof categories.$inferInsert;
