import { type SQL, sql } from 'drizzle-orm';
import { PARTITION_MONTHS_AHEAD } from './partition-policy';

/**
 * Monthly partitions of the history tables (`sales`, `price_observations`,
 * `sales_rank_observations`, `sold_snapshots`; migration 0016). The work is done by the
 * database's own functions, so a migration and a running process make partitions the same way;
 * this module only builds the statements.
 */

/**
 * Gives a partition of its own to this month, the next `monthsAhead` months and every month with
 * rows in a rest partition (the ones covering whatever lies around the months), in every
 * history table. Rows: `{ made }`, one per month partition made.
 * @example await db.execute(maintainPartitions()); // after migrations, and daily by the worker
 */
export function maintainPartitions(monthsAhead = PARTITION_MONTHS_AHEAD, today = new Date()): SQL {
  return sql`select soldgraph_maintain_partitions(${monthsAhead}::int, ${today.toISOString().slice(0, 10)}::date) as made`;
}

/**
 * Makes `table`'s partitions for every month from `from` to `to` (UTC), before a bulk load of
 * that range, so its rows go straight to their months instead of through a rest partition.
 * @example await tx.execute(monthPartitions('sales', threeYearsAgo, now));
 */
export function monthPartitions(table: string, from: Date, to: Date): SQL {
  return sql`select soldgraph_month_partition(${table}::regclass, month::date)
    from generate_series(date_trunc('month', ${from.toISOString()}::timestamptz at time zone 'UTC'),
                         ${to.toISOString()}::timestamptz at time zone 'UTC', interval '1 month') month`;
}

/** One partition of a history table, as `listPartitions` reads it. */
export type PartitionRow = {
  parent: string;
  partition: string;
  /** The first UTC month it holds, `YYYY-MM`; null when it is unbounded below. */
  from: string | null;
  /** The first UTC month after it, `YYYY-MM`; null when it is unbounded above. */
  to: string | null;
  /** Rows by the planner's statistics: an estimate, -1 when the table was never analysed. */
  estimatedRows: number;
};

/** Every partition of the current schema's partitioned tables, in order of time. */
export function listPartitions(): SQL {
  return sql`
    select parent.relname as parent, part.relname as partition,
           to_char(b.lower at time zone 'UTC', 'YYYY-MM') as "from", to_char(b.upper at time zone 'UTC', 'YYYY-MM') as "to",
           part.reltuples::float8 as "estimatedRows"
    from pg_partitioned_table p
    join pg_class parent on parent.oid = p.partrelid
    join pg_inherits i on i.inhparent = parent.oid
    join pg_class part on part.oid = i.inhrelid
    cross join soldgraph_partition_bounds(part.oid::regclass) b
    where parent.relnamespace = current_schema()::regnamespace
    order by parent.relname, b.lower nulls first`;
}

/**
 * Takes every history partition wholly before `month` (`YYYY-MM`) out of its table: those with
 * rows move to the `archive` schema (readable as `archive.<partition>`), empty ones are
 * dropped. Rows of those months written later are stored again. Rows: `{ archived }`.
 */
export function archiveBefore(month: string): SQL {
  return sql`select soldgraph_archive_before(p.partrelid::regclass, ${`${month}-01`}::date) as archived
    from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
    where c.relnamespace = current_schema()::regnamespace`;
}
