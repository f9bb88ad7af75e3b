import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { excluded, names, setExcluded } from '../../../db/names';
import { ingestMartPending, products, sales, soldSnapshots } from '../../../db/schema';
import type { Executor } from '../../../db/client';
import { staged } from '../transaction';
import { SNAPSHOT_STAGE } from './observations';

const p = alias(products, 'p');
const s = alias(sales, 's');

const derivedTimestamp = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** What re-deriving a sale may change in place (its time is part of its key: ./sales.ts). */
const VALUE_COLUMNS = [sales.unitPriceMinor, sales.currency, sales.quantity] as const;

/**
 * Re-derives the AGGREGATE_DERIVED sales of every listing the staged snapshots touched: one
 * sale per pair of consecutive snapshots whose `totalSoldQuantity` rose, keyed
 * `snapshot:<earlier observedAt>/<later observedAt>`, sold at the later snapshot's
 * `lastSoldAt` (else its observation time) for its `lastSoldPrice`. The listing's first
 * snapshot, when its total counts a window (`window_days`) and its `lastSoldAt` lies in it,
 * derives what the window proves: its whole total, keyed `snapshot:first/<observedAt>`, dated
 * at `lastSoldAt` (the only sale date it names) for `lastSoldPrice`. Pairs count only the
 * increase over the earlier snapshot, so the first one's units are never counted again.
 * Derived sales that are no longer wanted (a snapshot arrived in between or before the
 * first) are deleted, so replays and out-of-order arrivals never count units twice; one
 * whose time changed is replaced. The days they touch are queued for the mart.
 */
export async function deriveSnapshotSales(tx: Executor): Promise<void> {
  await tx.execute(sql`
    with touched as (
      select distinct ${p.id} as id from ${staged(SNAPSHOT_STAGE)} st
      join ${products} p on ${p.marketplaceId} = st.marketplace_id and ${p.externalId} = st.external_id),
    pairs as (
      select ${names(soldSnapshots.productId, soldSnapshots.observedAt, soldSnapshots.totalSoldQuantity, soldSnapshots.lastSoldAt, soldSnapshots.lastSoldPriceMinor, soldSnapshots.currency, soldSnapshots.windowDays)},
             lag(${soldSnapshots.observedAt}) over w as previous_at,
             lag(${soldSnapshots.totalSoldQuantity}) over w as previous_total
      from ${soldSnapshots} where ${soldSnapshots.productId} in (select id from touched)
      window w as (partition by ${soldSnapshots.productId} order by ${soldSnapshots.observedAt})),
    wanted as (
      select product_id,
             'snapshot:' || ${derivedTimestamp('previous_at')} || '/' || ${derivedTimestamp('observed_at')} as source_key,
             coalesce(last_sold_at, observed_at) as sold_at, last_sold_price_minor as unit_price_minor, currency,
             total_sold_quantity - previous_total as quantity
      from pairs
      where previous_at is not null and total_sold_quantity > previous_total
        and last_sold_price_minor is not null and currency is not null
      union all
      select product_id, 'snapshot:first/' || ${derivedTimestamp('observed_at')}, last_sold_at,
             last_sold_price_minor, currency, total_sold_quantity
      from pairs
      where previous_at is null and window_days is not null and total_sold_quantity > 0
        -- No upper bound: eBay reports only past sales; a time past the fetch is our clock's skew.
        and last_sold_at > observed_at - make_interval(days => window_days)
        and last_sold_price_minor is not null and currency is not null),
    stale as (
      delete from ${sales} s using touched
      where ${s.productId} = touched.id and ${s.granularity} = 'AGGREGATE_DERIVED' and ${s.sourceKey} like 'snapshot:%'
        and not exists (select 1 from wanted w where w.product_id = ${s.productId} and w.source_key = ${s.sourceKey}
                        and w.sold_at = ${s.soldAt})
      returning ${s.soldAt} as sold_at),
    up as (
      insert into ${sales} (${names(sales.productId, sales.sourceKey, sales.soldAt, ...VALUE_COLUMNS, sales.granularity)})
      select product_id, source_key, sold_at, unit_price_minor, currency, quantity, 'AGGREGATE_DERIVED' from wanted
      on conflict (${names(sales.productId, sales.sourceKey, sales.soldAt)}) do update
        set ${setExcluded(...VALUE_COLUMNS)}
        where (${sql.join([...VALUE_COLUMNS], sql`, `)}) is distinct from (${excluded(...VALUE_COLUMNS)})
      returning ${sales.soldAt} as sold_at)
    insert into ${ingestMartPending} (${names(ingestMartPending.day)})
    select distinct (sold_at at time zone 'UTC')::date
    from (select sold_at from stale union all select sold_at from up) changed`);
}
