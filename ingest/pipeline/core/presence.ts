/**
 * Which listings are still on offer, for searches whose complete fetch lists every live
 * listing of its scope (eBay Browse). Each payload records which products the scope found in
 * which run (`ingest_scope_listings`); after a complete, clean run of the scope, its listings
 * an earlier run found last were missed: they get `unseen_since` (the run's start), and an ACTIVE
 * listing unseen for the source's grace becomes ENDED. A record seen again that states the
 * listing's status (a search finds it ACTIVE) clears the mark (the product merge, ./products.ts).
 */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Executor, selectRows } from '../../../db/client';
import { names } from '../../../db/names';
import { ingestScopeListings, products } from '../../../db/schema';
import { type CoreTransaction, staged } from '../transaction';
import { PRODUCT_STAGE } from './products';

/** The search scope a payload belongs to, and its run. */
export type Sighting = { source: string; scope: string; runId: number };

const p = alias(products, 'p');
const l = alias(ingestScopeListings, 'l');

/** Records that the run found the payload's staged listings in its scope; run after the product merge. */
export async function recordSightings(core: CoreTransaction, sighting: Sighting): Promise<void> {
  await core.tx.execute(sql`
    insert into ${ingestScopeListings} (${names(ingestScopeListings.source, ingestScopeListings.scope, ingestScopeListings.productId, ingestScopeListings.lastRunId)})
    select distinct ${sighting.source}::text, ${sighting.scope}::text, ${p.id}, ${sighting.runId}::int
    from ${staged(PRODUCT_STAGE)} s
    join ${products} p on ${p.marketplaceId} = s.marketplace_id and ${p.externalId} = s.external_id
    on conflict (${names(ingestScopeListings.source, ingestScopeListings.scope, ingestScopeListings.productId)}) do update
      set ${names(ingestScopeListings.lastRunId)} = excluded.${names(ingestScopeListings.lastRunId)}
      where ${ingestScopeListings.lastRunId} is distinct from excluded.${names(ingestScopeListings.lastRunId)}`);
}

/**
 * After a complete, clean run of a scope: marks the scope's ACTIVE listings the run did not
 * find as unseen since `at` (the run's start), and ends those unseen since `endAfterMs` before
 * `at` or longer. One statement: its two updates touch disjoint rows (unmarked, marked). Running
 * it again changes nothing; SOLD and ENDED listings are left as they are. Returns the
 * marketplaces (ids) of the listings it changed, whose cached answers are stale.
 */
export async function sweepUnseen(
  db: Executor,
  sighting: Sighting & { at: Date; endAfterMs: number },
): Promise<number[]> {
  const at = sighting.at.toISOString();
  const endBefore = new Date(sighting.at.getTime() - sighting.endAfterMs).toISOString();
  const changed = await selectRows<{ marketplace_id: unknown }>(
    db,
    sql`with missed as (
          select ${l.productId} as id from ${ingestScopeListings} l
          where ${l.source} = ${sighting.source} and ${l.scope} = ${sighting.scope}
            -- Found last by a run that started before this one (ids are given at start): a run
            -- of the same scope that started later and found it is no miss.
            and (${l.lastRunId} is null or ${l.lastRunId} < ${sighting.runId})),
        marked as (
          update ${products} p set ${names(products.unseenSince)} = ${at}::timestamptz
          from missed where ${p.id} = missed.id and ${p.status} = 'ACTIVE' and ${p.unseenSince} is null
          returning ${p.marketplaceId} as marketplace_id),
        ended as (
          update ${products} p set ${names(products.status)} = 'ENDED'
          from missed where ${p.id} = missed.id and ${p.status} = 'ACTIVE' and ${p.unseenSince} <= ${endBefore}::timestamptz
          returning ${p.marketplaceId} as marketplace_id)
        select marketplace_id from marked union select marketplace_id from ended`,
  );
  return changed.map((row) => Number(row.marketplace_id));
}
