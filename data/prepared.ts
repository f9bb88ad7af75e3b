import type { Db } from '../db/client';

// Per handle: a statement is bound to the pool it was built on, so each read replica's Db has its own.
const statements = new WeakMap<Db, Map<string, unknown>>();

/**
 * A statement of a fixed shape, built once per database and reused: Drizzle then skips
 * building the SQL on every call, which was most of what the data layer cost per request.
 * `shape` names what `build` makes, so it must be unique to it; parameters travel as
 * `sql.placeholder`s. `build` gets the name to give `.prepare()`: on PostgreSQL each connection
 * then parses and plans the statement once, and the pools ask for generic plans
 * (db/client.ts), so the partitioned history tables are pruned when the statement runs instead
 * of planned partition by partition on every call. Behind PgBouncer in transaction mode this
 * needs PgBouncer 1.21 or later with `max_prepared_statements` set.
 * @example
 *   const byIds = prepared(db, 'products_by_ids', (name) =>
 *     db.select().from(products).where(sql`${products.id} = any(${sql.placeholder('ids')}::int[])`).prepare(name));
 *   await byIds.execute({ ids: [1, 2] });
 */
export function prepared<Statement>(db: Db, shape: string, build: (name: string) => Statement): Statement {
  let byName = statements.get(db);
  if (!byName) {
    byName = new Map();
    statements.set(db, byName);
  }
  let statement = byName.get(shape) as Statement | undefined;
  if (!statement) {
    statement = build(shape);
    byName.set(shape, statement);
  }
  return statement;
}
