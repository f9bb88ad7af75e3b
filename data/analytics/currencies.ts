import { sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client';
import { exchangeRates } from '../../db/schema';

/**
 * The currencies amounts can be converted to and from: those with at least one exchange rate,
 * sorted.
 * @example await convertibleCurrencies(db) // ['EUR', 'GBP', 'JPY', 'USD']
 */
export async function convertibleCurrencies(db: Db): Promise<string[]> {
  const found = await selectRows<{ currency: unknown }>(
    db,
    sql`select distinct ${exchangeRates.currency} as currency from ${exchangeRates} order by 1`,
  );
  return found.map((row) => String(row.currency));
}
