/**
 * Writes one payload's validated records into core inside its transaction: each kind is
 * bulk-staged into a temporary table, then merged by natural key with one set-based
 * statement, counting what was inserted and what was updated (`unchanged` is the rest).
 * The UTC days whose sales changed are queued in `ingest_mart_pending` in the same
 * transaction, for the end-of-run mart refresh.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, selectRows } from '../../db/client';
import type { CoreTransaction, StageTable, StageValue } from './transaction';
import type {
  RecordIssue,
  ValidListing,
  ValidPriceObservation,
  ValidRecord,
  ValidSale,
  ValidSalesRank,
  ValidSoldSnapshot,
} from './validate';

export type CoreResult = {
  inserted: number;
  updated: number;
  /** Records core could not place (a sale of a listing nobody has seen). */
  issues: RecordIssue[];
  /** Categories inserted or renamed/moved: the cached catalog is stale. */
  categoriesChanged: number;
};

/** Marketplace code => id, resolved once per run. */
export type MarketplaceIds = ReadonlyMap<string, number>;

function count(row: Record<string, unknown> | undefined, column: string): number {
  return Number(row?.[column] ?? 0);
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/**
 * Merges `records` (already validated, all from one payload) into core.
 * `rawId` is the staging_raw payload the records came from, kept on sold snapshots.
 * @example const result = await writeCore(core, records, marketplaceIds, rawId);
 */
export async function writeCore(
  core: CoreTransaction,
  records: readonly ValidRecord[],
  marketplaceIds: MarketplaceIds,
  rawId: number,
): Promise<CoreResult> {
  const result: CoreResult = { inserted: 0, updated: 0, issues: [], categoriesChanged: 0 };
  const byKind = groupByKind(records);
  const add = (part: { inserted: number; updated: number }) => {
    result.inserted += part.inserted;
    result.updated += part.updated;
  };
  // Listings first, so sales and observations in the same payload find their product.
  if (byKind.listing.length > 0) {
    result.categoriesChanged = await upsertCategories(core, byKind.listing, marketplaceIds);
    add(await upsertProducts(core, byKind.listing, marketplaceIds));
    await upsertImages(core, byKind.listing, marketplaceIds);
  }
  if (byKind.sale.length > 0) {
    const sales = await upsertSales(core, byKind.sale, marketplaceIds);
    add(sales);
    result.issues.push(...sales.issues);
  }
  if (byKind.priceObservation.length > 0) {
    const observations = await upsertPriceObservations(core, byKind.priceObservation, marketplaceIds);
    add(observations);
    result.issues.push(...observations.issues);
  }
  if (byKind.salesRank.length > 0) {
    const ranks = await upsertSalesRanks(core, byKind.salesRank, marketplaceIds);
    add(ranks);
    result.issues.push(...ranks.issues);
  }
  if (byKind.soldSnapshot.length > 0) {
    const snapshots = await upsertSoldSnapshots(core, byKind.soldSnapshot, marketplaceIds, rawId);
    add(snapshots);
    result.issues.push(...snapshots.issues);
  }
  return result;
}

type ByKind = {
  listing: ValidListing[];
  sale: ValidSale[];
  priceObservation: ValidPriceObservation[];
  salesRank: ValidSalesRank[];
  soldSnapshot: ValidSoldSnapshot[];
};

function groupByKind(records: readonly ValidRecord[]): ByKind {
  const byKind: ByKind = { listing: [], sale: [], priceObservation: [], salesRank: [], soldSnapshot: [] };
  for (const record of records) {
    switch (record.kind) {
      case 'listing':
        byKind.listing.push(record);
        break;
      case 'sale':
        byKind.sale.push(record);
        break;
      case 'priceObservation':
        byKind.priceObservation.push(record);
        break;
      case 'salesRank':
        byKind.salesRank.push(record);
        break;
      case 'soldSnapshot':
        byKind.soldSnapshot.push(record);
        break;
    }
  }
  return byKind;
}

function marketplaceId(ids: MarketplaceIds, code: string): number {
  const id = ids.get(code);
  // Validation admits only known codes and the run ensures they exist: this is a bug.
  if (id === undefined) throw new Error(`marketplace ${code} is missing from the database`);
  return id;
}

const CATEGORY_STAGE: StageTable = {
  name: 'ingest_stage_categories',
  columns: [
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['parent_external_id', 'text'],
    ['name', 'text'],
    ['depth', 'int2'],
  ],
};

/**
 * Upserts every category on the listings' paths, root level first (a child needs its parent's
 * id), then sets `path` (`/1/5/9/`, containing the row's own id) for each level.
 */
async function upsertCategories(
  core: CoreTransaction,
  listings: readonly ValidListing[],
  ids: MarketplaceIds,
): Promise<number> {
  const nodes = new Map<string, StageValue[]>();
  let maxDepth = -1;
  for (const listing of listings) {
    const mid = marketplaceId(ids, listing.marketplace);
    listing.category?.forEach((node, depth) => {
      const key = `${mid}:${node.externalId}`;
      if (nodes.has(key)) return;
      const parent = depth > 0 ? (listing.category?.[depth - 1]?.externalId ?? null) : null;
      nodes.set(key, [mid, node.externalId, parent, node.name, depth]);
      maxDepth = Math.max(maxDepth, depth);
    });
  }
  if (nodes.size === 0) return 0;
  await core.stage(CATEGORY_STAGE, [...nodes.values()]);
  let changed = 0;
  for (let depth = 0; depth <= maxDepth; depth += 1) {
    const [upserted] = await selectRows(
      core.tx,
      sql`with up as (
            insert into categories (marketplace_id, external_id, parent_id, name, path, depth)
            select s.marketplace_id, s.external_id, p.id, s.name, '/', s.depth
            from ingest_stage_categories s
            left join categories p on p.marketplace_id = s.marketplace_id and p.external_id = s.parent_external_id
            where s.depth = ${depth}
            on conflict (marketplace_id, external_id) do update
              set name = excluded.name, parent_id = excluded.parent_id, depth = excluded.depth
              where (categories.name, categories.parent_id, categories.depth)
                    is distinct from (excluded.name, excluded.parent_id, excluded.depth)
            returning 1)
          select count(*) as changed from up`,
    );
    changed += count(upserted, 'changed');
    // A category that moved takes its whole subtree along: descendants keep their path below
    // it, under its new prefix (and their depth follows), or filters by an ancestor would miss
    // them. A descendant follows its deepest ancestor that moved (two of one line can move in
    // one payload); rows that moved themselves get their own new path and nothing else, so no
    // row is written twice by the statement.
    await core.tx.execute(sql`
      with moved as (
        select c.id, c.path as old_path, coalesce(p.path, '/') || c.id || '/' as new_path
        from categories c
        join ingest_stage_categories s on c.marketplace_id = s.marketplace_id and c.external_id = s.external_id
        left join categories p on p.marketplace_id = s.marketplace_id and p.external_id = s.parent_external_id
        where s.depth = ${depth} and c.path is distinct from coalesce(p.path, '/') || c.id || '/'),
      itself as (update categories c set path = m.new_path from moved m where c.id = m.id),
      followers as (
        select distinct on (d.id) d.id, m.new_path || substr(d.path, length(m.old_path) + 1) as path,
               d.depth + (length(m.new_path) - length(replace(m.new_path, '/', '')))
                       - (length(m.old_path) - length(replace(m.old_path, '/', ''))) as depth
        from categories d join moved m on m.old_path <> '/' and d.id <> m.id and starts_with(d.path, m.old_path)
        where d.id not in (select id from moved)
        order by d.id, length(m.old_path) desc)
      update categories d set path = f.path, depth = f.depth from followers f where d.id = f.id`);
  }
  return changed;
}

const PRODUCT_STAGE: StageTable = {
  name: 'ingest_stage_products',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['title', 'text'],
    ['brand', 'text'],
    ['gtin', 'text'],
    ['mpn', 'text'],
    ['epid', 'text'],
    ['condition', 'text'],
    ['condition_raw', 'text'],
    ['category_external_id', 'text'],
    ['url', 'text'],
    ['status', 'text'],
    ['price_minor', 'int8'],
    ['currency', 'text'],
    ['observed_at', 'timestamptz'],
  ],
};

/**
 * Updates known listings, then inserts new ones. A field the record leaves out keeps its
 * stored value; an observation older than the stored `last_seen_at` only widens first/last
 * seen and fills gaps, it never overwrites newer values. A new listing without a price gets
 * 0 in its marketplace's default currency until a priced record arrives.
 */
async function upsertProducts(core: CoreTransaction, listings: readonly ValidListing[], ids: MarketplaceIds) {
  await core.stage(
    PRODUCT_STAGE,
    listings.map((l, ord) => [
      ord,
      marketplaceId(ids, l.marketplace),
      l.externalId,
      l.title,
      l.brand,
      l.gtin,
      l.mpn,
      l.epid,
      l.condition,
      l.conditionRaw,
      l.category?.at(-1)?.externalId ?? null,
      l.url,
      l.status,
      l.priceMinor,
      l.currency,
      l.observedAt.toISOString(),
    ]),
  );
  // One row per listing: the latest observation wins, first/last seen span all of them.
  const source = sql`(
    select distinct on (s.marketplace_id, s.external_id) s.*, c.id as category_id,
           min(s.observed_at) over w as first_seen, max(s.observed_at) over w as last_seen
    from ingest_stage_products s
    left join categories c on c.marketplace_id = s.marketplace_id and c.external_id = s.category_external_id
    window w as (partition by s.marketplace_id, s.external_id)
    order by s.marketplace_id, s.external_id, s.observed_at desc, s.ord desc)`;
  const newer = sql`src.last_seen >= p.last_seen_at`;
  // Newer observations overwrite what they carry; older ones only fill what is missing.
  const pick = (column: string): SQL => {
    const stored = sql.raw(`p.${column}`);
    const incoming = sql.raw(`src.${column}`);
    return sql`case when ${newer} then coalesce(${incoming}, ${stored}) else coalesce(${stored}, ${incoming}) end`;
  };
  const assignments: [string, SQL][] = [
    ['title', sql`case when ${newer} then src.title else p.title end`],
    ['brand', pick('brand')],
    ['gtin', pick('gtin')],
    ['mpn', pick('mpn')],
    ['epid', pick('epid')],
    [
      'condition',
      sql`case when ${newer} and src.condition is not null then src.condition::product_condition else p.condition end`,
    ],
    ['condition_raw', pick('condition_raw')],
    ['category_id', pick('category_id')],
    ['url', pick('url')],
    ['status', sql`case when ${newer} and src.status is not null then src.status::product_status else p.status end`],
    [
      'price_minor',
      sql`case when ${newer} and src.price_minor is not null then src.price_minor else p.price_minor end`,
    ],
    ['currency', sql`case when ${newer} and src.price_minor is not null then src.currency else p.currency end`],
    ['first_seen_at', sql`least(p.first_seen_at, src.first_seen)`],
    ['last_seen_at', sql`greatest(p.last_seen_at, src.last_seen)`],
  ];
  const set = sql.join(
    assignments.map(([column, value]) => sql`${sql.raw(column)} = ${value}`),
    sql`, `,
  );
  const stored = sql.raw(assignments.map(([column]) => `p.${column}`).join(', '));
  const incoming = sql.join(
    assignments.map(([, value]) => value),
    sql`, `,
  );
  const [updated] = await selectRows(
    core.tx,
    sql`with src as ${source},
        old as (select p.id, p.brand, p.category_id, p.condition
                from products p join src on p.marketplace_id = src.marketplace_id and p.external_id = src.external_id),
        up as (
          update products p set ${set}
          from src
          where p.marketplace_id = src.marketplace_id and p.external_id = src.external_id
            and (${stored}) is distinct from (${incoming})
          returning p.id, p.brand, p.category_id, p.condition),
        -- A product that moved segment (brand, category, condition) changes every day it sold on.
        pend as (
          insert into ingest_mart_pending (day)
          select distinct (s.sold_at at time zone 'UTC')::date
          from sales s
          where s.product_id in (
            select up.id from up join old on old.id = up.id
            where (up.brand, up.category_id, up.condition) is distinct from (old.brand, old.category_id, old.condition)))
        select count(*) as updated from up`,
  );
  const [inserted] = await selectRows(
    core.tx,
    sql`with src as ${source},
        ins as (
          insert into products (marketplace_id, external_id, title, brand, gtin, mpn, epid, condition, condition_raw,
                                category_id, url, status, price_minor, currency, first_seen_at, last_seen_at)
          select src.marketplace_id, src.external_id, src.title, src.brand, src.gtin, src.mpn, src.epid,
                 coalesce(src.condition, 'UNKNOWN')::product_condition, src.condition_raw, src.category_id, src.url,
                 coalesce(src.status, 'ACTIVE')::product_status, coalesce(src.price_minor, 0),
                 case when src.price_minor is null then m.default_currency else src.currency end,
                 src.first_seen, src.last_seen
          from src join marketplaces m on m.id = src.marketplace_id
          where not exists (select 1 from products p where p.marketplace_id = src.marketplace_id and p.external_id = src.external_id)
          on conflict (marketplace_id, external_id) do nothing
          returning 1)
        select count(*) as inserted from ins`,
  );
  return { inserted: count(inserted, 'inserted'), updated: count(updated, 'updated') };
}

const IMAGE_STAGE: StageTable = {
  name: 'ingest_stage_images',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['url', 'text'],
    ['width', 'int4'],
    ['height', 'int4'],
    ['position', 'int2'],
    ['observed_at', 'timestamptz'],
  ],
};

/** Listings whose record states the whole gallery, possibly empty (`galleryComplete`). */
const GALLERY_STAGE: StageTable = {
  name: 'ingest_stage_galleries',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['observed_at', 'timestamptz'],
  ],
};

/**
 * Merges each listing's gallery by (product, URL), position being the gallery order, as
 * products merge: the newest observation (at or after the product's `last_seen_at`, which
 * the product merge just advanced) writes its images, an older one only fills an empty
 * gallery. A newest observation that states the whole gallery also deletes the product's
 * images it no longer lists.
 */
async function upsertImages(
  core: CoreTransaction,
  listings: readonly ValidListing[],
  ids: MarketplaceIds,
): Promise<void> {
  const rows: StageValue[][] = [];
  const galleries: StageValue[][] = [];
  listings.forEach((listing, ord) => {
    const mid = marketplaceId(ids, listing.marketplace);
    const observedAt = listing.observedAt.toISOString();
    listing.images?.forEach((image, position) => {
      rows.push([ord, mid, listing.externalId, image.url, image.width, image.height, position, observedAt]);
    });
    if (listing.galleryComplete) galleries.push([ord, mid, listing.externalId, observedAt]);
  });
  if (rows.length > 0) {
    await core.stage(IMAGE_STAGE, rows);
    await core.tx.execute(sql`
      insert into images (product_id, url, width, height, position)
      select distinct on (p.id, s.url) p.id, s.url, s.width, s.height, s.position
      from ingest_stage_images s
      join products p on p.marketplace_id = s.marketplace_id and p.external_id = s.external_id
      where s.observed_at >= p.last_seen_at or not exists (select 1 from images i where i.product_id = p.id)
      order by p.id, s.url, s.ord desc
      on conflict (product_id, url) do update
        set width = coalesce(excluded.width, images.width), height = coalesce(excluded.height, images.height),
            position = excluded.position
        where (images.width, images.height, images.position)
              is distinct from (coalesce(excluded.width, images.width), coalesce(excluded.height, images.height), excluded.position)`);
  }
  if (galleries.length === 0) return;
  await core.stage(GALLERY_STAGE, galleries);
  if (rows.length === 0) await core.stage(IMAGE_STAGE, []);
  await core.tx.execute(sql`
    with newest as (
      select distinct on (p.id) p.id as product_id, g.ord
      from ingest_stage_galleries g
      join products p on p.marketplace_id = g.marketplace_id and p.external_id = g.external_id
      where g.observed_at >= p.last_seen_at
      order by p.id, g.ord desc)
    delete from images i using newest n
    where i.product_id = n.product_id
      and not exists (select 1 from ingest_stage_images s where s.ord = n.ord and s.url = i.url)`);
}

/** Records whose listing is not in `products`, as quarantine issues. */
function unknownListings<R extends { locator: string; marketplace: string; externalId: string }>(
  records: readonly R[],
  ords: unknown,
): RecordIssue[] {
  const list = Array.isArray(ords) ? ords : typeof ords === 'string' ? parseIntArray(ords) : [];
  return list.flatMap((ord) => {
    const record = records[Number(ord)];
    if (!record) return [];
    return [
      {
        locator: record.locator,
        code: 'UNKNOWN_LISTING',
        reason: `no listing ${record.externalId} on ${record.marketplace} is known; import the listing first, then re-run or replay`,
        record,
      },
    ];
  });
}

/** node-postgres returns int[] as an array; some paths hand back the `{1,2}` literal. */
function parseIntArray(literal: string): number[] {
  const inner = literal.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}

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

/** Product ids of the given listing keys (`<marketplace id>/<external id>`), in one statement. */
async function productIdsOf(
  tx: Executor,
  keys: ReadonlyMap<string, { marketplaceId: number; externalId: string }>,
): Promise<Map<string, number>> {
  const list = [...keys.values()];
  const found = await selectRows(
    tx,
    sql`select p.id, p.marketplace_id, p.external_id from products p
        join unnest(${sql.param(list.map((k) => k.marketplaceId))}::int[], ${sql.param(list.map((k) => k.externalId))}::text[])
          as k(marketplace_id, external_id) on p.marketplace_id = k.marketplace_id and p.external_id = k.external_id`,
  );
  return new Map(found.map((row) => [`${Number(row.marketplace_id)}/${String(row.external_id)}`, Number(row.id)]));
}

/**
 * Merges sales by (product, source key). Product ids are resolved first and duplicates within
 * the payload dropped (the last record wins), so the merge itself is one plain
 * `insert ... on conflict` from the staged rows. The days of inserted and updated sales (and
 * the old day of a sale that moved) are queued for the end-of-run mart refresh.
 */
async function upsertSales(core: CoreTransaction, sales: readonly ValidSale[], ids: MarketplaceIds) {
  const listingKeys = new Map<string, { marketplaceId: number; externalId: string }>();
  for (const sale of sales) {
    const marketplace = marketplaceId(ids, sale.marketplace);
    listingKeys.set(`${marketplace}/${sale.externalId}`, { marketplaceId: marketplace, externalId: sale.externalId });
  }
  const productIds = await productIdsOf(core.tx, listingKeys);
  const latest = new Map<string, StageValue[]>();
  const issues: RecordIssue[] = [];
  for (const sale of sales) {
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
  const [row] = await selectRows(
    core.tx,
    sql`with
        up as (
          insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor, granularity)
          select product_id, source_key, sold_at, unit_price_minor, currency, quantity, shipping_minor,
                 granularity::sale_granularity
          from ingest_stage_sales
          -- In key order the index pages a payload touches are visited once each, not at random.
          order by product_id, source_key
          on conflict (product_id, source_key) do update
            set sold_at = excluded.sold_at, unit_price_minor = excluded.unit_price_minor, currency = excluded.currency,
                quantity = excluded.quantity, shipping_minor = excluded.shipping_minor, granularity = excluded.granularity
            where (sales.sold_at, sales.unit_price_minor, sales.currency, sales.quantity, sales.shipping_minor, sales.granularity)
                  is distinct from (excluded.sold_at, excluded.unit_price_minor, excluded.currency, excluded.quantity,
                                    excluded.shipping_minor, excluded.granularity)
          returning product_id, source_key, sold_at, (xmax = 0) as inserted),
        -- An updated sale that moved changes its old day too. Reading sales here sees the rows
        -- as they were before this statement: one index probe per updated row (LIMIT 1, the key
        -- is unique, keeps the planner from flattening the LATERAL into a join).
        moved as (
          select old.sold_at from up
          cross join lateral (
            select s.sold_at from sales s where s.product_id = up.product_id and s.source_key = up.source_key limit 1) old
          where not up.inserted and old.sold_at <> up.sold_at),
        pend as (
          insert into ingest_mart_pending (day)
          select distinct (sold_at at time zone 'UTC')::date
          from (select sold_at from up union all select sold_at from moved) changed)
        select (select count(*) from up where inserted) as inserted, (select count(*) from up where not inserted) as updated`,
  );
  await core.tx.execute(sql`set local enable_seqscan = on`);
  return { inserted: count(row, 'inserted'), updated: count(row, 'updated'), issues };
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

/**
 * The merge shared by observation-like tables: staged rows joined to their product by
 * listing key, deduplicated on `key` (the last record wins), inserted or updated where a
 * value differs; records without a known listing come back as UNKNOWN_LISTING issues.
 */
async function mergeByKey<R extends { locator: string; marketplace: string; externalId: string }>(
  core: CoreTransaction,
  records: readonly R[],
  spec: {
    stage: StageTable;
    rows: StageValue[][];
    target: string;
    /** Column => expression over the staged row (`kind::price_kind`). */
    insert: Record<string, string>;
    key: readonly string[];
    update: readonly string[];
  },
) {
  await core.stage(spec.stage, spec.rows);
  const columns = Object.keys(spec.insert).join(', ');
  const values = Object.values(spec.insert).join(', ');
  const key = spec.key.join(', ');
  const set = spec.update.map((c) => `${c} = excluded.${c}`).join(', ');
  const stored = spec.update.map((c) => `${spec.target}.${c}`).join(', ');
  const incoming = spec.update.map((c) => `excluded.${c}`).join(', ');
  const [row] = await selectRows(
    core.tx,
    sql`with staged as (
          select s.*, p.id as product_id from ${sql.raw(spec.stage.name)} s
          left join products p on p.marketplace_id = s.marketplace_id and p.external_id = s.external_id),
        up as (
          insert into ${sql.raw(spec.target)} (${sql.raw(columns)})
          select distinct on (${sql.raw(key)}) ${sql.raw(values)}
          from staged where product_id is not null
          order by ${sql.raw(key)}, ord desc
          on conflict (${sql.raw(key)}) do update set ${sql.raw(set)}
            where (${sql.raw(stored)}) is distinct from (${sql.raw(incoming)})
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

function upsertPriceObservations(
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
    target: 'price_observations',
    insert: {
      product_id: 'product_id',
      observed_at: 'observed_at',
      kind: 'kind::price_kind',
      amount_minor: 'amount_minor',
      currency: 'currency',
      source: 'source',
    },
    key: ['product_id', 'kind', 'observed_at'],
    update: ['amount_minor', 'currency', 'source'],
  });
}

const RANK_STAGE: StageTable = {
  name: 'ingest_stage_sales_ranks',
  columns: [
    ['ord', 'int4'],
    ['marketplace_id', 'int4'],
    ['external_id', 'text'],
    ['observed_at', 'timestamptz'],
    ['rank', 'int4'],
  ],
};

function upsertSalesRanks(core: CoreTransaction, ranks: readonly ValidSalesRank[], ids: MarketplaceIds) {
  return mergeByKey(core, ranks, {
    stage: RANK_STAGE,
    rows: ranks.map((r, ord) => [
      ord,
      marketplaceId(ids, r.marketplace),
      r.externalId,
      r.observedAt.toISOString(),
      r.rank,
    ]),
    target: 'sales_rank_observations',
    insert: { product_id: 'product_id', observed_at: 'observed_at', rank: 'rank' },
    key: ['product_id', 'observed_at'],
    update: ['rank'],
  });
}

const SNAPSHOT_STAGE: StageTable = {
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

/**
 * Stores sold-aggregate snapshots (with the raw payload that first reported each), then
 * re-derives the AGGREGATE_DERIVED sales of every listing touched: one sale per pair of consecutive snapshots whose `totalSoldQuantity` rose,
 * keyed `snapshot:<earlier observedAt>/<later observedAt>`, sold at the later snapshot's
 * `lastSoldAt` (else its observation time) for its `lastSoldPrice`. Derived sales of pairs
 * that are no longer consecutive (a snapshot arrived in between) are deleted, so replays and
 * out-of-order arrivals never count units twice.
 */
async function upsertSoldSnapshots(
  core: CoreTransaction,
  snapshots: readonly ValidSoldSnapshot[],
  ids: MarketplaceIds,
  rawId: number,
) {
  const merged = await mergeByKey(core, snapshots, {
    stage: SNAPSHOT_STAGE,
    rows: snapshots.map((s, ord) => [
      ord,
      marketplaceId(ids, s.marketplace),
      s.externalId,
      s.observedAt.toISOString(),
      s.totalSoldQuantity,
      iso(s.lastSoldAt),
      s.lastSoldPriceMinor,
      s.currency,
      rawId,
    ]),
    target: 'sold_snapshots',
    insert: {
      product_id: 'product_id',
      observed_at: 'observed_at',
      total_sold_quantity: 'total_sold_quantity',
      last_sold_at: 'last_sold_at',
      last_sold_price_minor: 'last_sold_price_minor',
      currency: 'currency',
      raw_id: 'raw_id',
    },
    key: ['product_id', 'observed_at'],
    update: ['total_sold_quantity', 'last_sold_at', 'last_sold_price_minor', 'currency'],
  });
  await deriveSnapshotSales(core.tx);
  return merged;
}

async function deriveSnapshotSales(tx: Executor): Promise<void> {
  await tx.execute(sql`
    with touched as (
      select distinct p.id from ingest_stage_sold_snapshots s
      join products p on p.marketplace_id = s.marketplace_id and p.external_id = s.external_id),
    pairs as (
      select product_id, observed_at, total_sold_quantity, last_sold_at, last_sold_price_minor, currency,
             lag(observed_at) over w as previous_at, lag(total_sold_quantity) over w as previous_total
      from sold_snapshots where product_id in (select id from touched)
      window w as (partition by product_id order by observed_at)),
    wanted as (
      select product_id,
             'snapshot:' || to_char(previous_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '/' ||
               to_char(observed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as source_key,
             coalesce(last_sold_at, observed_at) as sold_at, last_sold_price_minor as unit_price_minor, currency,
             total_sold_quantity - previous_total as quantity
      from pairs
      where previous_at is not null and total_sold_quantity > previous_total
        and last_sold_price_minor is not null and currency is not null),
    stale as (
      delete from sales s using touched
      where s.product_id = touched.id and s.granularity = 'AGGREGATE_DERIVED' and s.source_key like 'snapshot:%'
        and not exists (select 1 from wanted w where w.product_id = s.product_id and w.source_key = s.source_key)
      returning s.sold_at),
    up as (
      insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity, granularity)
      select product_id, source_key, sold_at, unit_price_minor, currency, quantity, 'AGGREGATE_DERIVED' from wanted
      on conflict (product_id, source_key) do update
        set sold_at = excluded.sold_at, unit_price_minor = excluded.unit_price_minor, currency = excluded.currency,
            quantity = excluded.quantity
        where (sales.sold_at, sales.unit_price_minor, sales.currency, sales.quantity)
              is distinct from (excluded.sold_at, excluded.unit_price_minor, excluded.currency, excluded.quantity)
      returning sold_at)
    insert into ingest_mart_pending (day)
    select distinct (sold_at at time zone 'UTC')::date
    from (select sold_at from stale union all select sold_at from up) changed`);
}
