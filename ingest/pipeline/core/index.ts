/**
 * Writes one payload's validated records into core inside its transaction: each kind is
 * bulk-staged into a temporary table, then merged by natural key with one set-based
 * statement, counting what was inserted and what was updated (`unchanged` is the rest).
 * The UTC days whose sales changed are queued in `ingest_mart_pending` in the same
 * transaction, for the end-of-run mart refresh. Every table and column of core is named
 * through the Drizzle schema, so a renamed column fails the typecheck.
 */
import type { CoreTransaction } from '../transaction';
import type {
  RecordIssue,
  ValidListing,
  ValidPriceObservation,
  ValidRecord,
  ValidSale,
  ValidSalesRank,
  ValidSoldSnapshot,
} from '../validate';
import { upsertCategories } from './categories';
import { resolveHomeSites } from './home-sites';
import { upsertImages } from './images';
import { upsertPriceObservations, upsertSalesRanks, upsertSoldSnapshots } from './observations';
import { recordSightings, type Sighting } from './presence';
import { upsertProducts } from './products';
import { upsertSales } from './sales';
import { type MarketplaceIds, marketplaceId, type Merged } from './shared';
import { deriveSnapshotSales } from './snapshot-sales';

export type { MarketplaceIds } from './shared';
export { type Sighting, sweepUnseen } from './presence';

export type CoreResult = Merged & {
  /** Records core could not place (a sale of a listing nobody has seen). */
  issues: RecordIssue[];
  /** Categories inserted or renamed/moved: the cached catalog is stale. */
  categoriesChanged: number;
  /** The marketplaces (ids) whose listings the records name, and those a listing moved away from. */
  marketplaceIds: number[];
};

/**
 * Merges `records` (already validated, all from one payload) into core.
 * `rawId` is the staging_raw payload the records came from, kept on sold snapshots;
 * `sighting`, for a search that tracks presence, records which listings its scope found.
 * @example const result = await writeCore(core, records, marketplaceIds, rawId);
 */
export async function writeCore(
  core: CoreTransaction,
  records: readonly ValidRecord[],
  marketplaceIds: MarketplaceIds,
  rawId: number,
  sighting?: Sighting,
): Promise<CoreResult> {
  const homes = await resolveHomeSites(core, records, marketplaceIds);
  const touched = new Set(homes.movedFrom);
  for (const record of homes.records) touched.add(marketplaceId(marketplaceIds, record.marketplace));
  const result: CoreResult = {
    inserted: 0,
    // A moved listing is counted once, by the product merge that follows (its category, cleared
    // by the move, comes back with the record), never by the move itself as well.
    updated: 0,
    issues: [],
    categoriesChanged: 0,
    marketplaceIds: [...touched],
  };
  const add = (part: Merged & { issues?: RecordIssue[] }) => {
    result.inserted += part.inserted;
    result.updated += part.updated;
    if (part.issues) result.issues.push(...part.issues);
  };
  const byKind = groupByKind(homes.records);
  // Listings first, so sales and observations in the same payload find their product.
  if (byKind.listing.length > 0) {
    result.categoriesChanged = await upsertCategories(core, byKind.listing, marketplaceIds);
    add(await upsertProducts(core, byKind.listing, marketplaceIds));
    if (sighting) await recordSightings(core, sighting);
    await upsertImages(core, byKind.listing, marketplaceIds);
  }
  if (byKind.sale.length > 0) add(await upsertSales(core, byKind.sale, marketplaceIds));
  if (byKind.priceObservation.length > 0) {
    add(await upsertPriceObservations(core, byKind.priceObservation, marketplaceIds));
  }
  if (byKind.salesRank.length > 0) add(await upsertSalesRanks(core, byKind.salesRank, marketplaceIds));
  if (byKind.soldSnapshot.length > 0) {
    add(await upsertSoldSnapshots(core, byKind.soldSnapshot, marketplaceIds, rawId));
    await deriveSnapshotSales(core.tx);
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
