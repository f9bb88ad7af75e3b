import { and, asc, count, inArray, max, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { sales } from '../db/schema';
import type { TimeRange } from './types';
import { saleConditions } from './filters';
import { groupByKey } from './batch';

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

/** Per-currency sales totals for many products in one grouped statement. */
export async function salesSummariesForProducts(
  db: Db,
  productIds: readonly number[],
  period: TimeRange | undefined,
): Promise<SalesSummaryRow[][]> {
  const rows = await db
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
    .where(and(inArray(sales.productId, [...productIds]), ...saleConditions({ soldAt: period })))
    .groupBy(sales.productId, sales.currency)
    .orderBy(asc(sales.currency));
  return groupByKey(productIds, rows, (row) => row.productId);
}
