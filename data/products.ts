import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, type ProductRow } from '../db/schema';
import { type ProductFilter, productConditions } from './filters';
import { findPage, type Page, type PageArgs } from './pagination';
import { byKey, idIn } from './batch';
import { prepared } from './prepared';

export type ProductListArgs = PageArgs<ProductRow> & { filter: ProductFilter };

/** One page of products matching a filter, in keyset order. */
export function findProducts(db: Db, { filter, ...page }: ProductListArgs): Promise<Page<ProductRow>> {
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
