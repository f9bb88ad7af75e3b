import { and, count, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type SaleRow, sales } from '../db/schema';
import type { CursorPosition } from '../lib/cursor';
import { type ParsedSaleFilter, saleConditions } from './filters';
import { after, orderBy, type Page, type SortKey, toPage } from './pagination';
import { byKey } from './rows';

export type SaleListArgs = {
  filter: ParsedSaleFilter;
  sort: SortKey<SaleRow>;
  first: number;
  afterCursor?: CursorPosition;
};

/** One page of sales in keyset order: one statement, plus one more if totalCount is read. */
export async function findSales(db: Db, args: SaleListArgs): Promise<Page<SaleRow>> {
  const matching = saleConditions(args.filter);
  // first + 1: the extra row only proves a next page (so even first: 0 can tell).
  const rows = await db
    .select()
    .from(sales)
    .where(and(...matching, args.afterCursor && after(args.sort, args.afterCursor)))
    .orderBy(...orderBy(args.sort))
    .limit(args.first + 1);
  let total: Promise<number> | undefined;
  const totalCount = () => {
    total ??= db
      .select({ n: count() })
      .from(sales)
      .where(and(...matching))
      .then(([row]) => row?.n ?? 0);
    return total;
  };
  return toPage(rows, args.sort, args.first, Boolean(args.afterCursor), totalCount);
}

/** Batch function for `saleById`. */
export async function salesByIds(db: Db, ids: readonly number[]): Promise<(SaleRow | null)[]> {
  const rows = await db.select().from(sales).where(inArray(sales.id, [...ids]));
  return byKey(ids, rows, (row) => row.id);
}
