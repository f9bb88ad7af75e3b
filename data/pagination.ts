import { and, count, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { selectTableRows } from './rows';
import { type CursorPosition, encodeCursor } from '../lib/cursor';

/** One item of a connection with the cursor that points just past it. */
export type Edge<T> = { node: T; cursor: string };

/**
 * A page of a connection as resolvers receive it. `totalCount` is a function so the
 * count query runs only when a client asks for it.
 */
export type Page<T> = {
  edges: Edge<T>[];
  /** A promise when it takes a statement of its own to know (a first page of 0 rows). */
  hasNextPage: boolean | Promise<boolean>;
  hasPreviousPage: boolean;
  totalCount: () => Promise<number>;
};

/**
 * A total order for keyset pagination: a sort column, then the id to break ties, both in
 * the same direction so one row comparison `(col, id) > (v, id)` finds the next page.
 */
export type SortKey<Row> = {
  /** Tags cursors so one from another order is refused. */
  tag: string;
  /** A column of the table, or a value computed beside it (see `join`). */
  column: AnyPgColumn | SQL;
  id: AnyPgColumn;
  direction: 'ASC' | 'DESC';
  /** The value a cursor records for a row. */
  valueOf: (row: Row) => string | number;
  /** What that value is, so a cursor's value can be checked before SQL reads it back. */
  kind: 'integer' | 'number' | 'text' | 'timestamptz';
  /**
   * For a value computed from other tables (units sold per product): the joins `column` reads.
   * `findPage` then returns it on each row as `sortValue`, which `valueOf` reads.
   */
  join?: SQL;
};

/** ORDER BY clauses for a sort key. */
export function orderBy<Row>(key: SortKey<Row>): SQL[] {
  const direction = key.direction === 'ASC' ? sql`asc` : sql`desc`;
  if (key.column === key.id) return [sql`${key.id} ${direction}`];
  return [sql`${key.column} ${direction}`, sql`${key.id} ${direction}`];
}

/** A cursor's position, or placeholders for one in a prepared statement. */
export type PositionParams = { value: CursorPosition['value'] | Placeholder; id: number | Placeholder };

/** The condition "strictly after `position`" in the key's order. */
export function after<Row>(key: SortKey<Row>, position: PositionParams): SQL {
  const comparison = key.direction === 'ASC' ? sql`>` : sql`<`;
  if (key.column === key.id) return sql`${key.id} ${comparison} ${position.id}`;
  const value =
    key.kind === 'timestamptz'
      ? sql`${position.value}::timestamptz`
      : key.kind === 'number'
        ? sql`${position.value}::float8`
        : sql`${position.value}`;
  const rows = sql`(${key.column}, ${key.id}) ${comparison} (${value}, ${position.id})`;
  if (key.kind !== 'timestamptz') return rows;
  // Implied by the row comparison, but PostgreSQL prunes partitions by plain comparisons only:
  // a page deep in a time-partitioned history (sales) skips the partitions it has passed.
  return sql`${rows} and ${key.column} ${comparison}= ${value}`;
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only proves a next page.
 * @example toPage(rows, key, 20, Boolean(args.after), () => countRows())
 */
export function toPage<Row extends { id: number }>(
  rows: Row[],
  key: SortKey<Row>,
  limit: number,
  hasPreviousPage: boolean,
  totalCount: () => Promise<number>,
): Page<Row> {
  const edges = rows.slice(0, limit).map((node) => edgeOf(node, key));
  return { edges, hasNextPage: rows.length > limit, hasPreviousPage, totalCount };
}

/** An edge whose cursor is encoded when read: a page of products with their sales reads few of hundreds. */
function edgeOf<Row extends { id: number }>(node: Row, key: SortKey<Row>): Edge<Row> {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      cursor ??= encodeCursor(key.tag, { value: key.valueOf(node), id: node.id });
      return cursor;
    },
  };
}

/** What a top-level connection asks for: an order, a page size and where to start. */
export type PageArgs<Row> = { sort: SortKey<Row>; first: number; afterCursor?: CursorPosition };

/**
 * One page of `table`'s rows matching `conditions` in keyset order: one statement, plus a
 * count statement only if the client reads totalCount (`first: 0` from the start: the count alone). `Row` must be the table's row type,
 * with `sortValue` when the sort key computes its value (`SortKey.join`).
 */
export async function findPage<Row extends { id: number }>(
  db: Db,
  table: PgTable,
  conditions: SQL[],
  args: PageArgs<Row>,
): Promise<Page<Row>> {
  const { sort } = args;
  let total: Promise<number> | undefined;
  const totalCount = () => {
    total ??= db
      .select({ n: count() })
      .from(table)
      .where(and(...conditions))
      .then(([row]) => row?.n ?? 0);
    return total;
  };
  // `first: 0` from the start asks for the count alone (a dashboard's KPI): no page to read,
  // and whether one follows is whether anything matches, counted only if asked.
  if (args.first === 0 && !args.afterCursor) {
    return {
      edges: [],
      get hasNextPage() {
        return totalCount().then((n) => n > 0);
      },
      hasPreviousPage: false,
      totalCount,
    };
  }
  const where = and(...conditions, args.afterCursor && after(sort, args.afterCursor));
  // first + 1: the extra row only proves a next page (so even first: 0 can tell).
  const limit = args.first + 1;
  const query = sort.join
    ? sql`select ${table}.*, ${sort.column} as sort_value from ${table}${sort.join}
          ${where ? sql`where ${where}` : sql``}
          order by ${sql.join(orderBy(sort), sql`, `)} limit ${limit}`
    : db
        .select()
        .from(table)
        .where(where)
        .orderBy(...orderBy(sort))
        .limit(limit);
  const rows = (await selectTableRows(db, table, query, Boolean(sort.join))) as Row[];
  return toPage(rows, args.sort, args.first, Boolean(args.afterCursor), totalCount);
}
