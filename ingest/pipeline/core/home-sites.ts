import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { selectRows } from '../../../db/client';
import { names } from '../../../db/names';
import { ingestMartPending, products, sales } from '../../../db/schema';
import { MARKETPLACES } from '../../../lib/reference';
import type { CoreTransaction } from '../transaction';
import type { ValidRecord } from '../validate';
import type { MarketplaceIds } from './shared';

const KIND_OF = new Map(MARKETPLACES.map((m) => [m.code, m.kind]));
const p = alias(products, 'p');
const o = alias(products, 'o');

/** What resolving home sites did: the records to write, and the sites stored listings moved away from. */
export type HomeSites = { records: ValidRecord[]; movedFrom: number[] };

/**
 * One product per listing across the sites of a marketplace kind whose ids are global there
 * (an eBay itemId on eBay US, UK and DE is one listing). For each listing in the payload that
 * says whether its site is its home (`homeStated`), the home is: the site a record states,
 * else the site a stored product already has, else the site it was seen through. Every record
 * of the payload for that listing (sold snapshots, price observations) is written there, and
 * a stored product on another site is moved to its stated home, its category cleared (it
 * belonged to the other site's tree) and its sale days queued for the mart, which groups by
 * marketplace. Returns the records unchanged when no listing of the payload is cross-site.
 */
export async function resolveHomeSites(
  core: CoreTransaction,
  records: readonly ValidRecord[],
  ids: MarketplaceIds,
): Promise<HomeSites> {
  const stated = new Map<string, string>();
  const seen = new Set<string>();
  const kinds = new Set<string>();
  const externalIds = new Set<string>();
  for (const record of records) {
    if (record.kind !== 'listing' || record.homeStated === null) continue;
    const key = listingKey(record.marketplace, record.externalId);
    seen.add(key);
    kinds.add(KIND_OF.get(record.marketplace) ?? record.marketplace);
    externalIds.add(record.externalId);
    if (record.homeStated) stated.set(key, record.marketplace);
  }
  if (seen.size === 0) return { records: [...records], movedFrom: [] };

  const codeOf = new Map([...ids].map(([code, id]) => [id, code]));
  const kindIds = [...ids].filter(([code]) => kinds.has(KIND_OF.get(code) ?? '')).map(([, id]) => id);
  const stored = await selectRows<{ id: unknown; external_id: unknown; marketplace_id: unknown }>(
    core.tx,
    sql`select ${p.id} as id, ${p.externalId} as external_id, ${p.marketplaceId} as marketplace_id from ${products} p
        where ${p.marketplaceId} = any(${sql.param(kindIds)}::int[]) and ${p.externalId} = any(${sql.param([...externalIds])}::text[])
        order by ${p.id}`,
  );
  const storedHome = new Map<string, { id: number; code: string }>();
  for (const row of stored) {
    const code = codeOf.get(Number(row.marketplace_id));
    const key = code && listingKey(code, String(row.external_id));
    if (key && !storedHome.has(key)) storedHome.set(key, { id: Number(row.id), code });
  }

  const home = new Map<string, string>();
  const moves: { id: number; from: number; to: number }[] = [];
  for (const key of seen) {
    const want = stated.get(key);
    const have = storedHome.get(key);
    if (want && have && have.code !== want) {
      moves.push({ id: have.id, from: ids.get(have.code) ?? 0, to: ids.get(want) ?? 0 });
    }
    const resolved = want ?? have?.code;
    if (resolved) home.set(key, resolved);
  }
  if (moves.length > 0) await moveHome(core, moves);

  const rewritten = records.map((record) => {
    const resolved = home.get(listingKey(record.marketplace, record.externalId));
    return resolved && resolved !== record.marketplace ? { ...record, marketplace: resolved } : record;
  });
  return { records: rewritten, movedFrom: [...new Set(moves.map((move) => move.from))] };
}

/** A listing's identity within its marketplace kind: kind and external id. */
function listingKey(marketplace: string, externalId: string): string {
  return `${KIND_OF.get(marketplace) ?? marketplace}\u0000${externalId}`;
}

/**
 * Moves stored products to their home site, where that site holds no product of the same id
 * yet. Two copies stored before identities were global stay apart: the record goes to the one
 * on its home site, and the other is left for an operator to merge.
 */
async function moveHome(core: CoreTransaction, moves: readonly { id: number; to: number }[]): Promise<void> {
  await core.tx.execute(
    sql`
    with m as (
      select * from unnest(${sql.param(moves.map((move) => move.id))}::int[], ${sql.param(moves.map((move) => move.to))}::int[])
             as m(id, to_marketplace)),
    moved as (
      update ${products} p set ${names(products.marketplaceId)} = m.to_marketplace, ${names(products.categoryId)} = null
      from m
      where ${p.id} = m.id
        and not exists (select 1 from ${products} o where ${o.marketplaceId} = m.to_marketplace and ${o.externalId} = ${p.externalId})
      returning ${p.id} as id)
    insert into ${ingestMartPending} (${names(ingestMartPending.day)})
    select distinct (${sales.soldAt} at time zone 'UTC')::date from ${sales} where ${sales.productId} in (select id from moved)`,
  );
}
