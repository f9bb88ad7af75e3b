import { and, asc, count, gte, lt, max, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { sales } from '../db/schema';
import type { TimeRange } from './types';
import { prepared } from './prepared';
import { groupByKey, idIn } from './batch';

/** Totals of one product's sales in one currency over a period. */
export type SalesSummaryRow = {
  productId: number;
  currency: string;
  saleCount: number;
  units: number;
  revenueMinor: number;
  minPriceMinor: number;
  maxPriceMinor: number;
  firstSoldAt: Date;
  lastSoldAt: Date;
};

/**
 * Per-currency sales totals for many products in one grouped statement, prepared once for each
 * shape of period (open, from, to, both).
 */
export async function salesSummariesForProducts(
  db: Db,
  productIds: readonly number[],
  period: TimeRange | undefined,
): Promise<SalesSummaryRow[][]> {
  const { from, to } = period ?? {};
  const name = `sales_summaries${from ? '_from' : ''}${to ? '_to' : ''}`;
  const statement = prepared(db, name, (statementName) =>
    db
      .select({
        productId: sales.productId,
        currency: sales.currency,
        saleCount: count(),
        // sum() of bigint is numeric in PostgreSQL and arrives as a string: cast back to a JS number.
        units: sql<number>`sum(${sales.quantity})::int8`.mapWith(Number),
        revenueMinor: sql<number>`sum(${sales.unitPriceMinor} * ${sales.quantity})::int8`.mapWith(Number),
        minPriceMinor: min(sales.unitPriceMinor).mapWith(Number),
        maxPriceMinor: max(sales.unitPriceMinor).mapWith(Number),
        firstSoldAt: sql<Date>`min(${sales.soldAt})`.mapWith(sales.soldAt),
        lastSoldAt: sql<Date>`max(${sales.soldAt})`.mapWith(sales.soldAt),
      })
      .from(sales)
      .where(
        and(
          idIn(sales.productId, sql.placeholder('ids')),
          from && gte(sales.soldAt, sql.placeholder('from')),
          to && lt(sales.soldAt, sql.placeholder('to')),
        ),
      )
      .groupBy(sales.productId, sales.currency)
      .orderBy(asc(sales.currency))
      .prepare(statementName),
  );
  const rows = await statement.execute({ ids: [...productIds], from, to });
  return groupByKey(productIds, rows, (row) => row.productId);
}
