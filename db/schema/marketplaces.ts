import { char, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A marketplace Soldgraph collects from (eBay US, Amazon DE, ...); `code` is its stable public name. */
export const marketplaces = pgTable('marketplaces', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  code: text().notNull().unique(),
  name: text().notNull(),
  /** ISO-4217 code of the currency listings on this marketplace are usually priced in. */
  defaultCurrency: char({ length: 3 }).notNull(),
  createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type MarketplaceRow = typeof marketplaces.$inferSelect;
export type NewMarketplace = typeof marketplaces.$inferInsert;
