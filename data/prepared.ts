import type { Db } from '../db/client';

const statements = new WeakMap<Db, Map<string, unknown>>();

/**
 * A statement of a fixed shape, built and prepared once per database and reused: Drizzle then
 * skips building the SQL on every call, which was most of what the data layer cost per
 * request. `name` names the server-side prepared statement (PostgreSQL prepares it once per
 * connection), so it must be unique to the shape `build` makes; parameters travel as
 * `sql.placeholder`s.
 * @example
 *   const byIds = prepared(db, 'products_by_ids', () =>
 *     db.select().from(products).where(sql`${products.id} = any(${sql.placeholder('ids')}::int[])`).prepare('products_by_ids'));
 *   await byIds.execute({ ids: [1, 2] });
 */
export function prepared<Statement>(db: Db, name: string, build: () => Statement): Statement {
  let byName = statements.get(db);
  if (!byName) {
    byName = new Map();
    statements.set(db, byName);
  }
  let statement = byName.get(name) as Statement | undefined;
  if (!statement) {
    statement = build();
    byName.set(name, statement);
  }
  return statement;
}
