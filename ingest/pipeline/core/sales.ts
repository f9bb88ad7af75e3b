import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Executor, selectRows } from '../../../db/client';
import { excluded, names, setExcluded } from '../../../db/names';
import { ingestMartPending, products, sales } from '../../../db/schema';
import { type CoreTransaction, staged, type StageTable, type StageValue } from '../transaction';
import type { RecordIssue, ValidSale } from '../validate';
import { count, type MarketplaceIds, marketplaceId, type Merged, unknownListings } from './shared';

const SALE_STAGE: StageTable = {
  name: 'ingest_stage_sales',
  columns: [
    ['product_id', 'int4'],
    ['source_key', 'text'],
    ['sold_at', 'timestamptz'],
    ['unit_price_minor', 'int8'],
    ['currency', 'text'],
    ['quantity', 'int4'],
    ['shipping_minor', 'int8'],
    ['granularity', 'text'],
  ],
};

const p = alias(products, 'p');
const s = alias(sales, 's');

/**
 * A sale's key: `sales` is partitioned by month, and a partitioned table's unique key must hold
 * its partition key, so the sale time is part of it. A sale whose time changes is merged as a
 * move: the row under the new time is written and the old one deleted.
 */
const KEY_COLUMNS = [sales.productId, sales.sourceKey, sales.soldAt] as const;

/** What a sale's merge may change in place, compared with the stored row before writing. */
const VALUE_COLUMNS = [
  sales.unitPriceMinor,
  sales.currency,
  sales.quantity,
  sales.shippingMinor,
  sales.granularity,
] as const;

type ListingKey = { marketplaceId: number; externalId: string };

/** Product ids of the given listing keys (`<marketplace id>/<external id>`), in one statement. */
async function productIdsOf(tx: Executor, keys: ReadonlyMap<string, ListingKey>): Promise<Map<string, number>> {
  const list = [...keys.values()];
  const found = await selectRows(
    tx,
    sql`select ${p.id} as id, ${p.marketplaceId} as marketplace_id, ${p.externalId} as external_id from ${products} p
        join unnest(${sql.param(list.map((k) => k.marketplaceId))}::int[], ${sql.param(list.map((k) => k.externalId))}::text[])
          as k(marketplace_id, external_id) on ${p.marketplaceId} = k.marketplace_id and ${p.externalId} = k.external_id`,
  );
  return new Map(found.map((row) => [`${Number(row.marketplace_id)}/${String(row.external_id)}`, Number(row.id)]));
}

/**
 * Merges sales by (product, source key). Product ids are resolved first and duplicates within
 * the payload dropped (the last record wins), so the merge itself is one plain
 * `insert ... on conflict` from the staged rows. The days of inserted and updated sales (and
 * the old day of a sale that moved) are queued for the end-of-run mart refresh.
 */
export async function upsertSales(
  core: CoreTransaction,
  records: readonly ValidSale[],
  ids: MarketplaceIds,
): Promise<Merged & { issues: RecordIssue[] }> {
  const listingKeys = new Map<string, ListingKey>();
  for (const sale of records) {
    const marketplace = marketplaceId(ids, sale.marketplace);
    listingKeys.set(`${marketplace}/${sale.externalId}`, { marketplaceId: marketplace, externalId: sale.externalId });
  }
  const productIds = await productIdsOf(core.tx, listingKeys);
  const latest = new Map<string, StageValue[]>();
  const issues: RecordIssue[] = [];
  for (const sale of records) {
    const productId = productIds.get(`${marketplaceId(ids, sale.marketplace)}/${sale.externalId}`);
    if (productId === undefined) {
      issues.push(...unknownListings([sale], [0]));
      continue;
    }
    latest.set(`${productId}\u0000${sale.sourceKey}`, [
      productId,
      sale.sourceKey,
      sale.soldAt.toISOString(),
      sale.unitPriceMinor,
      sale.currency,
      sale.quantity,
      sale.shippingMinor,
      sale.granularity,
    ]);
  }
  if (latest.size === 0) return { inserted: 0, updated: 0, issues };
  await core.stage(SALE_STAGE, [...latest.values()]);
  // Statistics of sales lag behind a long run (empty at its start): without this the planner
  // may scan all of sales once per updated row instead of probing its unique index.
  await core.tx.execute(sql`set local enable_seqscan = off`);
  const [row] = await selectRows(core.tx, mergeStagedSales());
  await core.tx.execute(sql`set local enable_seqscan = on`);
  return { inserted: count(row, 'inserted'), updated: count(row, 'updated'), issues };
}

function mergeStagedSales() {
  return sql`with
    up as (
      insert into ${sales} (${names(...KEY_COLUMNS, ...VALUE_COLUMNS)})
      select product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor,
             granularity::sale_granularity
      from ${staged(SALE_STAGE)}
      -- In key order the index pages a payload touches are visited once each, not at random.
      order by product_id, source_key
      on conflict (${names(...KEY_COLUMNS)}) do update
        set ${setExcluded(...VALUE_COLUMNS)}
        where (${sql.join([...VALUE_COLUMNS], sql`, `)}) is distinct from (${excluded(...VALUE_COLUMNS)})
      returning ${sales.productId} as product_id, ${sales.sourceKey} as source_key, ${sales.soldAt} as sold_at),
    -- Every part of the statement reads sales as they were before it: a written sale found there
    -- was updated, the others were inserted. (RETURNING cannot read xmax, which tells them
    -- apart, from a partitioned table.) One probe of the key index per written sale.
    written as (
      select up.*, not exists (
        select 1 from ${sales} s
        where ${s.productId} = up.product_id and ${s.sourceKey} = up.source_key and ${s.soldAt} = up.sold_at
      ) as inserted from up),
    -- A sale inserted under a new time replaces the row it had under its old time, whose day
    -- changes too. The delete cannot see the rows just inserted.
    moved as (
      delete from ${sales} s using written w
      where w.inserted and ${s.productId} = w.product_id and ${s.sourceKey} = w.source_key and ${s.soldAt} <> w.sold_at
      returning ${s.productId} as product_id, ${s.sourceKey} as source_key, ${s.soldAt} as sold_at),
    pend as (
      insert into ${ingestMartPending} (${names(ingestMartPending.day)})
      select distinct (sold_at at time zone 'UTC')::date
      from (select sold_at from up union all select sold_at from moved) changed),
    moves as (select count(distinct (product_id, source_key)) as n from moved)
    select (select count(*) from written where inserted) - (select n from moves) as inserted,
           (select count(*) from written where not inserted) + (select n from moves) as updated`;
}
