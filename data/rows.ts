import { getTableColumns, type SQLWrapper, type Table } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { DB_CASING, type Executor, selectRows } from '../db/client';

type Decoder<Row> = (raw: Record<string, unknown>) => Row;

const decoders = new WeakMap<Table, Decoder<unknown>>();
const casing = new CasingCache(DB_CASING);

/**
 * Turns a raw driver row of `table` (keyed by column name) into its Drizzle row type, with each
 * column's own decoder (timestamps to Date, int8 to number), worked out once per table.
 * Drizzle's own row mapping re-inspects every field of every row, through proxies when the
 * columns come from an aliased subquery: on a page of products with their sales that was a
 * fifth of the gateway's CPU.
 */
function decoderOf<T extends Table>(table: T): Decoder<T['$inferSelect']> {
  let decoder = decoders.get(table);
  if (!decoder) {
    const columns = Object.entries(getTableColumns(table)).map(
      ([key, column]) =>
        [key, casing.getColumnCasing(column), (value: unknown) => column.mapFromDriverValue(value)] as const,
    );
    decoder = (raw) => {
      const row: Record<string, unknown> = {};
      for (const [key, name, decode] of columns) {
        const value = raw[name];
        row[key] = value === null || value === undefined ? null : decode(value);
      }
      return row;
    };
    decoders.set(table, decoder);
  }
  return decoder as Decoder<T['$inferSelect']>;
}

/**
 * Runs a query built with Drizzle that selects whole rows of `table` (directly, or through an
 * aliased subquery of it) and decodes them as Drizzle would, only cheaper. With `sorted`, each
 * row also selects a computed `sort_value`, kept as the number `sortValue`.
 * @example const rows = await selectTableRows(db, products, db.select().from(products).limit(5));
 */
export async function selectTableRows<T extends Table>(
  executor: Executor,
  table: T,
  query: SQLWrapper,
  sorted = false,
): Promise<(T['$inferSelect'] & { sortValue?: number })[]> {
  const rows = await selectRows<Record<string, unknown>>(executor, query.getSQL());
  const decode = decoderOf(table);
  return sorted ? rows.map((raw) => ({ ...decode(raw), sortValue: Number(raw.sort_value) })) : rows.map(decode);
}
