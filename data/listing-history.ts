import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import {
  type PriceObservationRow,
  priceObservations,
  products,
  type SalesRankObservationRow,
  salesRankObservations,
} from '../db/schema';
import type { TimeRange } from './types';
import { columnsOf, groupByKey } from './batch';

/** What a history field asks of every product on a page: a period and a cap. */
export type HistoryWindow = { period?: TimeRange; limit: number };

export type PriceHistoryArgs = HistoryWindow & { kinds?: PriceObservationRow['kind'][] };

/**
 * Change points whose value held during the period: first seen before its end and last
 * confirmed at or after its start. A price unchanged for 60 days, confirmed daily, is in
 * every 30-day period it spans, not only in the one where it was first seen.
 */
function inPeriod(observed: AnyPgColumn, confirmed: AnyPgColumn, period: TimeRange | undefined): SQL[] {
  const conditions: SQL[] = [];
  if (period?.from) conditions.push(gte(confirmed, period.from));
  if (period?.to) conditions.push(lt(observed, period.to));
  return conditions;
}

/**
 * The first `limit` asked prices of each product in the period, oldest first, for all
 * products in one statement: a LATERAL subquery per product walks
 * price_observations_product_observed_idx.
 */
export async function priceObservationsForProducts(
  db: Db,
  productIds: readonly number[],
  args: PriceHistoryArgs,
): Promise<PriceObservationRow[][]> {
  const history = db
    .select()
    .from(priceObservations)
    .where(
      and(
        eq(priceObservations.productId, products.id),
        ...inPeriod(priceObservations.observedAt, priceObservations.lastConfirmedAt, args.period),
        args.kinds && inArray(priceObservations.kind, args.kinds),
      ),
    )
    .orderBy(asc(priceObservations.observedAt), asc(priceObservations.kind))
    .limit(args.limit)
    .as('history');
  const rows = await db
    .select(columnsOf(history, priceObservations))
    .from(products)
    .innerJoinLateral(history, sql`true`)
    .where(inArray(products.id, [...productIds]))
    .orderBy(asc(history.observedAt), asc(history.kind));
  return groupByKey(productIds, rows, (row) => row.productId);
}

/**
 * The first `limit` sales ranks of each product in the period, oldest first, for all
 * products in one statement over sales_rank_observations_product_observed_key.
 */
export async function salesRanksForProducts(
  db: Db,
  productIds: readonly number[],
  args: HistoryWindow,
): Promise<SalesRankObservationRow[][]> {
  const history = db
    .select()
    .from(salesRankObservations)
    .where(
      and(
        eq(salesRankObservations.productId, products.id),
        ...inPeriod(salesRankObservations.observedAt, salesRankObservations.lastConfirmedAt, args.period),
      ),
    )
    .orderBy(asc(salesRankObservations.observedAt))
    .limit(args.limit)
    .as('history');
  const rows = await db
    .select(columnsOf(history, salesRankObservations))
    .from(products)
    .innerJoinLateral(history, sql`true`)
    .where(inArray(products.id, [...productIds]))
    .orderBy(asc(history.observedAt));
  return groupByKey(productIds, rows, (row) => row.productId);
}
