import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type SaleRow, sales } from '../db/schema';
import { type SaleFilter, saleConditions } from './filters';
import { findPage, type Page, type PageArgs } from './pagination';
import { byKey } from './batch';

export type SaleListArgs = PageArgs<SaleRow> & { filter: SaleFilter };

/** One page of sales matching a filter, in keyset order. */
export function findSales(db: Db, { filter, ...page }: SaleListArgs): Promise<Page<SaleRow>> {
  return findPage(db, sales, saleConditions(filter), page);
}

/** Batch function for `saleById`. */
export async function salesByIds(db: Db, ids: readonly number[]): Promise<(SaleRow | null)[]> {
  const rows = await db
    .select()
    .from(sales)
    .where(inArray(sales.id, [...ids]));
  return byKey(ids, rows, (row) => row.id);
}
