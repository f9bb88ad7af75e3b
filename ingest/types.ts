/**
 * The contract between sources and the pipeline. A source fetches raw payloads (pages of an
 * API, chunks of a file) and parses each into normalized records; the pipeline stores every
 * payload in `staging_raw` first, validates records, upserts core tables by natural keys,
 * quarantines what fails, refreshes the mart and invalidates caches.
 *
 * Parsing is pure: `parse(payload)` depends on nothing but the payload, so `replay` can
 * rebuild core from `staging_raw` alone and parsers are unit-testable without I/O.
 */
import type { PriceKind } from '../lib/reference';
import type { BucketLimits } from '../lib/token-buckets';

/** One response or file chunk exactly as received, before any transformation. */
export type RawPayload = {
  /** Endpoint path or file name, e.g. `/buy/browse/v1/item_summary/search`. */
  endpoint: string;
  /** Query parameters, body or file offsets; never credentials. */
  request: Record<string, unknown>;
  /** HTTP status; 0 for payloads that did not come over HTTP. */
  status: number;
  contentType?: string;
  body: string;
};

/**
 * Money as the source states it: a decimal string in major units (eBay's `"12.50"`) or an
 * integer in minor units (Keepa's cents). The pipeline converts to minor units by the
 * currency's exponent, never through floating point.
 */
export type SourceMoney = { currency: string } & ({ decimal: string } | { minor: number });

/** Identifies a listing across records: marketplace code (`ebay-us`) and the marketplace's id. */
export type ListingKey = { marketplace: string; externalId: string };

/**
 * A category as the marketplace names it; `path` lists ancestors root first, the category last.
 * `partial`: the path may skip ancestors (eBay search summaries), so it places a category not
 * stored yet but never moves a stored one; a full path (getItem, Keepa, files) may move it.
 */
export type SourceCategory = { path: { externalId: string; name: string }[]; partial?: boolean };

/** A listing with everything a source knows about it; absent fields keep the stored value. */
export type ListingRecord = ListingKey & {
  kind: 'listing';
  locator: string;
  title: string;
  brand?: string | null;
  /** UPC, EAN, ISBN or GTIN as given; validated (check digit) and padded to 14 digits by the pipeline. */
  gtin?: string | null;
  mpn?: string | null;
  epid?: string | null;
  /** The marketplace's condition words and id (eBay `condition` / `conditionId`), mapped to one enum by the pipeline. */
  conditionRaw?: string | null;
  conditionId?: string | null;
  category?: SourceCategory | null;
  url?: string | null;
  status?: 'ACTIVE' | 'ENDED' | 'SOLD';
  /** The current asking price; left out (or null) when the record does not say, which keeps the stored one. */
  price?: SourceMoney | null;
  /**
   * The source states that the listing has no current price (Keepa's -1: out of stock): the
   * stored price becomes null when this is the newest observation. Ignored with a `price`.
   */
  noCurrentPrice?: boolean;
  /** Units bought in the past month as the marketplace shows it (Amazon's "bought in past month", via Keepa). */
  monthlySold?: number | null;
  /** Units still offered, as the marketplace estimates it (eBay getItem's `estimatedAvailableQuantity`). */
  availableQuantity?: number | null;
  /** When the source last refreshed its own data for the listing (Keepa's `lastUpdate`), ISO-8601. */
  sourceUpdatedAt?: string | null;
  /** The price as the site it was seen through showed it, converted from `price`, and when (eBay cross-site listings). */
  convertedPrice?: (SourceMoney & { at: string }) | null;
  /**
   * For marketplaces whose listing ids are unique across their kind (an eBay itemId across
   * eBay's sites): whether `marketplace` is the listing's home site as the record states it
   * (true), or only the site it was seen through (false). One product per id across the kind:
   * a stated home moves a stored listing there, an unstated one joins the stored listing.
   * Undefined for sources whose ids are per marketplace.
   */
  homeStated?: boolean;
  /** In gallery order: the first is the main image. */
  images?: { url: string; width?: number | null; height?: number | null }[];
  /**
   * True when `images` is the listing's whole gallery as of `observedAt` (eBay getItem, Keepa,
   * a file's `image_urls`), so stored images missing from it are deleted when it is the newest
   * observation. A search summary may show fewer images: left out, nothing is deleted.
   */
  galleryComplete?: boolean;
  /** When the source saw it (ISO-8601); becomes first/last seen. */
  observedAt: string;
};

/** A sale with a natural key from the source, so a re-run never duplicates it. */
export type SaleRecord = ListingKey & {
  kind: 'sale';
  locator: string;
  /** Unique per listing within the source: an order line id, a transaction id. */
  sourceKey: string;
  soldAt: string;
  unitPrice: SourceMoney;
  quantity: number;
  shipping?: SourceMoney | null;
  granularity: 'TRANSACTION' | 'AGGREGATE_DERIVED';
};

/** An asked price seen at a moment (listing refresh, Keepa history point). */
export type PriceObservationRecord = ListingKey & {
  kind: 'priceObservation';
  locator: string;
  observedAt: string;
  priceKind: PriceKind;
  price: SourceMoney;
  source: string;
};

/** A sales rank seen at a moment (Keepa). */
export type SalesRankRecord = ListingKey & {
  kind: 'salesRank';
  locator: string;
  observedAt: string;
  rank: number;
};

/**
 * A per-item sold aggregate at a moment (eBay Marketplace Insights). The pipeline stores it
 * and derives `AGGREGATE_DERIVED` sales from the increase of `totalSoldQuantity` since the
 * previous snapshot of the same listing, and from a listing's first snapshot what its window
 * proves (see `windowDays`).
 */
export type SoldSnapshotRecord = ListingKey & {
  kind: 'soldSnapshot';
  locator: string;
  observedAt: string;
  totalSoldQuantity: number;
  lastSoldAt?: string | null;
  lastSoldPrice?: SourceMoney | null;
  /**
   * The days before `observedAt` that `totalSoldQuantity` counts (eBay Insights: 90). With it,
   * a listing's first snapshot derives its total as sold at `lastSoldAt` when that lies in the
   * window; without it (a lifetime total, such as the demo source's) the first snapshot derives nothing.
   */
  windowDays?: number | null;
};

export type IngestRecord = ListingRecord | SaleRecord | PriceObservationRecord | SalesRankRecord | SoldSnapshotRecord;

/** A record the source could not even read (malformed item, missing id), with a stable code. */
export type RejectedRecord = { locator: string; code: string; reason: string; record?: unknown };

/** What a payload holds once parsed; `watermark` is how far this page takes incremental sync. */
export type ParsedPayload = { records: IngestRecord[]; rejects: RejectedRecord[]; watermark?: string };

/** A source's request rate, burst and daily budget: token buckets, as lib/token-buckets.ts keeps them. */
export type RateLimits = BucketLimits;

/** What a source's fetch receives from the pipeline. */
export type FetchContext = {
  /** The stored watermark for this source and scope, if an earlier run committed one. */
  watermark?: string;
  signal: AbortSignal;
  /** Reports a failure that did not end the run (a retried request), for the run record. */
  warn(message: string, code?: string): void;
  /** Reports how many records the whole fetch expects (eBay's `total`, Keepa's ASIN count), for progress. */
  expect?(records: number): void;
  /**
   * Reports that the fetch got every page of its scope: not incremental, not cut short by a
   * limit or a result cap. Only then may the pipeline mark what it missed (`Source.presence`).
   */
  scopeComplete?(): void;
};

/**
 * A marketplace source. `Options` are what the CLI or a worker job passes (query, category,
 * file path); `scope(options)` names the incremental-sync stream they select.
 */
export type Source<Options = Record<string, unknown>> = {
  /** Stable name used in `ingest_runs.source`, `staging_raw.source` and the CLI. */
  name: string;
  limits?: RateLimits;
  scope(options: Options): string;
  /**
   * For searches whose complete fetch lists every live listing of the scope (eBay Browse): the
   * listings of the scope a complete, clean run missed are marked unseen, and ENDED once unseen
   * for `endAfterMs` (ingest/pipeline/presence.ts).
   */
  presence?: { endAfterMs: number };
  fetch(options: Options, context: FetchContext): AsyncIterable<RawPayload>;
  parse(payload: RawPayload): ParsedPayload;
};
