import { char, date, doublePrecision, numeric, pgTable, primaryKey } from 'drizzle-orm/pg-core';

/**
 * Daily reference rates against the US dollar. `minorPerUsd` is how many minor units of
 * `currency` one US dollar buys (e.g. 92.41 euro cents, 15123 yen), so converting an amount
 * in minor units is `amount * target.minorPerUsd / source.minorPerUsd`, with no per-currency
 * exponent arithmetic at query time.
 */
export const exchangeRates = pgTable(
  'exchange_rates',
  {
    day: date({ mode: 'string' }).notNull(),
    currency: char({ length: 3 }).notNull(),
    unitsPerUsd: numeric({ precision: 20, scale: 10 }).notNull(),
    minorPerUsd: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.currency] })],
);

export type ExchangeRateRow = typeof exchangeRates.$inferSelect;
