import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, type SaleRow, sales } from '../db/schema';
import { type SaleFilter, saleConditions } from './filters';
import { after, orderBy, type PageArgs } from './pagination';
import { columnsOf, groupByKey } from './batch';

export type ProductSalesArgs = PageArgs<SaleRow> & { filter: SaleFilter };

/**
 * Up to `first + 1` sales of each product (the extra one proves a next page), for all
 * products in one statement: a LATERAL subquery per product walks sales_product_sold_at_idx.
 */
export async function salesForProducts(
  db: Db,
  productIds: readonly number[],
  args: ProductSalesArgs,
): Promise<SaleRow[][]> {
  const page = db
    .select()
    .from(sales)
    .where(
      and(
        eq(sales.productId, products.id),
        ...saleConditions(args.filter),
        args.afterCursor && after(args.sort, args.afterCursor),
      ),
    )
    .orderBy(...orderBy(args.sort))
    .limit(args.first + 1)
    .as('page');
  const rows = await db
    .select(columnsOf(page, sales))
    .from(products)
    .innerJoinLateral(page, sql`true`)
    .where(inArray(products.id, [...productIds]));
  return groupByKey(productIds, rows, (row) => row.productId);
}

/** How many sales of each product match a filter, in one grouped statement. */
export async function saleCountsForProducts(
  db: Db,
  productIds: readonly number[],
  filter: SaleFilter,
): Promise<number[]> {
  const rows = await db
    .select({ productId: sales.productId, n: count() })
    .from(sales)
    .where(and(inArray(sales.productId, [...productIds]), ...saleConditions(filter)))
    .groupBy(sales.productId);
  return groupByKey(productIds, rows, (row) => row.productId).map((group) => group[0]?.n ?? 0);
}
