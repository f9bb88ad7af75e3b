import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, type ProductRow } from '../db/schema';
import { type ProductFilter, productConditions } from './filters';
import { findPage, type Page, type PageArgs } from './pagination';
import { byKey } from './batch';

export type ProductListArgs = PageArgs<ProductRow> & { filter: ProductFilter };

/** One page of products matching a filter, in keyset order. */
export function findProducts(db: Db, { filter, ...page }: ProductListArgs): Promise<Page<ProductRow>> {
  return findPage(db, products, productConditions(filter), page);
}

/** Batch function for `productById`: one statement for any number of ids. */
export async function productsByIds(db: Db, ids: readonly number[]): Promise<(ProductRow | null)[]> {
  const rows = await db
    .select()
    .from(products)
    .where(inArray(products.id, [...ids]));
  return byKey(ids, rows, (row) => row.id);
}
