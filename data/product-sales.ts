import { and, count, eq, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, type SaleRow, sales } from '../db/schema';
import { type SaleFilter, saleConditions } from './filters';
import { after, orderBy, type PageArgs, type PositionParams } from './pagination';
import { columnsOf, groupByKey, idIn } from './batch';
import { prepared } from './prepared';

export type ProductSalesArgs = PageArgs<SaleRow> & { filter: SaleFilter };

/** The LATERAL walk of each product's sales, newest (or cheapest...) first, `first + 1` of them. */
function salesPage(
  db: Db,
  args: ProductSalesArgs,
  conditions: SQL[],
  limit: number | Placeholder,
  position: PositionParams | undefined,
) {
  return db
    .select()
    .from(sales)
    .where(and(eq(sales.productId, products.id), ...conditions, position && after(args.sort, position)))
    .orderBy(...orderBy(args.sort))
    .limit(limit)
    .as('page');
}

/**
 * Up to `first + 1` sales of each product (the extra one proves a next page), for all
 * products in one statement: a LATERAL subquery per product walks sales_product_sold_at_idx.
 * The common shapes (no filter: a page of products with their latest sales, or the next page
 * of one product's history) run as prepared statements per ordering; any other is built for
 * the call.
 */
export async function salesForProducts(
  db: Db,
  productIds: readonly number[],
  args: ProductSalesArgs,
): Promise<SaleRow[][]> {
  const ids = [...productIds];
  const conditions = saleConditions(args.filter);
  const cursor = args.afterCursor;
  let rows: SaleRow[];
  if (conditions.length === 0) {
    const name = `sales_for_products_${args.sort.tag.replace(/\W/g, '_').toLowerCase()}${cursor ? '_after' : ''}`;
    const statement = prepared(db, name, (statementName) => {
      const position = cursor && { value: sql.placeholder('afterValue'), id: sql.placeholder('afterId') };
      const page = salesPage(db, args, conditions, sql.placeholder('limit'), position);
      return db
        .select(columnsOf(page, sales))
        .from(products)
        .innerJoinLateral(page, sql`true`)
        .where(idIn(products.id, sql.placeholder('ids')))
        .prepare(statementName);
    });
    rows = await statement.execute({ ids, limit: args.first + 1, afterValue: cursor?.value, afterId: cursor?.id });
  } else {
    const page = salesPage(db, args, conditions, args.first + 1, cursor);
    rows = await db
      .select(columnsOf(page, sales))
      .from(products)
      .innerJoinLateral(page, sql`true`)
      .where(inArray(products.id, ids));
  }
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
