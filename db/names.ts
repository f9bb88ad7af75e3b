import { type Column, type SQL, sql } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';

/**
 * A column's name as the database knows it: the schema names columns by their keys, and the
 * driver snake_cases those (`casing: 'snake_case'`), so `products.marketplaceId` is `marketplace_id`.
 */
export function columnName(column: Column): string {
  return column.keyAsName ? toSnakeCase(column.name) : column.name;
}

/**
 * Unqualified column names, comma-separated, for hand-written SQL that must name columns
 * without their table: insert lists, conflict targets, SET clauses, row comparisons. Written
 * through the schema, a renamed column fails the typecheck instead of the statement.
 * @example sql`insert into ${sales} (${names(sales.productId, sales.sourceKey)}) ...`
 */
export function names(...columns: Column[]): SQL {
  return sql.join(
    columns.map((column) => sql.identifier(columnName(column))),
    sql`, `,
  );
}

/**
 * `col = excluded.col` for each column: the SET list of an upsert that takes the incoming row.
 * @example sql`on conflict (...) do update set ${setExcluded(sales.soldAt, sales.currency)}`
 */
export function setExcluded(...columns: Column[]): SQL {
  return sql.join(
    columns.map(
      (column) => sql`${sql.identifier(columnName(column))} = excluded.${sql.identifier(columnName(column))}`,
    ),
    sql`, `,
  );
}

/** The incoming row's columns in an upsert (`excluded.col, ...`), to compare with the stored row. */
export function excluded(...columns: Column[]): SQL {
  return sql.join(
    columns.map((column) => sql`excluded.${sql.identifier(columnName(column))}`),
    sql`, `,
  );
}
