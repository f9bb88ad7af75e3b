import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { names } from '../../../db/names';
import { images, products } from '../../../db/schema';
import { type CoreTransaction, staged, type StageTable, type StageValue } from '../transaction';
import type { ValidListing } from '../validate';
import { type MarketplaceIds, marketplaceId } from './shared';

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

const p = alias(products, 'p');
const i = alias(images, 'i');

/**
 * Merges each listing's gallery by (product, URL), position being the gallery order, as
 * products merge: the newest observation (at or after the product's `last_seen_at`, which
 * the product merge just advanced) writes its images, an older one only fills an empty
 * gallery. A newest observation that states the whole gallery also deletes the product's
 * images it no longer lists.
 */
export async function upsertImages(
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
    await mergeImages(core);
  }
  if (galleries.length === 0) return;
  await core.stage(GALLERY_STAGE, galleries);
  if (rows.length === 0) await core.stage(IMAGE_STAGE, []);
  await deleteUnlistedImages(core);
}

async function mergeImages(core: CoreTransaction): Promise<void> {
  // Width and height the record leaves out keep their stored values.
  const width = sql`coalesce(excluded.${names(images.width)}, ${images.width})`;
  const height = sql`coalesce(excluded.${names(images.height)}, ${images.height})`;
  await core.tx.execute(sql`
    insert into ${images} (${names(images.productId, images.url, images.width, images.height, images.position)})
    select distinct on (${p.id}, s.url) ${p.id}, s.url, s.width, s.height, s.position
    from ${staged(IMAGE_STAGE)} s
    join ${products} p on ${p.marketplaceId} = s.marketplace_id and ${p.externalId} = s.external_id
    where s.observed_at >= ${p.lastSeenAt} or not exists (select 1 from ${images} i where ${i.productId} = ${p.id})
    order by ${p.id}, s.url, s.ord desc
    on conflict (${names(images.productId, images.url)}) do update
      set ${names(images.width)} = ${width}, ${names(images.height)} = ${height},
          ${names(images.position)} = excluded.${names(images.position)}
      where (${images.width}, ${images.height}, ${images.position})
            is distinct from (${width}, ${height}, excluded.${names(images.position)})`);
}

/** Deletes the images a listing's newest complete gallery no longer lists. */
async function deleteUnlistedImages(core: CoreTransaction): Promise<void> {
  await core.tx.execute(sql`
    with newest as (
      select distinct on (${p.id}) ${p.id} as product_id, g.ord
      from ${staged(GALLERY_STAGE)} g
      join ${products} p on ${p.marketplaceId} = g.marketplace_id and ${p.externalId} = g.external_id
      where g.observed_at >= ${p.lastSeenAt}
      order by ${p.id}, g.ord desc)
    delete from ${images} i using newest n
    where ${i.productId} = n.product_id
      and not exists (select 1 from ${staged(IMAGE_STAGE)} s where s.ord = n.ord and s.url = ${i.url})`);
}
