import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, type ProductRow } from '../db/schema';
import { type ProductFilter, productConditions } from './filters';
import { findPage, type Page, type PageArgs } from './pagination';
import { byKey, idIn } from './batch';
import { prepared } from './prepared';
import type { ProductListRow, SalesWindow } from './sales-ranking';

export type ProductListArgs = PageArgs<ProductListRow> & {
  filter: ProductFilter;
  /** The window a sales order ranks over (the sort key's own), for the cache tags it reads. */
  salesWindow?: SalesWindow;
};

/** One page of products matching a filter, in keyset order. */
export function findProducts(db: Db, { filter, ...page }: ProductListArgs): Promise<Page<ProductListRow>> {
  return findPage(db, products, productConditions(filter), page);
}

/** Batch function for `productById`: one statement for any number of ids. */
export async function productsByIds(db: Db, ids: readonly number[]): Promise<(ProductRow | null)[]> {
  const statement = prepared(db, 'products_by_ids', (name) =>
    db
      .select()
      .from(products)
      .where(idIn(products.id, sql.placeholder('ids')))
      .prepare(name),
  );
  const rows = await statement.execute({ ids: [...ids] });
  return byKey(ids, rows, (row) => row.id);
}
