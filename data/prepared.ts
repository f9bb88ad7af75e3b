import type { Db } from '../db/client';

// Per handle: a statement is bound to the pool it was built on, so each read replica's Db has its own.
const statements = new WeakMap<Db, Map<string, unknown>>();

/**
 * The name to give Drizzle's `.prepare()`: none. The saving is in building the SQL once, not in
 * a server-side named statement, which PgBouncer in transaction mode loses between statements
 * and RDS Proxy pins a session for.
 */
export const UNNAMED = '';

/**
 * A statement of a fixed shape, built once per database and reused: Drizzle then skips
 * building the SQL on every call, which was most of what the data layer cost per request.
 * `shape` names what `build` makes, so it must be unique to it; parameters travel as
 * `sql.placeholder`s.
 * @example
 *   const byIds = prepared(db, 'products_by_ids', () =>
 *     db.select().from(products).where(sql`${products.id} = any(${sql.placeholder('ids')}::int[])`).prepare(UNNAMED));
 *   await byIds.execute({ ids: [1, 2] });
 */
export function prepared<Statement>(db: Db, shape: string, build: () => Statement): Statement {
  let byName = statements.get(db);
  if (!byName) {
    byName = new Map();
    statements.set(db, byName);
  }
  let statement = byName.get(shape) as Statement | undefined;
  if (!statement) {
    statement = build();
    byName.set(shape, statement);
  }
  return statement;
}
