import { type Column, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { selectRows } from '../../../db/client';
import { names } from '../../../db/names';
import { categories, ingestMartPending, marketplaces, products, sales } from '../../../db/schema';
import { type CoreTransaction, staged, type StageTable } from '../transaction';
import type { ValidListing } from '../validate';
import { count, type MarketplaceIds, marketplaceId, type Merged } from './shared';

/** The payload's listings, staged for the product merge (and read by ./presence.ts after it). */
export const PRODUCT_STAGE: StageTable = {
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
    ['no_current_price', 'bool'],
    ['converted_price_minor', 'int8'],
    ['converted_currency', 'text'],
    ['converted_at', 'timestamptz'],
    ['monthly_sold', 'int4'],
    ['available_quantity', 'int4'],
    ['source_updated_at', 'timestamptz'],
    ['observed_at', 'timestamptz'],
  ],
};

const p = alias(products, 'p');
const c = alias(categories, 'c');
const m = alias(marketplaces, 'm');

/**
 * One row per staged listing: the latest observation wins, first/last seen span all of them,
 * and the category is resolved to its id. Its columns keep the staged names (`src.title`).
 */
const latestObservations = sql`(
  select distinct on (s.marketplace_id, s.external_id) s.*, ${c.id} as category_id,
         min(s.observed_at) over w as first_seen, max(s.observed_at) over w as last_seen
  from ${staged(PRODUCT_STAGE)} s
  left join ${categories} c on ${c.marketplaceId} = s.marketplace_id and ${c.externalId} = s.category_external_id
  window w as (partition by s.marketplace_id, s.external_id)
  order by s.marketplace_id, s.external_id, s.observed_at desc, s.ord desc)`;

/** The stored product matching a `src` row by natural key. */
const sameListing = sql`${p.marketplaceId} = src.marketplace_id and ${p.externalId} = src.external_id`;

/**
 * Updates known listings, then inserts new ones. A field the record leaves out keeps its
 * stored value; an observation older than the stored `last_seen_at` only widens first/last
 * seen and fills gaps, it never overwrites newer values. The price is the newest
 * observation's: a record saying the listing has none (out of stock) clears it to null. A new
 * listing without a price has none (null) in its marketplace's default currency until a
 * priced record arrives.
 */
export async function upsertProducts(
  core: CoreTransaction,
  listings: readonly ValidListing[],
  ids: MarketplaceIds,
): Promise<Merged> {
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
      l.noCurrentPrice,
      l.converted?.minor ?? null,
      l.converted?.currency ?? null,
      l.converted?.at.toISOString() ?? null,
      l.monthlySold,
      l.availableQuantity,
      l.sourceUpdatedAt?.toISOString() ?? null,
      l.observedAt.toISOString(),
    ]),
  );
  return { updated: await updateKnownListings(core), inserted: await insertNewListings(core) };
}

type ProductColumn = keyof typeof products._.columns;

/** Each updatable column of a product and the value a `src` row gives it. */
function assignments(): [ProductColumn, SQL][] {
  const newer = sql`src.last_seen >= ${p.lastSeenAt}`;
  // Seen, after a search missed it (./presence.ts), by a record that states whether it is on
  // offer (a search, getItem, a file's status): that status holds now. An Insights sale row
  // states none: a sold listing shows there after it ended.
  const seenAgain = sql`src.status is not null and src.last_seen >= ${p.unseenSince}`;
  // Newer observations overwrite what they carry; older ones only fill what is missing.
  const pick = (column: ProductColumn, incoming: string): SQL => {
    const value = sql.raw(`src.${incoming}`);
    return sql`case when ${newer} then coalesce(${value}, ${p[column]}) else coalesce(${p[column]}, ${value}) end`;
  };
  return [
    ['title', sql`case when ${newer} then src.title else ${p.title} end`],
    ['brand', pick('brand', 'brand')],
    ['gtin', pick('gtin', 'gtin')],
    ['mpn', pick('mpn', 'mpn')],
    ['epid', pick('epid', 'epid')],
    [
      'condition',
      sql`case when ${newer} and src.condition is not null then src.condition::product_condition else ${p.condition} end`,
    ],
    ['conditionRaw', pick('conditionRaw', 'condition_raw')],
    ['categoryId', pick('categoryId', 'category_id')],
    ['url', pick('url', 'url')],
    ['status', sql`case when ${newer} and src.status is not null then src.status::product_status else ${p.status} end`],
    [
      'priceMinor',
      sql`case when ${newer} and src.price_minor is not null then src.price_minor
               when ${newer} and src.no_current_price then null else ${p.priceMinor} end`,
    ],
    ['currency', sql`case when ${newer} and src.price_minor is not null then src.currency else ${p.currency} end`],
    // The last conversion seen stays, dated, when the home site itself is seen again.
    ['convertedPriceMinor', pick('convertedPriceMinor', 'converted_price_minor')],
    ['convertedCurrency', pick('convertedCurrency', 'converted_currency')],
    ['convertedAt', pick('convertedAt', 'converted_at')],
    ['monthlySold', pick('monthlySold', 'monthly_sold')],
    ['availableQuantity', pick('availableQuantity', 'available_quantity')],
    ['sourceUpdatedAt', pick('sourceUpdatedAt', 'source_updated_at')],
    ['firstSeenAt', sql`least(${p.firstSeenAt}, src.first_seen)`],
    ['lastSeenAt', sql`greatest(${p.lastSeenAt}, src.last_seen)`],
    ['unseenSince', sql`case when ${seenAgain} then null else ${p.unseenSince} end`],
  ];
}

/** Rows the update returned, and the same products as they were before it. */
const up = alias(products, 'up');
const old = alias(products, 'old');

/** Times that move whenever a listing is seen again; a change to any other column is news. */
const SEEN: readonly ProductColumn[] = ['firstSeenAt', 'lastSeenAt', 'convertedAt', 'sourceUpdatedAt'];

/**
 * Updates the stored listings the payload observed, where a value changes, and counts those
 * whose content changed: a listing seen again as it was is unchanged, though its last-seen
 * time moves. A product that moved segment (brand, category, condition) changes every day it
 * sold on: those days are queued for the mart refresh.
 */
async function updateKnownListings(core: CoreTransaction): Promise<number> {
  const columns = assignments();
  const list = (parts: SQL[]) => sql.join(parts, sql`, `);
  const set = list(columns.map(([column, value]) => sql`${names(products[column])} = ${value}`));
  const stored = list(columns.map(([column]) => sql`${p[column]}`));
  const incoming = list(columns.map(([, value]) => value));
  const content = columns.map(([column]) => column).filter((column) => !SEEN.includes(column));
  const contentOf = (table: Record<ProductColumn, Column>) => list(content.map((column) => sql`${table[column]}`));
  const [updated] = await selectRows(
    core.tx,
    sql`with src as ${latestObservations},
        old as (select ${p.id}, ${contentOf(p)} from ${products} p join src on ${sameListing}),
        up as (
          update ${products} p set ${set}
          from src
          where ${sameListing} and (${stored}) is distinct from (${incoming})
          returning ${p.id}, ${contentOf(p)}),
        pend as (
          insert into ${ingestMartPending} (${names(ingestMartPending.day)})
          select distinct (${sales.soldAt} at time zone 'UTC')::date
          from ${sales}
          where ${sales.productId} in (
            select ${up.id} from up join old on ${old.id} = ${up.id}
            where (${up.brand}, ${up.categoryId}, ${up.condition}) is distinct from (${old.brand}, ${old.categoryId}, ${old.condition})))
        select count(*) as updated from up join old on ${old.id} = ${up.id}
        where (${contentOf(up)}) is distinct from (${contentOf(old)})`,
  );
  return count(updated, 'updated');
}

/** Inserts the listings not stored yet; returns how many. */
async function insertNewListings(core: CoreTransaction): Promise<number> {
  const [inserted] = await selectRows(
    core.tx,
    sql`with src as ${latestObservations},
        ins as (
          insert into ${products} (${names(
            products.marketplaceId,
            products.externalId,
            products.title,
            products.brand,
            products.gtin,
            products.mpn,
            products.epid,
            products.condition,
            products.conditionRaw,
            products.categoryId,
            products.url,
            products.status,
            products.priceMinor,
            products.currency,
            products.convertedPriceMinor,
            products.convertedCurrency,
            products.convertedAt,
            products.monthlySold,
            products.availableQuantity,
            products.sourceUpdatedAt,
            products.firstSeenAt,
            products.lastSeenAt,
          )})
          select src.marketplace_id, src.external_id, src.title, src.brand, src.gtin, src.mpn, src.epid,
                 coalesce(src.condition, 'UNKNOWN')::product_condition, src.condition_raw, src.category_id, src.url,
                 coalesce(src.status, 'ACTIVE')::product_status, src.price_minor,
                 case when src.price_minor is null then ${m.defaultCurrency} else src.currency end,
                 src.converted_price_minor, src.converted_currency, src.converted_at, src.monthly_sold,
                 src.available_quantity, src.source_updated_at, src.first_seen, src.last_seen
          from src join ${marketplaces} m on ${m.id} = src.marketplace_id
          where not exists (select 1 from ${products} p where ${sameListing})
          on conflict (${names(products.marketplaceId, products.externalId)}) do nothing
          returning 1)
        select count(*) as inserted from ins`,
  );
  return count(inserted, 'inserted');
}
