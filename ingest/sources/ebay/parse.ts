/**
 * Pure parsers for eBay Browse (`item_summary/search`, `item/{id}`) and Marketplace Insights
 * (`item_sales/search`) payloads. They read the marketplace and fetch time from
 * `payload.request` (`marketplaceId`, `fetchedAt`), so replaying a stored payload yields the
 * same records. Money stays as eBay's decimal strings; GTINs stay as given.
 */
import type {
  IngestRecord,
  ListingRecord,
  ParsedPayload,
  PriceObservationRecord,
  RawPayload,
  RejectedRecord,
  SourceCategory,
  SourceMoney,
} from '../../types';
import { ebayMarketplaceCode, ebaySiteByCurrency, ebaySiteCurrency } from './marketplaces';

export const BROWSE_SEARCH_PATH = '/buy/browse/v1/item_summary/search';
export const BROWSE_ITEM_PATH = '/buy/browse/v1/item/';
export const INSIGHTS_SEARCH_PATH = '/buy/marketplace_insights/v1_beta/item_sales/search';

/**
 * What every eBay payload's `request` carries besides the query parameters. `watermark` is set
 * on the last payload of a complete fetch only: the newest creation (Browse) or sale (Insights)
 * date the whole fetch saw. A killed run thus never advances incremental sync past pages it
 * did not reach (eBay sorts newest first, so no single page could say how far is safe).
 */
export type EbayRequestRecord = {
  marketplaceId: string;
  fetchedAt: string;
  params?: Record<string, string>;
  watermark?: string;
};

/**
 * The days Marketplace Insights counts `totalSoldQuantity` over: sales "up to 90 days in the
 * past" (docs/data-sources.md), the default and the widest `lastSoldDate` range.
 */
export const INSIGHTS_WINDOW_DAYS = 90;

/**
 * How to read `totalSoldQuantity`: counted over eBay's window (the default), or a lifetime
 * total (the demo source builds its rows so), of which a first snapshot proves no dated sale.
 */
export type EbayParseOptions = { soldTotals?: 'window' | 'lifetime' };

type Json = Record<string, unknown>;
type Context = { source: string; marketplace: string; observedAt: string; windowDays: number | null };
type Accumulator = { records: IngestRecord[]; rejects: RejectedRecord[] };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const isoDate = (value: unknown): string | undefined => {
  const raw = text(value);
  return raw !== undefined && !Number.isNaN(Date.parse(raw)) ? new Date(raw).toISOString() : undefined;
};

/**
 * Parses any eBay Browse or Insights payload; `source` names the source in price observations.
 * @example parseEbayPayload(payload, 'ebay-browse').records.filter((r) => r.kind === 'listing')
 */
export function parseEbayPayload(payload: RawPayload, source: string, options: EbayParseOptions = {}): ParsedPayload {
  const context = contextOf(payload, source, options.soldTotals === 'lifetime' ? null : INSIGHTS_WINDOW_DAYS);
  if ('reject' in context) return { records: [], rejects: [context.reject] };
  let body: unknown;
  try {
    body = JSON.parse(payload.body);
  } catch (error) {
    return {
      records: [],
      rejects: [
        {
          locator: payload.endpoint,
          code: 'EBAY_MALFORMED_JSON',
          reason: `the payload is not JSON (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
    };
  }
  const out: Accumulator = { records: [], rejects: [] };
  if (payload.endpoint === BROWSE_SEARCH_PATH) {
    forEachItem(body, 'itemSummaries', payload.endpoint, out, (item, locator) =>
      addListing(item, locator, context, out, false),
    );
  } else if (payload.endpoint === INSIGHTS_SEARCH_PATH) {
    forEachItem(body, 'itemSales', payload.endpoint, out, (item, locator) => addSoldItem(item, locator, context, out));
  } else if (payload.endpoint.startsWith(BROWSE_ITEM_PATH)) {
    if (isObject(body)) addListing(body, `${payload.endpoint}`, context, out, true);
    else
      out.rejects.push({
        locator: payload.endpoint,
        code: 'EBAY_PAYLOAD_SHAPE',
        reason: 'getItem answered something other than an object',
      });
  } else {
    out.rejects.push({
      locator: payload.endpoint,
      code: 'EBAY_UNKNOWN_ENDPOINT',
      reason: `no eBay parser for ${payload.endpoint}`,
    });
  }
  const watermark = isoDate(payload.request.watermark);
  return { records: out.records, rejects: out.rejects, ...(watermark ? { watermark } : {}) };
}

function contextOf(
  payload: RawPayload,
  source: string,
  windowDays: number | null,
): Context | { reject: RejectedRecord } {
  const request = payload.request as Partial<EbayRequestRecord>;
  const marketplace =
    typeof request.marketplaceId === 'string' ? ebayMarketplaceCode(request.marketplaceId) : undefined;
  const observedAt = isoDate(request.fetchedAt);
  if (!marketplace || !observedAt) {
    return {
      reject: {
        locator: payload.endpoint,
        code: 'EBAY_REQUEST_INCOMPLETE',
        reason: `payload.request needs a known marketplaceId and an ISO fetchedAt, got ${JSON.stringify({ marketplaceId: request.marketplaceId, fetchedAt: request.fetchedAt })}`,
      },
    };
  }
  return { source, marketplace, observedAt, windowDays };
}

function forEachItem(
  body: unknown,
  key: 'itemSummaries' | 'itemSales',
  endpoint: string,
  out: Accumulator,
  visit: (item: Json, locator: string) => void,
): void {
  if (!isObject(body)) {
    out.rejects.push({ locator: endpoint, code: 'EBAY_PAYLOAD_SHAPE', reason: 'the page is not a JSON object' });
    return;
  }
  const items = body[key];
  // eBay omits the array on an empty page.
  if (items === undefined) return;
  if (!Array.isArray(items)) {
    out.rejects.push({ locator: endpoint, code: 'EBAY_PAYLOAD_SHAPE', reason: `${key} is not an array` });
    return;
  }
  const offset = typeof body.offset === 'number' ? body.offset : 0;
  items.forEach((item, index) => {
    const locator = `${endpoint}#${key}[${offset + index}]`;
    if (!isObject(item)) {
      out.rejects.push({
        locator,
        code: 'EBAY_ITEM_NOT_OBJECT',
        reason: `${key}[${index}] is not an object`,
        record: item,
      });
      return;
    }
    visit(item, text(item.itemId) ? `${locator}:${String(item.itemId)}` : locator);
  });
}

/**
 * eBay Amount `{ value: "12.50", currency: "USD" }`. A listing from another site seen through
 * this one also carries `convertedFromValue`/`convertedFromCurrency`: its own amount, which
 * wins; the converted amount is kept beside it.
 */
function money(value: unknown): Priced | null | 'malformed' {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) return 'malformed';
  const amount = text(value.value);
  const currency = text(value.currency);
  const shown = amount && currency ? { decimal: amount, currency } : undefined;
  const from = text(value.convertedFromValue);
  const fromCurrency = text(value.convertedFromCurrency);
  if (from && fromCurrency)
    return { own: { decimal: from, currency: fromCurrency }, ...(shown ? { converted: shown } : {}) };
  return shown ? { own: shown } : 'malformed';
}

type Priced = { own: SourceMoney; converted?: SourceMoney };

function dimension(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * eBay serves one picture at many sizes (`.../images/g/<key>/s-l225.jpg`, `s-l1600.jpg`, under
 * `/thumbs/` too): search summaries show small ones, getItem the large. Each picture is stored
 * once, at the largest size (1600), so the two kinds of run describe one gallery. Dimensions
 * stated for a smaller size do not describe that URL and are dropped.
 */
const EBAY_PICTURE = /^https:\/\/i\.ebayimg\.com\/(?:thumbs\/)?images\/g\/([^/?#]+)\/s-l(\d+)\.[a-z]+$/i;
const LARGEST_SIZE = 1600;

function picture(url: string): { url: string; resized: boolean } {
  const match = EBAY_PICTURE.exec(url);
  if (!match) return { url, resized: false };
  return {
    url: `https://i.ebayimg.com/images/g/${match[1]}/s-l${LARGEST_SIZE}.jpg`,
    resized: Number(match[2]) !== LARGEST_SIZE,
  };
}

function images(item: Json): NonNullable<ListingRecord['images']> {
  const list: NonNullable<ListingRecord['images']> = [];
  const seen = new Set<string>();
  const add = (image: unknown) => {
    if (!isObject(image)) return;
    const given = text(image.imageUrl);
    if (!given) return;
    const { url, resized } = picture(given);
    if (seen.has(url)) return;
    seen.add(url);
    list.push({
      url,
      width: resized ? null : dimension(image.width),
      height: resized ? null : dimension(image.height),
    });
  };
  add(item.image);
  if (Array.isArray(item.additionalImages)) item.additionalImages.forEach(add);
  return list;
}

/**
 * The units a getItem answer says are left: the first `estimatedAvailableQuantity` among its
 * `estimatedAvailabilities` (one entry per delivery option, all of the same stock). Sellers who
 * show only "More than 10 available" get a threshold and no quantity: then none, and the stored
 * value stays. Any number passes, so validation quarantines one out of range.
 */
function availableQuantity(item: Json): number | undefined {
  const estimates: unknown[] = Array.isArray(item.estimatedAvailabilities) ? item.estimatedAvailabilities : [];
  for (const estimate of estimates) {
    if (isObject(estimate) && typeof estimate.estimatedAvailableQuantity === 'number') {
      return estimate.estimatedAvailableQuantity;
    }
  }
  return undefined;
}

/**
 * getItem gives the whole ancestry, root first, in `categoryIdPath`/`categoryPath`
 * ("15032|9355"). A search summary's `categories` lists the leaf first and then ancestors,
 * not necessarily all of them: read leaf last, and marked partial so that it places a new
 * category but never moves a stored one. Nameless categories (Insights) are left out rather
 * than named by their id.
 */
function category(item: Json): SourceCategory | null {
  const ids = text(item.categoryIdPath)?.split('|');
  const names = text(item.categoryPath)?.split('|');
  if (ids && names && ids.length === names.length) {
    return { path: ids.map((externalId, i) => ({ externalId, name: names[i] ?? externalId })) };
  }
  if (!Array.isArray(item.categories) || item.categories.length === 0) return null;
  const path: SourceCategory['path'] = [];
  for (const entry of item.categories) {
    if (!isObject(entry)) return null;
    const externalId = text(entry.categoryId);
    const name = text(entry.categoryName);
    if (!externalId || !name) return null;
    path.push({ externalId, name });
  }
  return { path: path.reverse(), partial: true };
}

/**
 * Where the listing lives. An itemId is one listing on all of eBay's sites; a search on one
 * site also returns listings of others, with `listingMarketplaceId` naming the home site and
 * the price converted. Without that field, a converted price names the home by its currency
 * when that tracked site is the only eBay site using it (GBP; not EUR); a converted price
 * naming none is quarantined. Without a conversion, the site searched is only where it was seen
 * (`homeStated: false`) and the pipeline keeps a stored home. The listing's own currency must
 * be its home's.
 */
function homeSite(
  item: Json,
  price: Priced | null,
  context: Context,
  externalId: string,
  locator: string,
): { marketplace: string; homeStated: boolean } | RejectedRecord {
  const reject = (code: string, reason: string): RejectedRecord => ({ locator, code, reason, record: item });
  const listed = text(item.listingMarketplaceId);
  let home: { marketplace: string; homeStated: boolean };
  if (listed) {
    const code = ebayMarketplaceCode(listed);
    if (!code)
      return reject(
        'EBAY_UNTRACKED_SITE',
        `item ${externalId} is listed on ${listed}, a site Soldgraph does not track`,
      );
    home = { marketplace: code, homeStated: true };
  } else if (price?.converted) {
    const code = ebaySiteByCurrency(price.own.currency);
    if (!code) {
      return reject(
        'EBAY_UNTRACKED_SITE',
        `item ${externalId} comes from another eBay site priced in ${price.own.currency} without naming it (listingMarketplaceId), and no tracked site is the only one priced in ${price.own.currency}`,
      );
    }
    home = { marketplace: code, homeStated: true };
  } else {
    home = { marketplace: context.marketplace, homeStated: false };
  }
  const expected = ebaySiteCurrency(home.marketplace);
  if (price && price.own.currency !== expected) {
    return reject(
      'EBAY_CURRENCY_MISMATCH',
      `item ${externalId} on ${home.marketplace} is priced in ${price.own.currency}, not ${expected}, and carries no conversion`,
    );
  }
  return home;
}

/** `priceField` names the amount that states the listing's currency: `price`, or a sold row's `lastSoldPrice`. */
function listing(
  item: Json,
  locator: string,
  context: Context,
  detail: boolean,
  priceField: 'price' | 'lastSoldPrice' = 'price',
): ListingRecord | RejectedRecord {
  const externalId = text(item.itemId);
  if (!externalId) return { locator, code: 'EBAY_ITEM_NO_ID', reason: 'the item has no itemId', record: item };
  const title = text(item.title);
  if (!title) return { locator, code: 'EBAY_ITEM_NO_TITLE', reason: `item ${externalId} has no title`, record: item };
  const price = money(item[priceField]);
  if (price === 'malformed') {
    return {
      locator,
      code: 'EBAY_ITEM_BAD_PRICE',
      reason: `item ${externalId} has a ${priceField} without value and currency: ${JSON.stringify(item[priceField])}`,
      record: item,
    };
  }
  const home = homeSite(item, price, context, externalId, locator);
  if ('code' in home) return home;
  const record: ListingRecord = {
    kind: 'listing',
    locator,
    marketplace: home.marketplace,
    homeStated: home.homeStated,
    externalId,
    title,
    observedAt: context.observedAt,
    conditionRaw: text(item.condition) ?? null,
    conditionId: text(item.conditionId) ?? null,
    url: text(item.itemWebUrl) ?? null,
    images: images(item),
  };
  if (price) {
    record.price = price.own;
    if (price.converted) record.convertedPrice = { ...price.converted, at: context.observedAt };
  }
  const epid = text(item.epid);
  if (epid) record.epid = epid;
  const categoryPath = category(item);
  if (categoryPath) record.category = categoryPath;
  if (detail) {
    // Only getItem knows these (and the whole gallery); a search summary leaves the stored values alone.
    record.galleryComplete = true;
    record.brand = text(item.brand) ?? null;
    record.mpn = text(item.mpn) ?? null;
    record.gtin = text(item.gtin) ?? null;
    const available = availableQuantity(item);
    if (available !== undefined) record.availableQuantity = available;
  }
  return record;
}

function isReject(value: ListingRecord | RejectedRecord): value is RejectedRecord {
  return 'code' in value;
}

function addListing(item: Json, locator: string, context: Context, out: Accumulator, detail: boolean): void {
  const record = listing(item, locator, context, detail);
  if (isReject(record)) {
    out.rejects.push(record);
    return;
  }
  const endDate = isoDate(item.itemEndDate);
  record.status = endDate && endDate < context.observedAt ? 'ENDED' : 'ACTIVE';
  out.records.push(record);
  const observe = (priceKind: PriceObservationRecord['priceKind'], value: unknown) => {
    const price = money(value);
    if (price === null) return;
    if (price === 'malformed') {
      out.rejects.push({
        locator: `${locator}:${priceKind}`,
        code: 'EBAY_ITEM_BAD_PRICE',
        reason: `${priceKind} price without value and currency: ${JSON.stringify(value)}`,
      });
      return;
    }
    out.records.push({
      kind: 'priceObservation',
      locator: `${locator}:${priceKind}`,
      marketplace: record.marketplace,
      externalId: record.externalId,
      observedAt: context.observedAt,
      priceKind,
      price: price.own,
      source: context.source,
    });
  };
  observe('LIST', item.price);
  observe('ORIGINAL', isObject(item.marketingPrice) ? item.marketingPrice.originalPrice : undefined);
  observe('BID', item.currentBidPrice);
}

function addSoldItem(item: Json, locator: string, context: Context, out: Accumulator): void {
  const record = listing(item, locator, context, false, 'lastSoldPrice');
  if (isReject(record)) {
    out.rejects.push(record);
    return;
  }
  const quantity = item.totalSoldQuantity;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
    out.rejects.push({
      locator,
      code: 'EBAY_SALE_BAD_QUANTITY',
      reason: `item ${record.externalId} has totalSoldQuantity ${JSON.stringify(quantity)}, expected an integer >= 0`,
      record: item,
    });
    return;
  }
  // What it sold for is not an asking price: the listing keeps its stored one.
  const lastSoldPrice = record.price ?? null;
  delete record.price;
  delete record.convertedPrice;
  out.records.push(record, {
    kind: 'soldSnapshot',
    locator: `${locator}:sold`,
    marketplace: record.marketplace,
    externalId: record.externalId,
    observedAt: context.observedAt,
    totalSoldQuantity: quantity,
    lastSoldAt: isoDate(item.lastSoldDate) ?? null,
    lastSoldPrice,
    windowDays: context.windowDays,
  });
}
