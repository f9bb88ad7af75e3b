import { type SQL, sql } from 'drizzle-orm';
import type { Db, Executor } from './client';
import {
  categoryMetricsDaily,
  categoryMetricsMonthly,
  productMetricsDaily,
  products,
  sales,
  segmentMetricsDaily,
  segmentMetricsMonthly,
} from './schema';

const saleDay = sql`(${sales.soldAt} at time zone 'UTC')::date`;

const measureColumns = sql`sale_count, units, revenue_minor, min_price_minor, max_price_minor`;
const saleMeasures = sql`count(*), sum(${sales.quantity}), sum(${sales.unitPriceMinor} * ${sales.quantity}),
  min(${sales.unitPriceMinor}), max(${sales.unitPriceMinor})`;
/** The same measures summed over finer rollup rows: counts and sums add, extremes widen. */
const rolledUpMeasures = sql`sum(sale_count), sum(units), sum(revenue_minor), min(min_price_minor), max(max_price_minor)`;
const segmentColumns = sql`marketplace_id, category_id, brand, condition, currency`;

async function fillProductDaily(tx: Executor, where: SQL) {
  // In key order the primary key's pages are filled one after another, not visited at random.
  await tx.execute(sql`
    insert into ${productMetricsDaily} (product_id, day, currency, ${measureColumns})
    select ${sales.productId}, ${saleDay}, ${sales.currency}, ${saleMeasures}
    from ${sales} where ${where}
    group by ${sales.productId}, ${saleDay}, ${sales.currency}
    order by 1, 2, 3`);
}

/** Segment rows from the product rows (a product is in one segment), a fraction of the sales to read. */
async function fillSegmentDaily(tx: Executor, where: SQL) {
  await tx.execute(sql`
    insert into ${segmentMetricsDaily} (day, ${segmentColumns}, ${measureColumns})
    select d.day, ${products.marketplaceId}, ${products.categoryId}, ${products.brand},
           ${products.condition}, d.currency, ${rolledUpMeasures}
    from ${productMetricsDaily} d join ${products} on ${products.id} = d.product_id
    where ${where}
    group by d.day, ${products.marketplaceId}, ${products.categoryId}, ${products.brand},
             ${products.condition}, d.currency`);
}

const categoryColumns = sql`marketplace_id, category_id, currency`;

/**
 * Two refreshes of days in one month would both delete and refill that month's rows; the
 * second insert would then break its unique key. A transaction-scoped advisory lock per month
 * (taken in month order, so two refreshes never wait on each other in a circle) makes
 * refreshes of the same months take turns, while refreshes of different months run at once.
 * A session may take the same lock again, so callers can lock before they choose their days.
 */
export async function lockMartMonths(tx: Executor, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  await tx.execute(sql`
    select pg_advisory_xact_lock(${MART_LOCK_SPACE}, month) from (
      select distinct (extract(year from d) * 12 + extract(month from d))::int as month
      from unnest(${sql.param([...days])}::date[]) d
      order by 1) months`);
}

/** The advisory-lock namespace of mart refreshes (an arbitrary constant). */
const MART_LOCK_SPACE = 730114;

/**
 * Rollups computed from finer rollups rather than from sales, in dependency order: `period`
 * is the target's period column, derived from the source's `day` column (or its own).
 */
const derivedRollups = [
  { target: segmentMetricsMonthly, source: segmentMetricsDaily, keys: segmentColumns, monthly: true },
  { target: categoryMetricsDaily, source: segmentMetricsDaily, keys: categoryColumns, monthly: false },
  { target: categoryMetricsMonthly, source: categoryMetricsDaily, keys: categoryColumns, monthly: true },
] as const;

type Derived = (typeof derivedRollups)[number];

/** The derived rollup's period column and its value computed from the source's days. */
function periodOf(rollup: Derived) {
  return rollup.monthly
    ? { column: sql`month`, value: sql`date_trunc('month', day)::date` }
    : { column: sql`day`, value: sql`day` };
}

async function fillDerived(tx: Executor, rollup: Derived, sourceWhere: SQL) {
  const period = periodOf(rollup);
  await tx.execute(sql`
    insert into ${rollup.target} (${period.column}, ${rollup.keys}, ${measureColumns})
    select ${period.value}, ${rollup.keys}, ${rolledUpMeasures}
    from ${rollup.source} where ${sourceWhere}
    group by ${period.value}, ${rollup.keys}`);
}

/**
 * Recomputes every rollup of the given UTC days (`YYYY-MM-DD`) from `sales`, in one
 * transaction: the days' product and segment rows whole, and the months they fall in.
 * Idempotent: running it twice changes nothing.
 * @example await refreshMart(db, ['2026-11-20', '2026-11-21']);
 */
export async function refreshMart(db: Db, days: readonly string[]): Promise<void> {
  await db.transaction((tx) => refreshMartWithin(tx, days));
}

/**
 * `refreshMart` inside a transaction the caller owns, e.g. the one that takes the days off
 * the ingestion queue. Costs about one pass over the days' sales, whatever changed in them.
 */
export async function refreshMartWithin(tx: Executor, days: readonly string[]): Promise<void> {
  const sorted = [...new Set(days)].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return;
  await lockMartMonths(tx, sorted);
  const dayList = sql`${sql.param(sorted)}::date[]`;
  // A range the sold_at index can use, then a hashed lookup of the exact days.
  const inDays = sql`${sales.soldAt} >= ${first}::date at time zone 'UTC'
    and ${sales.soldAt} < (${last}::date + 1) at time zone 'UTC'
    and ${saleDay} in (select unnest(${dayList}))`;
  await tx.execute(sql`delete from ${productMetricsDaily} where day = any(${dayList})`);
  await fillProductDaily(tx, inDays);
  await tx.execute(sql`delete from ${segmentMetricsDaily} where day = any(${dayList})`);
  await fillSegmentDaily(tx, sql`d.day = any(${dayList})`);
  const months = sql`(select distinct date_trunc('month', d)::date from unnest(${dayList}) d)`;
  for (const rollup of derivedRollups) {
    // A month is recomputed whole from its days; a day from itself.
    const touched = rollup.monthly ? sql`month in ${months}` : sql`day = any(${dayList})`;
    const sourceWhere = rollup.monthly ? sql`date_trunc('month', day)::date in ${months}` : sql`day = any(${dayList})`;
    await tx.execute(sql`delete from ${rollup.target} where ${touched}`);
    await fillDerived(tx, rollup, sourceWhere);
  }
}

/** Rebuilds every rollup from `sales` in one transaction (after a bulk load or a repair). */
export async function rebuildMart(db: Db): Promise<void> {
  await db.transaction((tx) => rebuildMartWithin(tx));
}

/** `rebuildMart` inside a transaction the caller owns, e.g. the demo seed's. */
export async function rebuildMartWithin(tx: Executor): Promise<void> {
  // TRUNCATE locks the rollups exclusively: a rebuild and a refresh take turns without more.
  await tx.execute(
    sql`truncate ${productMetricsDaily}, ${segmentMetricsDaily}, ${sql.join(
      derivedRollups.map((rollup) => rollup.target),
      sql`, `,
    )}`,
  );
  await fillProductDaily(tx, sql`true`);
  await fillSegmentDaily(tx, sql`true`);
  for (const rollup of derivedRollups) await fillDerived(tx, rollup, sql`true`);
}
