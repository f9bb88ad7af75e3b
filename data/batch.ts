import { type Column, getTableColumns, type Placeholder, type SQL, sql, type Table } from 'drizzle-orm';

/**
 * Re-orders rows to match DataLoader keys: same length as `keys`, a missing key becomes null.
 * @example byKey([3, 1], rows, (row) => row.id) // [row3, row1]
 */
export function byKey<K, Row>(keys: readonly K[], rows: Row[], keyOf: (row: Row) => K): (Row | null)[] {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}

/** Groups rows under DataLoader keys: one (possibly empty) list per key, in key order. */
export function groupByKey<K, Row>(keys: readonly K[], rows: Row[], keyOf: (row: Row) => K): Row[][] {
  const groups = new Map<K, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * Splits batched keys by the arguments they share (everything but the parent id), so one
 * statement serves every parent asking with the same arguments.
 */
export function groupByArguments<K extends { argumentsKey: string }>(keys: readonly K[]): K[][] {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const group = groups.get(key.argumentsKey);
    if (group) group.push(key);
    else groups.set(key.argumentsKey, [key]);
  }
  return [...groups.values()];
}

/**
 * The columns of `table` as seen through an aliased subquery, so a LATERAL join can select
 * exactly the subquery's rows (drizzle cannot select a whole subquery as one field).
 */
export function columnsOf<Sub extends { _: { selectedFields: object } }>(
  subquery: Sub,
  table: Table,
): Sub['_']['selectedFields'] {
  const aliased = subquery as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(getTableColumns(table)).map((name) => [name, aliased[name]]),
  ) as Sub['_']['selectedFields'];
}

/**
 * `column` is one of the ids a statement prepared once receives for `ids`: one int[]
 * parameter, so the SQL text does not change with their number.
 */
export function idIn(column: Column, ids: Placeholder): SQL {
  return sql`${column} = any(${ids}::int[])`;
}
