import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  categoryMetricsDaily,
  categoryMetricsMonthly,
  productMetricsDaily,
  products,
  sales,
  segmentMetricsDaily,
  segmentMetricsMonthly,
} from '../db/schema';

/** What changed: the products whose sales changed and the UTC days (`YYYY-MM-DD`) they fell on. */
export type MartChanges = { productIds: number[]; days: string[] };

/** Anything that can run a statement: the database or a transaction on it. */
export type Executor = Pick<Db, 'execute'>;

const saleDay = sql`(${sales.soldAt} at time zone 'UTC')::date`;

const measureColumns = sql`sale_count, units, revenue_minor, min_price_minor, max_price_minor`;
const saleMeasures = sql`count(*), sum(${sales.quantity}), sum(${sales.unitPriceMinor} * ${sales.quantity}),
  min(${sales.unitPriceMinor}), max(${sales.unitPriceMinor})`;
const segmentColumns = sql`marketplace_id, category_id, brand, condition, currency`;

/**
 * Where a fill reads and how it writes. `from` is `sales` itself or a relation shaped like it
 * read under the alias `sales` (so the same measure expressions apply); `conflict` empty for a
 * plain insert into emptied keys, or `addOnConflict` to add to the rows already there.
 */
type Fill = { from: SQL; conflict: SQL };

const recompute: Fill = { from: sql`${sales}`, conflict: sql`` };

/** Adds a batch's measures to the row already under the same key: counts and sums add, min/max widen. */
function addOnConflict(keys: SQL): SQL {
  return sql`on conflict (${keys}) do update set
    sale_count = t.sale_count + excluded.sale_count, units = t.units + excluded.units,
    revenue_minor = t.revenue_minor + excluded.revenue_minor,
    min_price_minor = least(t.min_price_minor, excluded.min_price_minor),
    max_price_minor = greatest(t.max_price_minor, excluded.max_price_minor)`;
}

async function fillProductDaily(tx: Executor, where: SQL, fill: Fill = recompute) {
  await tx.execute(sql`
    insert into ${productMetricsDaily} as t (product_id, day, currency, ${measureColumns})
    select ${sales.productId}, ${saleDay}, ${sales.currency}, ${saleMeasures}
    from ${fill.from} where ${where}
    group by ${sales.productId}, ${saleDay}, ${sales.currency}
    ${fill.conflict}`);
}

async function fillSegmentDaily(tx: Executor, where: SQL, from: SQL = recompute.from, into: SQL = sql`${segmentMetricsDaily}`) {
  await tx.execute(sql`
    insert into ${into} (day, ${segmentColumns}, ${measureColumns})
    select ${saleDay}, ${products.marketplaceId}, ${products.categoryId}, ${products.brand},
           ${products.condition}, ${sales.currency}, ${saleMeasures}
    from ${from} join ${products} on ${products.id} = ${sales.productId}
    where ${where}
    group by ${saleDay}, ${products.marketplaceId}, ${products.categoryId}, ${products.brand},
             ${products.condition}, ${sales.currency}`);
}

const categoryColumns = sql`marketplace_id, category_id, currency`;

/**
 * Rollups computed from finer rollups rather than from sales, in dependency order: `period`
 * is the target's period column, derived from the source's `day` column (or its own).
 */
const derivedRollups = [
  { target: segmentMetricsMonthly, source: segmentMetricsDaily, keys: segmentColumns, monthly: true },
  { target: categoryMetricsDaily, source: segmentMetricsDaily, keys: categoryColumns, monthly: false },
  { target: categoryMetricsMonthly, source: categoryMetricsDaily, keys: categoryColumns, monthly: true },
] as const;

type Rollup = { target: typeof segmentMetricsDaily | (typeof derivedRollups)[number]['target']; keys: SQL; monthly: boolean };

/** The rollup's period column and its value computed from the source's days. */
function periodOf(rollup: Rollup) {
  return rollup.monthly
    ? { column: sql`month`, value: sql`date_trunc('month', day)::date` }
    : { column: sql`day`, value: sql`day` };
}

async function fillDerived(tx: Executor, rollup: Rollup, source: SQL, sourceWhere: SQL, conflict: SQL = sql``) {
  const period = periodOf(rollup);
  await tx.execute(sql`
    insert into ${rollup.target} as t (${period.column}, ${rollup.keys}, ${measureColumns})
    select ${period.value}, ${rollup.keys},
           sum(sale_count), sum(units), sum(revenue_minor), min(min_price_minor), max(max_price_minor)
    from ${source} where ${sourceWhere}
    group by ${period.value}, ${rollup.keys}
    ${conflict}`);
}

/** Segment-grain rollups of one batch of added sales, before they are added to the mart. */
const ADDED_SEGMENT_DAILY = sql.raw('mart_added_segment_daily');

/**
 * Adds sales just inserted (never seen by the mart before) to every rollup, inside the
 * caller's transaction so they land with the sales or not at all. `added` names a relation
 * with the columns of `sales` (product_id, sold_at, currency, quantity, unit_price_minor),
 * e.g. a temporary table filled from an insert's RETURNING. Equal to recomputing, provided the
 * mart matched `sales` for the touched keys before: updated or moved sales must go through
 * `refreshMart` instead, and adding the same sales twice counts them twice.
 * @example await addSalesToMart(tx, sql.raw('ingest_added_sales'));
 */
export async function addSalesToMart(tx: Executor, added: SQL): Promise<void> {
  const from = sql`${added} as ${sales}`;
  await fillProductDaily(tx, sql`true`, { from, conflict: addOnConflict(sql`product_id, day, currency`) });
  await tx.execute(sql`create temp table if not exists ${ADDED_SEGMENT_DAILY} (like ${segmentMetricsDaily}) on commit drop`);
  await tx.execute(sql`truncate ${ADDED_SEGMENT_DAILY}`);
  await fillSegmentDaily(tx, sql`true`, from, ADDED_SEGMENT_DAILY);
  // Sums, counts, minima and maxima of a batch roll up to any coarser grain directly.
  const rollups: Rollup[] = [{ target: segmentMetricsDaily, keys: segmentColumns, monthly: false }, ...derivedRollups];
  for (const rollup of rollups) {
    const period = periodOf(rollup);
    await fillDerived(tx, rollup, ADDED_SEGMENT_DAILY, sql`true`, addOnConflict(sql`${period.column}, ${rollup.keys}`));
  }
}

/**
 * Recomputes the rollups for the given products and UTC days from `sales`, in one
 * transaction: product rows for (product, day) pairs, segment rows for whole days, month
 * rows for the months those days fall in. Idempotent: running it twice changes nothing.
 * @example await refreshMart(db, { productIds: [42], days: ['2026-11-20'] });
 */
export async function refreshMart(db: Db, changes: MartChanges): Promise<void> {
  const days = [...new Set(changes.days)].sort();
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return;
  const dayList = sql`${sql.param(days)}::date[]`;
  // A range the sold_at index can use, then the exact day list.
  const inDays = sql`${sales.soldAt} >= ${first}::date at time zone 'UTC'
    and ${sales.soldAt} < (${last}::date + 1) at time zone 'UTC'
    and ${saleDay} = any(${dayList})`;
  await db.transaction(async (tx) => {
    if (changes.productIds.length > 0) {
      const productList = sql`${sql.param(changes.productIds)}::int[]`;
      await tx.execute(sql`delete from ${productMetricsDaily}
        where product_id = any(${productList}) and day = any(${dayList})`);
      await fillProductDaily(tx, sql`${sales.productId} = any(${productList}) and ${inDays}`);
    }
    await tx.execute(sql`delete from ${segmentMetricsDaily} where day = any(${dayList})`);
    await fillSegmentDaily(tx, inDays);
    const months = sql`(select distinct date_trunc('month', d)::date from unnest(${dayList}) d)`;
    for (const rollup of derivedRollups) {
      // A month is recomputed whole from its days; a day from itself.
      const touched = rollup.monthly ? sql`month in ${months}` : sql`day = any(${dayList})`;
      const sourceWhere = rollup.monthly ? sql`date_trunc('month', day)::date in ${months}` : sql`day = any(${dayList})`;
      await tx.execute(sql`delete from ${rollup.target} where ${touched}`);
      await fillDerived(tx, rollup, sql`${rollup.source}`, sourceWhere);
    }
  });
}

/** Rebuilds every rollup from `sales` in one transaction (after a bulk load or a repair). */
export async function rebuildMart(db: Db): Promise<void> {
  await db.transaction((tx) => rebuildMartWithin(tx));
}

/** `rebuildMart` inside a transaction the caller owns, e.g. the demo seed's. */
export async function rebuildMartWithin(tx: Executor): Promise<void> {
  await tx.execute(sql`truncate ${productMetricsDaily}, ${segmentMetricsDaily}, ${sql.join(
    derivedRollups.map((rollup) => rollup.target),
    sql`, `,
  )}`);
  await fillProductDaily(tx, sql`true`);
  await fillSegmentDaily(tx, sql`true`);
  for (const rollup of derivedRollups) await fillDerived(tx, rollup, sql`${rollup.source}`, sql`true`);
}
