/**
 * Validation and normalization of parsed records, pure: a record becomes the values core
 * stores (minor units, GTIN-14, the condition enum, Dates) or an issue with a stable code
 * for the quarantine. Nothing here touches the database.
 */
import { isCurrencyCode, minorUnitsFromDecimal } from '../../lib/money';
import {
  isValidGtin,
  MARKETPLACES,
  PRICE_KINDS,
  type PriceKind,
  type ProductCondition as Condition,
} from '../../lib/reference';
import type {
  IngestRecord,
  ListingRecord,
  PriceObservationRecord,
  SaleRecord,
  SalesRankRecord,
  SoldSnapshotRecord,
  SourceMoney,
} from '../types';
import { normalizeCondition } from './conditions';

/** Stable reasons a record is quarantined; sources add their own for records they cannot read. */
export type ValidationCode =
  | 'MISSING_FIELD'
  | 'INVALID_TEXT'
  | 'INVALID_GTIN'
  | 'UNKNOWN_CURRENCY'
  | 'INVALID_PRICE'
  | 'UNKNOWN_MARKETPLACE'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_QUANTITY'
  | 'INVALID_RANK'
  | 'INVALID_URL'
  | 'INVALID_STATUS'
  | 'INVALID_IMAGE'
  | 'INVALID_CATEGORY';

/** A record that failed, as the quarantine stores it. */
export type RecordIssue = { locator: string; code: string; reason: string; record?: unknown };

type Keyed = { locator: string; marketplace: string; externalId: string };

export type ValidListing = Keyed & {
  kind: 'listing';
  title: string;
  brand: string | null;
  gtin: string | null;
  mpn: string | null;
  epid: string | null;
  /** Null when the record says nothing about its condition: the stored value stays. */
  condition: Condition | null;
  conditionRaw: string | null;
  category: { externalId: string; name: string }[] | null;
  /** The category path may skip ancestors (SourceCategory.partial): it never moves a stored category. */
  categoryPartial: boolean;
  url: string | null;
  status: 'ACTIVE' | 'ENDED' | 'SOLD' | null;
  /** Null when the record has no price: the stored one stays, unless `noCurrentPrice`. */
  priceMinor: number | null;
  currency: string | null;
  /** The record says the listing has no current price (ListingRecord.noCurrentPrice): the stored one is cleared. */
  noCurrentPrice: boolean;
  /** The price converted to the currency of the site it was seen through, and when (ListingRecord.convertedPrice). */
  converted: { minor: number; currency: string; at: Date } | null;
  /** ListingRecord.homeStated; null for sources whose ids are per marketplace. */
  homeStated: boolean | null;
  monthlySold: number | null;
  availableQuantity: number | null;
  sourceUpdatedAt: Date | null;
  /** Null when the record has no image list; else deduplicated by URL in gallery order. */
  images: { url: string; width: number | null; height: number | null }[] | null;
  /** `images` is the whole gallery (see ListingRecord.galleryComplete). */
  galleryComplete: boolean;
  observedAt: Date;
};

export type ValidSale = Keyed & {
  kind: 'sale';
  sourceKey: string;
  soldAt: Date;
  unitPriceMinor: number;
  currency: string;
  quantity: number;
  shippingMinor: number | null;
  granularity: 'TRANSACTION' | 'AGGREGATE_DERIVED';
};

export type ValidPriceObservation = Keyed & {
  kind: 'priceObservation';
  observedAt: Date;
  priceKind: PriceKind;
  amountMinor: number;
  currency: string;
  source: string;
};

export type ValidSalesRank = Keyed & { kind: 'salesRank'; observedAt: Date; rank: number };

export type ValidSoldSnapshot = Keyed & {
  kind: 'soldSnapshot';
  observedAt: Date;
  totalSoldQuantity: number;
  lastSoldAt: Date | null;
  lastSoldPriceMinor: number | null;
  currency: string | null;
  windowDays: number | null;
};

export type ValidRecord = ValidListing | ValidSale | ValidPriceObservation | ValidSalesRank | ValidSoldSnapshot;

/**
 * `notes`: optional fields that failed and were dropped (a bad GTIN, a malformed image URL);
 * the record itself is kept without them, and each note is quarantined for the operator.
 */
export type Validation =
  { ok: true; value: ValidRecord; notes: readonly RecordIssue[] } | { ok: false; issue: RecordIssue };

const NO_NOTES: readonly RecordIssue[] = Object.freeze([]);

const KNOWN_MARKETPLACES = new Set(MARKETPLACES.map((m) => m.code));
const KNOWN_PRICE_KINDS: ReadonlySet<string> = new Set(PRICE_KINDS);

class Invalid extends Error {
  constructor(
    readonly code: ValidationCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Validates one record and normalizes it for core.
 * @example
 *   const result = validateRecord(record);
 *   if (!result.ok) quarantine.push(result.issue);
 */
export function validateRecord(record: IngestRecord): Validation {
  // Only listings have optional fields to drop: other records share one empty list (a million
  // sales would otherwise allocate a million arrays).
  const notes: RecordIssue[] = record.kind === 'listing' ? [] : (NO_NOTES as RecordIssue[]);
  try {
    return { ok: true, value: normalize(record, notes), notes };
  } catch (error) {
    if (error instanceof Invalid) {
      return { ok: false, issue: { locator: record.locator, code: error.code, reason: error.message, record } };
    }
    throw error;
  }
}

function normalize(record: IngestRecord, notes: RecordIssue[]): ValidRecord {
  const key: Keyed = {
    locator: record.locator,
    marketplace: marketplaceCode(record.marketplace),
    externalId: requiredText(record.externalId, 'externalId'),
  };
  switch (record.kind) {
    case 'listing':
      return normalizeListing(record, key, notes);
    case 'sale':
      return normalizeSale(record, key);
    case 'priceObservation':
      return normalizePriceObservation(record, key);
    case 'salesRank':
      return normalizeSalesRank(record, key);
    case 'soldSnapshot':
      return normalizeSoldSnapshot(record, key);
  }
}

// The key fields are written out in each literal below, not spread in: on Node 20 a spread
// followed by more properties took ~2 µs per record, a third of all validation (measured).

function normalizeListing(record: ListingRecord, key: Keyed, notes: RecordIssue[]): ValidListing {
  const price = record.price ? money(record.price, 'price') : null;
  // An optional field that fails is dropped with a note; the rest of the listing is stored.
  const optional = <T>(field: string, read: () => T, none: T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      notes.push({
        locator: `${key.locator}:${field}`,
        code: error.code,
        reason: `${error.message}; the listing is stored without its ${field}`,
        record: (record as Record<string, unknown>)[field],
      });
      return none;
    }
  };
  const images = optional('images', () => (record.images ? gallery(record.images) : null), null);
  return {
    locator: key.locator,
    marketplace: key.marketplace,
    externalId: key.externalId,
    kind: 'listing',
    title: requiredText(record.title, 'title'),
    brand: optional('brand', () => identifier(record.brand, 'brand'), null),
    gtin: optional('gtin', () => gtin14(record.gtin), null),
    mpn: optional('mpn', () => identifier(record.mpn, 'mpn'), null),
    epid: optional('epid', () => optionalText(record.epid, 'epid'), null),
    condition: normalizeCondition(record.conditionId, record.conditionRaw),
    conditionRaw: optional('conditionRaw', () => optionalText(record.conditionRaw, 'conditionRaw'), null),
    category: optional('category', () => (record.category ? categoryPath(record.category.path) : null), null),
    categoryPartial: record.category?.partial === true,
    url: optional('url', () => (record.url ? httpUrl(record.url, 'url') : null), null),
    status: listingStatus(record.status),
    priceMinor: price?.minor ?? null,
    currency: price?.currency ?? null,
    noCurrentPrice: !price && record.noCurrentPrice === true,
    converted: optional('convertedPrice', () => convertedPrice(record.convertedPrice), null),
    homeStated: typeof record.homeStated === 'boolean' ? record.homeStated : null,
    monthlySold: optional('monthlySold', () => count(record.monthlySold, 'monthlySold'), null),
    availableQuantity: optional('availableQuantity', () => count(record.availableQuantity, 'availableQuantity'), null),
    sourceUpdatedAt: optional(
      'sourceUpdatedAt',
      () => (record.sourceUpdatedAt ? timestamp(record.sourceUpdatedAt, 'sourceUpdatedAt') : null),
      null,
    ),
    images,
    // A gallery that failed says nothing, so it cannot delete the stored images either.
    galleryComplete: images !== null && record.galleryComplete === true,
    observedAt: timestamp(record.observedAt, 'observedAt'),
  };
}

/** A count a marketplace reports (units sold in a month, units available): a non-negative 32-bit integer, or null. */
function count(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new Invalid(
      'INVALID_QUANTITY',
      `${field} must be a whole number from 0 to 2147483647, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function convertedPrice(value: ListingRecord['convertedPrice']): ValidListing['converted'] {
  if (!value) return null;
  return { ...money(value, 'convertedPrice'), at: timestamp(value.at, 'convertedPrice.at') };
}

function normalizeSale(record: SaleRecord, key: Keyed): ValidSale {
  const unit = money(record.unitPrice, 'unitPrice');
  const shipping = record.shipping ? money(record.shipping, 'shipping') : null;
  if (shipping && shipping.currency !== unit.currency) {
    throw new Invalid(
      'INVALID_PRICE',
      `shipping is in ${shipping.currency} but the unit price in ${unit.currency}; one sale holds one currency`,
    );
  }
  if (record.granularity !== 'TRANSACTION' && record.granularity !== 'AGGREGATE_DERIVED') {
    throw new Invalid(
      'MISSING_FIELD',
      `granularity must be TRANSACTION or AGGREGATE_DERIVED, got ${JSON.stringify(record.granularity)}`,
    );
  }
  return {
    locator: key.locator,
    marketplace: key.marketplace,
    externalId: key.externalId,
    kind: 'sale',
    sourceKey: requiredText(record.sourceKey, 'sourceKey'),
    soldAt: timestamp(record.soldAt, 'soldAt'),
    unitPriceMinor: unit.minor,
    currency: unit.currency,
    quantity: positiveInteger(record.quantity, 'quantity', 'INVALID_QUANTITY'),
    shippingMinor: shipping?.minor ?? null,
    granularity: record.granularity,
  };
}

function normalizePriceObservation(record: PriceObservationRecord, key: Keyed): ValidPriceObservation {
  const price = money(record.price, 'price');
  if (!KNOWN_PRICE_KINDS.has(record.priceKind)) {
    throw new Invalid(
      'MISSING_FIELD',
      `priceKind must be one of ${PRICE_KINDS.join(', ')}, got ${JSON.stringify(record.priceKind)}`,
    );
  }
  return {
    locator: key.locator,
    marketplace: key.marketplace,
    externalId: key.externalId,
    kind: 'priceObservation',
    observedAt: timestamp(record.observedAt, 'observedAt'),
    priceKind: record.priceKind,
    amountMinor: price.minor,
    currency: price.currency,
    source: requiredText(record.source, 'source'),
  };
}

function normalizeSalesRank(record: SalesRankRecord, key: Keyed): ValidSalesRank {
  return {
    locator: key.locator,
    marketplace: key.marketplace,
    externalId: key.externalId,
    kind: 'salesRank',
    observedAt: timestamp(record.observedAt, 'observedAt'),
    rank: positiveInteger(record.rank, 'rank', 'INVALID_RANK'),
  };
}

function normalizeSoldSnapshot(record: SoldSnapshotRecord, key: Keyed): ValidSoldSnapshot {
  const price = record.lastSoldPrice ? money(record.lastSoldPrice, 'lastSoldPrice') : null;
  const total = record.totalSoldQuantity;
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new Invalid(
      'INVALID_QUANTITY',
      `totalSoldQuantity must be a non-negative integer, got ${JSON.stringify(total)}`,
    );
  }
  return {
    locator: key.locator,
    marketplace: key.marketplace,
    externalId: key.externalId,
    kind: 'soldSnapshot',
    observedAt: timestamp(record.observedAt, 'observedAt'),
    totalSoldQuantity: total,
    lastSoldAt: record.lastSoldAt ? timestamp(record.lastSoldAt, 'lastSoldAt') : null,
    lastSoldPriceMinor: price?.minor ?? null,
    currency: price?.currency ?? null,
    windowDays: record.windowDays == null ? null : positiveInteger(record.windowDays, 'windowDays', 'INVALID_QUANTITY'),
  };
}

function marketplaceCode(code: unknown): string {
  if (typeof code !== 'string' || !KNOWN_MARKETPLACES.has(code)) {
    throw new Invalid(
      'UNKNOWN_MARKETPLACE',
      `marketplace must be one of ${[...KNOWN_MARKETPLACES].join(', ')}, got ${JSON.stringify(code)}`,
    );
  }
  return code;
}

/**
 * The longest text any field may hold, in UTF-8 bytes. Titles, brands, ids and URLs are
 * indexed, and a PostgreSQL b-tree entry must fit in a third of a page (about 2,700 bytes): a
 * longer value failed its whole payload's transaction. Real titles are far shorter (eBay 80
 * characters, Amazon 200).
 */
export const MAX_TEXT_BYTES = 2_000;

function optionalText(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string')
    throw new Invalid('INVALID_TEXT', `${field} must be text, got ${JSON.stringify(value)}`);
  // PostgreSQL text cannot hold NUL; refusing keeps the record whole in the quarantine.
  if (value.includes('\u0000')) throw new Invalid('INVALID_TEXT', `${field} contains a NUL character (\\u0000)`);
  const trimmed = value.trim();
  // A UTF-16 unit is at most 3 UTF-8 bytes: short text (nearly all of it) needs no count.
  const bytes = trimmed.length * 3 <= MAX_TEXT_BYTES ? 0 : Buffer.byteLength(trimmed, 'utf8');
  if (bytes > MAX_TEXT_BYTES) {
    throw new Invalid('INVALID_TEXT', `${field} is ${bytes} bytes long; at most ${MAX_TEXT_BYTES} are stored`);
  }
  return trimmed === '' ? null : trimmed;
}

/**
 * What marketplaces write where an identifier does not exist: eBay's item specifics say "Does
 * not apply" for a handmade item's MPN or GTIN. Stored as such it would group unrelated
 * listings under one "brand" or "MPN", and as a GTIN it failed the whole record.
 */
const NO_VALUE = /^(does not apply|not applicable|n\/?a|none|-+)$/i;

/** An identifier (brand, MPN, GTIN) as text, with placeholders for "none" read as none. */
function identifier(value: unknown, field: string): string | null {
  const text = optionalText(value, field);
  return text !== null && NO_VALUE.test(text) ? null : text;
}

function requiredText(value: unknown, field: string): string {
  const text = optionalText(value, field);
  if (text === null) throw new Invalid('MISSING_FIELD', `${field} is required and was empty`);
  return text;
}

/** Validates the GS1 check digit of an 8/12/13/14-digit GTIN and left-pads it to 14 digits. */
function gtin14(value: unknown): string | null {
  const text = identifier(value, 'gtin');
  if (text === null) return null;
  const digits = text.replace(/[\s-]/g, '');
  if (!/^(\d{8}|\d{12,14})$/.test(digits)) {
    throw new Invalid('INVALID_GTIN', `gtin must have 8, 12, 13 or 14 digits, got ${JSON.stringify(text)}`);
  }
  if (!isValidGtin(digits)) throw new Invalid('INVALID_GTIN', `gtin ${digits} fails its check digit`);
  return digits.padStart(14, '0');
}

function money(value: SourceMoney, field: string): { minor: number; currency: string } {
  const currency = typeof value.currency === 'string' ? value.currency.trim().toUpperCase() : '';
  if (!isCurrencyCode(currency)) {
    throw new Invalid(
      'UNKNOWN_CURRENCY',
      `${field}: currency must be an ISO-4217 code such as USD, got ${JSON.stringify(value.currency)}`,
    );
  }
  if ('decimal' in value) {
    try {
      return { minor: minorUnitsFromDecimal(String(value.decimal), currency), currency };
    } catch (error) {
      throw new Invalid('INVALID_PRICE', `${field}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!Number.isSafeInteger(value.minor) || value.minor < 0) {
    throw new Invalid(
      'INVALID_PRICE',
      `${field}: minor units must be a non-negative integer, got ${JSON.stringify(value.minor)}`,
    );
  }
  return { minor: value.minor, currency };
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)$/;

/**
 * ISO-8601 with an offset; a bare date or a zoneless `YYYY-MM-DD HH:MM[:SS]` (what shop
 * exports write) is read as UTC.
 */
function timestamp(value: unknown, field: string): Date {
  const text = typeof value === 'string' ? value.trim() : '';
  let iso: string | null = null;
  if (ISO_WITH_OFFSET.test(text)) iso = text;
  else if (DATE_ONLY.test(text)) iso = `${text}T00:00:00Z`;
  else {
    const zoneless = ZONELESS.exec(text);
    if (zoneless) iso = `${zoneless[1]}T${zoneless[2]}Z`;
  }
  const date = iso === null ? null : new Date(iso);
  if (!date || Number.isNaN(date.getTime()) || !isCalendarDay(text.slice(0, 10))) {
    throw new Invalid(
      'INVALID_TIMESTAMP',
      `${field} must be an ISO-8601 timestamp such as 2026-05-01T12:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

/** False for days the pattern allows but the calendar lacks (2026-02-30), which Date would roll over. */
function isCalendarDay(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number);
  if (year === undefined || month === undefined || date === undefined) return false;
  const probe = new Date(Date.UTC(year, month - 1, date));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === date;
}

function positiveInteger(value: unknown, field: string, code: ValidationCode): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new Invalid(code, `${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalDimension(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new Invalid(
      'INVALID_IMAGE',
      `image width and height must be positive integers, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function httpUrl(value: unknown, field: string): string {
  const text = requiredText(value, field);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Invalid('INVALID_URL', `${field} must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Invalid('INVALID_URL', `${field} must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  return text;
}

function isStatus(value: unknown): value is NonNullable<ValidListing['status']> {
  return value === 'ACTIVE' || value === 'ENDED' || value === 'SOLD';
}

function listingStatus(value: unknown): ValidListing['status'] {
  if (value === undefined || value === null) return null;
  if (!isStatus(value))
    throw new Invalid('INVALID_STATUS', `status must be ACTIVE, ENDED or SOLD, got ${JSON.stringify(value)}`);
  return value;
}

function gallery(images: { url: string; width?: number | null; height?: number | null }[]): ValidListing['images'] {
  const seen = new Set<string>();
  const result: NonNullable<ValidListing['images']> = [];
  images.forEach((image, i) => {
    const url = httpUrl(image.url, `images[${i}].url`);
    if (seen.has(url)) return;
    seen.add(url);
    result.push({ url, width: optionalDimension(image.width), height: optionalDimension(image.height) });
  });
  return result;
}

function categoryPath(path: { externalId: string; name: string }[]): ValidListing['category'] {
  if (path.length === 0) return null;
  return path.map((node, i) => {
    const externalId = optionalText(node.externalId, `category.path[${i}].externalId`);
    const name = optionalText(node.name, `category.path[${i}].name`);
    if (externalId === null || name === null) {
      throw new Invalid('INVALID_CATEGORY', `category.path[${i}] needs an externalId and a name`);
    }
    return { externalId, name };
  });
}
