import { type Column, type SQL, sql } from 'drizzle-orm';
import { alias, type PgTable } from 'drizzle-orm/pg-core';
import { selectRows } from '../../../db/client';
import { excluded, names, setExcluded } from '../../../db/names';
import { priceObservations, products, salesRankObservations, soldSnapshots } from '../../../db/schema';
import { type CoreTransaction, staged, type StageTable, type StageValue } from '../transaction';
import type { ValidPriceObservation, ValidSalesRank, ValidSoldSnapshot } from '../validate';
import { count, iso, type MarketplaceIds, marketplaceId, unknownListings } from './shared';

const p = alias(products, 'p');

/** How an observation-like table is merged from its staged rows. */
type MergeSpec = {
  stage: StageTable;
  rows: StageValue[][];
  target: PgTable;
  /** Each target column and the expression over the staged row that fills it (`kind::price_kind`). */
  insert: [Column, SQL][];
  /** The target's natural key. */
  key: Column[];
  /** What an incoming row may change. */
  update: Column[];
};

/**
 * The merge shared by observation-like tables: staged rows joined to their product by
 * listing key, deduplicated on the natural key (the last record wins), inserted or updated
 * where a value differs; records without a known listing come back as UNKNOWN_LISTING issues.
 */
async function mergeByKey<R extends { locator: string; marketplace: string; externalId: string }>(
  core: CoreTransaction,
  records: readonly R[],
  spec: MergeSpec,
) {
  await core.stage(spec.stage, spec.rows);
  const stagedValue = new Map(spec.insert);
  const stagedKey = sql.join(
    spec.key.map((column) => stagedValue.get(column) ?? sql`${names(column)}`),
    sql`, `,
  );
  const [row] = await selectRows(
    core.tx,
    sql`with staged as (
          select s.*, ${p.id} as product_id from ${staged(spec.stage)} s
          left join ${products} p on ${p.marketplaceId} = s.marketplace_id and ${p.externalId} = s.external_id),
        up as (
          insert into ${spec.target} (${names(...spec.insert.map(([column]) => column))})
          select distinct on (${stagedKey}) ${sql.join(
            spec.insert.map(([, value]) => value),
            sql`, `,
          )}
          from staged where product_id is not null
          order by ${stagedKey}, ord desc
          on conflict (${names(...spec.key)}) do update set ${setExcluded(...spec.update)}
            where (${sql.join(spec.update, sql`, `)}) is distinct from (${excluded(...spec.update)})
          returning (xmax = 0) as inserted)
        select (select count(*) from up where inserted) as inserted, (select count(*) from up where not inserted) as updated,
               (select coalesce(array_agg(ord), '{}') from staged where product_id is null) as unknown`,
  );
  return {
    inserted: count(row, 'inserted'),
    updated: count(row, 'updated'),
    issues: unknownListings(records, row?.unknown),
  };
}

const OBSERVATION_STAGE: StageTable = {
  name: 'ingest_stage_price_observations',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['observed_at', 'timestamptz'],
    ['kind', 'text'],
    ['amount_minor', 'int8'],
    ['currency', 'text'],
    ['source', 'text'],
  ],
};

export function upsertPriceObservations(
  core: CoreTransaction,
  observations: readonly ValidPriceObservation[],
  ids: MarketplaceIds,
) {
  return mergeByKey(core, observations, {
    stage: OBSERVATION_STAGE,
    rows: observations.map((o, ord) => [
      ord,
      marketplaceId(ids, o.marketplace),
      o.externalId,
      o.observedAt.toISOString(),
      o.priceKind,
      o.amountMinor,
      o.currency,
      o.source,
    ]),
    target: priceObservations,
    insert: [
      [priceObservations.productId, sql`product_id`],
      [priceObservations.observedAt, sql`observed_at`],
      [priceObservations.kind, sql`kind::price_kind`],
      [priceObservations.amountMinor, sql`amount_minor`],
      [priceObservations.currency, sql`currency`],
      [priceObservations.source, sql`source`],
    ],
    key: [priceObservations.productId, priceObservations.kind, priceObservations.observedAt],
    update: [priceObservations.amountMinor, priceObservations.currency, priceObservations.source],
  });
}

const RANK_STAGE: StageTable = {
  name: 'ingest_stage_sales_ranks',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['observed_at', 'timestamptz'],
    ['rank', 'int8'],
  ],
};

export function upsertSalesRanks(core: CoreTransaction, ranks: readonly ValidSalesRank[], ids: MarketplaceIds) {
  return mergeByKey(core, ranks, {
    stage: RANK_STAGE,
    rows: ranks.map((r, ord) => [
      ord,
      marketplaceId(ids, r.marketplace),
      r.externalId,
      r.observedAt.toISOString(),
      r.rank,
    ]),
    target: salesRankObservations,
    insert: [
      [salesRankObservations.productId, sql`product_id`],
      [salesRankObservations.observedAt, sql`observed_at`],
      [salesRankObservations.rank, sql`rank`],
    ],
    key: [salesRankObservations.productId, salesRankObservations.observedAt],
    update: [salesRankObservations.rank],
  });
}

export const SNAPSHOT_STAGE: StageTable = {
  name: 'ingest_stage_sold_snapshots',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['observed_at', 'timestamptz'],
    ['total_sold_quantity', 'int4'],
    ['last_sold_at', 'timestamptz'],
    ['last_sold_price_minor', 'int8'],
    ['currency', 'text'],
    ['raw_id', 'int8'],
  ],
};

/** Stores sold-aggregate snapshots, each with the raw payload that first reported it. */
export function upsertSoldSnapshots(
  core: CoreTransaction,
  snapshots: readonly ValidSoldSnapshot[],
  ids: MarketplaceIds,
  rawId: number,
) {
  return mergeByKey(core, snapshots, {
    stage: SNAPSHOT_STAGE,
    rows: snapshots.map((snapshot, ord) => [
      ord,
      marketplaceId(ids, snapshot.marketplace),
      snapshot.externalId,
      snapshot.observedAt.toISOString(),
      snapshot.totalSoldQuantity,
      iso(snapshot.lastSoldAt),
      snapshot.lastSoldPriceMinor,
      snapshot.currency,
      rawId,
    ]),
    target: soldSnapshots,
    insert: [
      [soldSnapshots.productId, sql`product_id`],
      [soldSnapshots.observedAt, sql`observed_at`],
      [soldSnapshots.totalSoldQuantity, sql`total_sold_quantity`],
      [soldSnapshots.lastSoldAt, sql`last_sold_at`],
      [soldSnapshots.lastSoldPriceMinor, sql`last_sold_price_minor`],
      [soldSnapshots.currency, sql`currency`],
      [soldSnapshots.rawId, sql`raw_id`],
    ],
    key: [soldSnapshots.productId, soldSnapshots.observedAt],
    update: [
      soldSnapshots.totalSoldQuantity,
      soldSnapshots.lastSoldAt,
      soldSnapshots.lastSoldPriceMinor,
      soldSnapshots.currency,
    ],
  });
}
