import { type Column, type SQL, sql } from 'drizzle-orm';
import { alias, type PgTable } from 'drizzle-orm/pg-core';
import { selectRows } from '../../../db/client';
import { columnName, excluded, names, setExcluded } from '../../../db/names';
import { priceObservations, products, salesRankObservations, soldSnapshots } from '../../../db/schema';
import { type CoreTransaction, staged, type StageTable, type StageValue } from '../transaction';
import type { ValidPriceObservation, ValidSalesRank, ValidSoldSnapshot } from '../validate';
import { count, iso, type MarketplaceIds, marketplaceId, unknownListings } from './shared';

const p = alias(products, 'p');

/** How a history table is merged from its staged rows. */
type ChangePointSpec = {
  stage: StageTable;
  rows: StageValue[][];
  target: PgTable;
  productId: Column;
  observedAt: Column;
  /** When the value was last seen unchanged; moves on every confirmation. */
  confirmedAt: Column;
  /** What tells one series of a product from another (the price kind), with its staged expression. */
  series: [Column, SQL][];
  /** The value a change point records, compared to tell a change from a confirmation. */
  values: [Column, SQL][];
  /** Written when a change point is inserted, never compared (the reporting source). */
  extra: [Column, SQL][];
};

const col = (column: Column): SQL => sql`${sql.identifier(columnName(column))}`;
const joinSql = (parts: SQL[], separator = sql`, `) => sql.join(parts, separator);

/**
 * History stored as change points: a row only when a series' value changes, with the time it
 * was last confirmed. Staged rows join their product by listing key (records without a known
 * listing come back as UNKNOWN_LISTING issues), collapse into runs of equal values, and each
 * run either confirms the stored point before it (same value, nothing stored in between) or
 * becomes a new point. Re-running a source, or replaying a payload, adds nothing; only a new
 * value is counted as inserted, and a different value at a stored time as updated.
 */
async function mergeChangePoints<R extends { locator: string; marketplace: string; externalId: string }>(
  core: CoreTransaction,
  records: readonly R[],
  spec: ChangePointSpec,
) {
  await core.stage(spec.stage, spec.rows);
  const series = spec.series.map(([column]) => col(column));
  const values = spec.values.map(([column]) => col(column));
  const extra = spec.extra.map(([column]) => col(column));
  const sameSeries = (a: string, b: string) =>
    joinSql(
      [sql`${sql.identifier(a)}.${col(spec.productId)} = ${sql.identifier(b)}.product_id`].concat(
        series.map((name) => sql`${sql.identifier(a)}.${name} = ${sql.identifier(b)}.${name}`),
      ),
      sql` and `,
    );
  const partition = joinSql([sql`product_id`, ...series]);
  const valuesOf = (table: string) => joinSql(values.map((name) => sql`${sql.identifier(table)}.${name}`));
  const selected = (pairs: [Column, SQL][]) => pairs.map(([column, value]) => sql`${value} as ${col(column)}`);
  const [row] = await selectRows(
    core.tx,
    sql`with staged as (
          select s.*, ${p.id} as product_id from ${staged(spec.stage)} s
          left join ${products} p on ${p.marketplaceId} = s.marketplace_id and ${p.externalId} = s.external_id),
        incoming as (
          select distinct on (${partition}, observed_at) product_id, observed_at,
                 ${joinSql([...selected(spec.series), ...selected(spec.values), ...selected(spec.extra)])}
          from (select * from staged where product_id is not null) s
          order by ${joinSql([sql`product_id`, ...spec.series.map(([, value]) => value)])}, observed_at, ord desc),
        marked as (
          select i.*, (${joinSql(values.map((name) => sql`lag(${name}) over w`))}) is distinct from (${valuesOf('i')}) as starts
          from incoming i window w as (partition by ${partition} order by observed_at)),
        grouped as (
          select m.*, sum(case when starts then 1 else 0 end) over (partition by ${partition} order by observed_at) as run
          from marked m),
        points as (
          select ${partition}, min(observed_at) as observed_at, max(observed_at) as confirmed_at,
                 ${joinSql([...values, ...extra.map((name) => sql`(array_agg(${name} order by observed_at))[1] as ${name}`)])}
          from grouped group by ${partition}, run, ${joinSql(values)}),
        decided as (
          select pt.*, prev.observed_at as prev_at,
                 -- The stored point before it has the same value, no incoming point of another value
                 -- lies between them (or at the stored point's time, which that one overwrites)...
                 prev.observed_at is not null and (${valuesOf('prev')}) is not distinct from (${valuesOf('pt')})
                 and not exists (
                   select 1 from points e where ${joinSql(
                     [sql`e.product_id = pt.product_id`].concat(series.map((name) => sql`e.${name} = pt.${name}`)),
                     sql` and `,
                   )} and e.observed_at < pt.observed_at and e.observed_at >= prev.observed_at)
                 -- Nor a stored point after it within the run: the run no longer continues it.
                 and not exists (
                   select 1 from ${spec.target} s where ${sameSeries('s', 'pt')}
                     and s.${col(spec.observedAt)} > prev.observed_at and s.${col(spec.observedAt)} <= pt.confirmed_at) as confirms
          from points pt
          left join lateral (
            select t.${col(spec.observedAt)} as observed_at, ${joinSql(values.map((name) => sql`t.${name}`))}
            from ${spec.target} t where ${sameSeries('t', 'pt')} and t.${col(spec.observedAt)} <= pt.observed_at
            order by t.${col(spec.observedAt)} desc limit 1) prev on true),
        confirmed as (
          update ${spec.target} t set ${col(spec.confirmedAt)} = d.confirmed_at
          from decided d
          where d.confirms and ${sameSeries('t', 'd')} and t.${col(spec.observedAt)} = d.prev_at
            and t.${col(spec.confirmedAt)} < d.confirmed_at
          returning 1),
        up as (
          insert into ${spec.target} (${names(spec.productId, ...spec.series.map(([c]) => c), spec.observedAt, spec.confirmedAt, ...spec.values.map(([c]) => c), ...spec.extra.map(([c]) => c))})
          select ${joinSql([sql`product_id`, ...series, sql`observed_at`, sql`confirmed_at`, ...values, ...extra])}
          from decided where not confirms
          on conflict (${names(spec.productId, ...spec.series.map(([c]) => c), spec.observedAt)}) do update
            set ${setExcluded(...spec.values.map(([c]) => c))},
                ${col(spec.confirmedAt)} = greatest(${spec.target}.${col(spec.confirmedAt)}, excluded.${col(spec.confirmedAt)})
            where (${joinSql(spec.values.map(([c]) => sql`${spec.target}.${col(c)}`))}) is distinct from (${excluded(...spec.values.map(([c]) => c))})
          returning ${spec.target}.${col(spec.productId)} as product_id, ${joinSql(
            spec.series
              .map(([c]) => sql`${spec.target}.${col(c)}`)
              .concat(sql`${spec.target}.${col(spec.observedAt)} as observed_at`),
          )}),
        -- A written row the statement's snapshot already held was updated; the others are new.
        -- (RETURNING cannot read xmax, which tells them apart, from a partitioned table.)
        written as (
          select exists (
            select 1 from ${spec.target} t where ${sameSeries('t', 'up')} and t.${col(spec.observedAt)} = up.observed_at
          ) as updated from up)
        select (select count(*) from written where not updated) as inserted,
               (select count(*) from written where updated) as updated,
               (select count(*) from confirmed) as confirmed,
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
  return mergeChangePoints(core, observations, {
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
    productId: priceObservations.productId,
    observedAt: priceObservations.observedAt,
    confirmedAt: priceObservations.lastConfirmedAt,
    series: [[priceObservations.kind, sql`s.kind::price_kind`]],
    values: [
      [priceObservations.amountMinor, sql`s.amount_minor`],
      [priceObservations.currency, sql`s.currency`],
    ],
    extra: [[priceObservations.source, sql`s.source`]],
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
  return mergeChangePoints(core, ranks, {
    stage: RANK_STAGE,
    rows: ranks.map((r, ord) => [
      ord,
      marketplaceId(ids, r.marketplace),
      r.externalId,
      r.observedAt.toISOString(),
      r.rank,
    ]),
    target: salesRankObservations,
    productId: salesRankObservations.productId,
    observedAt: salesRankObservations.observedAt,
    confirmedAt: salesRankObservations.lastConfirmedAt,
    series: [],
    values: [[salesRankObservations.rank, sql`s.rank`]],
    extra: [],
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
    ['window_days', 'int4'],
  ],
};

/** Stores sold-aggregate snapshots, each with the raw payload that first reported it. */
export function upsertSoldSnapshots(
  core: CoreTransaction,
  snapshots: readonly ValidSoldSnapshot[],
  ids: MarketplaceIds,
  rawId: number,
) {
  return mergeChangePoints(core, snapshots, {
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
      snapshot.windowDays,
    ]),
    target: soldSnapshots,
    productId: soldSnapshots.productId,
    observedAt: soldSnapshots.observedAt,
    confirmedAt: soldSnapshots.lastConfirmedAt,
    series: [],
    values: [
      [soldSnapshots.totalSoldQuantity, sql`s.total_sold_quantity`],
      [soldSnapshots.lastSoldAt, sql`s.last_sold_at`],
      [soldSnapshots.lastSoldPriceMinor, sql`s.last_sold_price_minor`],
      [soldSnapshots.currency, sql`s.currency`],
    ],
    extra: [
      [soldSnapshots.rawId, sql`s.raw_id`],
      [soldSnapshots.windowDays, sql`s.window_days`],
    ],
  });
}
