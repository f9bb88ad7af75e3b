import { and, count, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { products, type ProductRow } from '../db/schema';
import { after, orderBy, type Page, toPage } from './pagination';
import { type ParsedProductFilter, productConditions } from './filters';
import type { SortKey } from './pagination';
import { byKey } from './rows';

export type ProductListArgs = {
  filter: ParsedProductFilter;
  sort: SortKey<ProductRow>;
  first: number;
  afterCursor?: { value: string | number; id: number };
};

/** One page of products in keyset order: one statement, plus one more if totalCount is read. */
export async function findProducts(db: Db, args: ProductListArgs): Promise<Page<ProductRow>> {
  const matching = productConditions(args.filter);
  // first + 1: the extra row only proves a next page (so even first: 0 can tell).
  const rows = await db
    .select()
    .from(products)
    .where(and(...matching, args.afterCursor && after(args.sort, args.afterCursor)))
    .orderBy(...orderBy(args.sort))
    .limit(args.first + 1);
  let total: Promise<number> | undefined;
  const totalCount = () => {
    total ??= db
      .select({ n: count() })
      .from(products)
      .where(and(...matching))
      .then(([row]) => row?.n ?? 0);
    return total;
  };
  return toPage(rows, args.sort, args.first, Boolean(args.afterCursor), totalCount);
}

/** Batch function for `productById`: one statement for any number of ids. */
export async function productsByIds(db: Db, ids: readonly number[]): Promise<(ProductRow | null)[]> {
  const rows = await db.select().from(products).where(inArray(products.id, [...ids]));
  return byKey(ids, rows, (row) => row.id);
}
