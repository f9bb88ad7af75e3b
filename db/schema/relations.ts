/**
 * How the tables relate, for Drizzle's relational queries (`db.query.products.findMany({ with })`).
 * Kept apart from the tables so each table file imports only the tables it references by
 * foreign key, and the schema's modules form no cycle.
 */
import { relations } from 'drizzle-orm';
import { categories } from './categories';
import { images } from './images';
import { ingestQuarantine, ingestRunPages, ingestRuns, stagingRaw } from './ingest';
import { marketplaces } from './marketplaces';
import { priceObservations, salesRankObservations, soldSnapshots } from './observations';
import { products } from './products';
import { sales } from './sales';

export const categoriesRelations = relations(categories, ({ one, many }) => ({
  marketplace: one(marketplaces, {
    fields: [categories.marketplaceId],
    references: [marketplaces.id],
  }),
  parent: one(categories, {
    fields: [categories.parentId],
    references: [categories.id],
    relationName: 'category_parent',
  }),
  children: many(categories, { relationName: 'category_parent' }),
  products: many(products),
}));

export const imagesRelations = relations(images, ({ one }) => ({
  product: one(products, { fields: [images.productId], references: [products.id] }),
}));

export const ingestRunsRelations = relations(ingestRuns, ({ many }) => ({
  pages: many(ingestRunPages),
  quarantine: many(ingestQuarantine),
}));

export const ingestRunPagesRelations = relations(ingestRunPages, ({ one }) => ({
  run: one(ingestRuns, { fields: [ingestRunPages.runId], references: [ingestRuns.id] }),
  raw: one(stagingRaw, { fields: [ingestRunPages.rawId], references: [stagingRaw.id] }),
}));

export const marketplacesRelations = relations(marketplaces, ({ many }) => ({
  categories: many(categories),
  products: many(products),
}));

export const priceObservationsRelations = relations(priceObservations, ({ one }) => ({
  product: one(products, { fields: [priceObservations.productId], references: [products.id] }),
}));

export const salesRankObservationsRelations = relations(salesRankObservations, ({ one }) => ({
  product: one(products, { fields: [salesRankObservations.productId], references: [products.id] }),
}));

export const soldSnapshotsRelations = relations(soldSnapshots, ({ one }) => ({
  product: one(products, { fields: [soldSnapshots.productId], references: [products.id] }),
}));

export const productsRelations = relations(products, ({ one, many }) => ({
  marketplace: one(marketplaces, {
    fields: [products.marketplaceId],
    references: [marketplaces.id],
  }),
  category: one(categories, { fields: [products.categoryId], references: [categories.id] }),
  images: many(images),
  sales: many(sales),
}));

export const salesRelations = relations(sales, ({ one }) => ({
  product: one(products, { fields: [sales.productId], references: [products.id] }),
}));
