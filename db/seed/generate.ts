/**
 * Deterministic demo data: marketplaces, category trees, listings with images and three years
 * of sales. Pure: same `{ size, seed, now }` => identical output, no I/O, no clock reads.
 * Products are streamed one at a time (`products()`), so the large size never holds more than
 * one chunk in memory; `chunked()` groups the stream for bulk inserts.
 */
import { currencyExponent } from '../../lib/money';
import { gs1CheckDigit } from '../../lib/reference';
import {
  type Condition,
  CONDITION_PRICE_FACTOR,
  CONDITION_TITLE_SUFFIX,
  type CurrencyCode,
  DEMO_MARKETPLACES,
  type LeafSpec,
  type MarketplaceSpec,
  type RootSpec,
  TAXONOMY,
  type Token,
  TYPICAL_PER_USD,
} from './catalog';
import { hashString, Random, type Weighted, zipfTable, type ZipfTable } from './random';

export type SeedSize = 'small' | 'default' | 'large';
export type ProductStatus = 'ACTIVE' | 'ENDED' | 'SOLD';
export type SaleGranularity = 'TRANSACTION' | 'AGGREGATE_DERIVED';
export type { Condition } from './catalog';

export type GenerateOptions = {
  size: SeedSize;
  /** Any safe integer; equal seeds give equal data. */
  seed: number;
  /** End of the simulated three years; nothing is dated after it. */
  now: Date;
};

export type DemoMarketplace = { code: string; name: string; defaultCurrency: string };

export type DemoCategory = {
  /** Position in `DemoData.categories`; parents always come before their children. */
  index: number;
  marketplaceCode: string;
  externalId: string;
  name: string;
  depth: 0 | 1 | 2;
  parentIndex: number | null;
};

export type DemoImage = {
  url: string;
  width: number | null;
  height: number | null;
  position: number;
  contentHash: string | null;
};

export type DemoSale = {
  /** Unique per product: `demo:<product externalId>:<n>`, n counting sales in time order. */
  sourceKey: string;
  soldAt: Date;
  unitPriceMinor: number;
  currency: string;
  quantity: number;
  shippingMinor: number | null;
  granularity: SaleGranularity;
};

export type DemoProduct = {
  marketplaceCode: string;
  /** Index into `DemoData.categories`; always a leaf (depth 2) of the same marketplace. */
  categoryIndex: number;
  externalId: string;
  title: string;
  brand: string | null;
  gtin: string | null;
  mpn: string | null;
  epid: string | null;
  condition: Condition;
  conditionRaw: string | null;
  url: string;
  status: ProductStatus;
  priceMinor: number;
  currency: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  images: DemoImage[];
  /** Units left as eBay's getItem estimates them; null on marketplaces that do not say. */
  availableQuantity: number | null;
  /** Sorted by `soldAt`; all within [firstSeenAt, lastSeenAt]. */
  sales: DemoSale[];
};

export type DemoData = {
  marketplaces: DemoMarketplace[];
  categories: DemoCategory[];
  /** How many products `products()` yields. */
  productCount: number;
  /** A fresh stream on every call (restarts the same random sequence). */
  products(): Generator<DemoProduct, void, undefined>;
};

type SizeProfile = {
  products: number;
  /** Share of listings that never sell. */
  zeroSalesShare: number;
  /** Zipf exponent of the sales count of listings that sell at least once. */
  zipfExponent: number;
  /** Upper bound of sales per listing. */
  maxSales: number;
};

/** The seed used when none is given: the demo dataset everybody sees is the same. */
export const DEMO_SEED = 20261122;

/** Tuned so small ~5k sales, default ~90k, large ~2.4M (see load.ts for timings). */
const SIZE_PROFILES: Readonly<Record<SeedSize, SizeProfile>> = {
  small: { products: 200, zeroSalesShare: 0.4, zipfExponent: 1.3, maxSales: 1_000 },
  default: { products: 4_000, zeroSalesShare: 0.42, zipfExponent: 1.5, maxSales: 2_500 },
  large: { products: 100_000, zeroSalesShare: 0.4, zipfExponent: 1.55, maxSales: 5_000 },
};

const DAY = 86_400;
const YEAR = 365.25 * DAY;
/** Relative sales rate per calendar month (Jan..Dec): a holiday peak in Nov/Dec. */
const MONTH_WEIGHT = [0.9, 0.85, 0.9, 0.9, 0.95, 0.95, 0.95, 1, 1, 1.1, 1.6, 1.8] as const;
/** Listings above this USD price sell at most `EXPENSIVE_MAX_SALES` times. */
const EXPENSIVE_USD = 1_500;
const EXPENSIVE_MAX_SALES = 40;

type LeafRef = { categoryIndex: number; leaf: LeafSpec; root: RootSpec };

type Context = {
  profile: SizeProfile;
  seed: number;
  nowSec: number;
  startSec: number;
  /** Start (epoch seconds) of every calendar month overlapping [startSec, nowSec], plus its weight. */
  months: { start: number; weight: number }[];
  leavesByMarketplace: Map<string, Weighted<LeafRef>[]>;
  zipf: ZipfTable;
};

/**
 * Builds the demo dataset description. Cheap: marketplaces and categories are computed
 * eagerly (a few hundred rows); products are generated lazily by `products()`.
 * @example
 *   const data = generateDemoData({ size: 'small', seed: DEMO_SEED, now: new Date('2026-01-01') });
 *   for (const product of data.products()) console.log(product.title, product.sales.length);
 */
export function generateDemoData(options: GenerateOptions): DemoData {
  const { size, seed, now } = options;
  const profile = SIZE_PROFILES[size];
  if (!profile) throw new RangeError(`unknown seed size "${String(size)}"`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('now must be a valid Date');

  const nowSec = Math.floor(nowMs / 1000);
  const start = new Date(nowSec * 1000);
  start.setUTCFullYear(start.getUTCFullYear() - 3);
  const startSec = Math.floor(start.getTime() / 1000);

  const categories: DemoCategory[] = [];
  const leavesByMarketplace = new Map<string, Weighted<LeafRef>[]>();
  const categoryRng = new Random(deriveSeed(seed, 'categories'));
  for (const marketplace of DEMO_MARKETPLACES) {
    leavesByMarketplace.set(marketplace.code, buildCategoryTree(marketplace, categoryRng, categories));
  }

  const context: Context = {
    profile,
    seed,
    nowSec,
    startSec,
    months: monthTable(startSec, nowSec),
    leavesByMarketplace,
    zipf: zipfTable(profile.maxSales, profile.zipfExponent),
  };

  return {
    marketplaces: DEMO_MARKETPLACES.map((m) => ({ code: m.code, name: m.name, defaultCurrency: m.currency })),
    categories,
    productCount: profile.products,
    products: () => productStream(context),
  };
}

/** Groups a stream into arrays of `size` (the last one may be shorter). */
export function* chunked<T>(items: Iterable<T>, size: number): Generator<T[], void, undefined> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be >= 1, got ${size}`);
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function deriveSeed(seed: number, label: string): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
  return (hashString(`${label}:${low}:${high}`) ^ Math.imul(low, 0x9e3779b1)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Categories

/** Appends one marketplace's tree to `out` (parents first) and returns its leaves, weighted. */
function buildCategoryTree(marketplace: MarketplaceSpec, rng: Random, out: DemoCategory[]): Weighted<LeafRef>[] {
  const used = new Set<string>();
  const nextExternalId = (): string => {
    for (;;) {
      const id = String(categoryExternalId(marketplace, rng));
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  const add = (name: string, depth: 0 | 1 | 2, parentIndex: number | null): number => {
    const index = out.length;
    out.push({ index, marketplaceCode: marketplace.code, externalId: nextExternalId(), name, depth, parentIndex });
    return index;
  };

  const leaves: Weighted<LeafRef>[] = [];
  for (const root of TAXONOMY) {
    if (marketplace.kind === 'etsy' && !root.onEtsy) continue;
    const rootIndex = add(root.name, 0, null);
    for (const mid of root.mids) {
      const midIndex = add(mid.name, 1, rootIndex);
      for (const leaf of mid.leaves) {
        leaves.push({ value: { categoryIndex: add(leaf.name, 2, midIndex), leaf, root }, weight: leaf.weight });
      }
    }
  }
  return leaves;
}

/** eBay category ids are 3-6 digits, Amazon browse nodes 10 digits, Etsy taxonomy ids 1-4 digits. */
function categoryExternalId(marketplace: MarketplaceSpec, rng: Random): number {
  switch (marketplace.kind) {
    case 'ebay':
      return rng.int(200, 189_999);
    case 'amazon':
      return rng.int(1_000_000_000, 3_999_999_999);
    case 'etsy':
      return rng.int(1, 6_999);
  }
}

// ---------------------------------------------------------------------------------------------
// Products

function monthTable(startSec: number, nowSec: number): { start: number; weight: number }[] {
  const months: { start: number; weight: number }[] = [];
  const cursor = new Date(startSec * 1000);
  cursor.setUTCDate(1);
  cursor.setUTCHours(0, 0, 0, 0);
  while (cursor.getTime() / 1000 <= nowSec) {
    months.push({ start: cursor.getTime() / 1000, weight: MONTH_WEIGHT[cursor.getUTCMonth()] ?? 1 });
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

function* productStream(context: Context): Generator<DemoProduct, void, undefined> {
  const rng = new Random(deriveSeed(context.seed, 'products'));
  const marketplaceWeights = DEMO_MARKETPLACES.map((m) => ({ value: m, weight: m.weight }));
  const sequences = new Map<string, number>();
  // Per-marketplace offsets make the external ids of different seeds differ.
  const idOffsets = new Map(DEMO_MARKETPLACES.map((m) => [m.code, rng.nextUint32() * 1_000 + rng.int(0, 999)]));

  for (let i = 0; i < context.profile.products; i += 1) {
    const marketplace = rng.weighted(marketplaceWeights);
    const sequence = sequences.get(marketplace.code) ?? 0;
    sequences.set(marketplace.code, sequence + 1);
    const externalId = productExternalId(marketplace.kind, sequence, idOffsets.get(marketplace.code) ?? 0);
    yield makeProduct(context, rng, marketplace, externalId);
  }
}

/**
 * Unique per marketplace: an affine bijection of the sequence number modulo the id space
 * (multiplier coprime to the modulus), so ids look random but never collide.
 */
function productExternalId(kind: MarketplaceSpec['kind'], sequence: number, offset: number): string {
  switch (kind) {
    case 'ebay':
      // 12 digits, like 394857362514.
      return String(100_000_000_000n + scramble(sequence, offset, 592_346_107_517n, 900_000_000_000n));
    case 'amazon':
      // ASIN: "B0" + 8 base-36 characters.
      return `B0${scramble(sequence, offset, 1_853_020_188_851n, 36n ** 8n)
        .toString(36)
        .toUpperCase()
        .padStart(8, '0')}`;
    case 'etsy':
      // 10 digits, like 1234567890.
      return String(1_000_000_000n + scramble(sequence, offset, 5_920_349_731n, 9_000_000_000n));
  }
}

/** (sequence * multiplier + offset) mod space: a bijection when multiplier and space are coprime. */
function scramble(sequence: number, offset: number, multiplier: bigint, space: bigint): bigint {
  return (BigInt(sequence) * multiplier + BigInt(offset)) % space;
}

function makeProduct(context: Context, rng: Random, marketplace: MarketplaceSpec, externalId: string): DemoProduct {
  const leafRef = rng.weighted(context.leavesByMarketplace.get(marketplace.code) ?? []);
  const { leaf, root } = leafRef;
  const brand = rng.weighted(leaf.brands.map((b) => ({ value: b, weight: b.weight * brandBias(marketplace, b.name) })));
  const model = rng.pick(brand.models);
  const attributes = leaf.attributes.map((options) => rng.pick(options));
  const condition = rng.weighted(
    Object.entries(marketplace.conditionWeights).map(([value, weight]) => ({
      value: value as Condition,
      weight: root.technical || !TECHNICAL_CONDITIONS.has(value) ? weight : 0,
    })),
  );
  const conditionRaw = rng.pick(marketplace.conditionWording[condition] ?? [null]);

  const title = listingTitle(rng, marketplace, brand.name, model, attributes, condition);
  const variantKey = [brand.name ?? '', model.text, ...attributes.map((a) => a.text)].join('|');
  const gtin = leaf.hasGtin && brand.name !== null && rng.chance(0.86) ? gtinFor(brand.name, variantKey) : null;
  const mpn = brand.name !== null && rng.chance(0.7) ? mpnFor(brand.name, variantKey) : null;
  const epid = marketplace.kind === 'ebay' && gtin !== null && rng.chance(0.5) ? epidFor(gtin) : null;

  const currency = marketplace.currency;
  const baseUsd =
    leaf.priceUsd *
    model.factor *
    attributes.reduce((product, a) => product * a.factor, 1) *
    CONDITION_PRICE_FACTOR[condition] *
    rng.logNormal(0, 0.2);

  let salesCount = rng.chance(context.profile.zeroSalesShare) ? 0 : rng.zipf(context.zipf);
  if (baseUsd > EXPENSIVE_USD) salesCount = Math.min(salesCount, EXPENSIVE_MAX_SALES);

  const span = context.nowSec - context.startSec;
  // Best sellers have been listed for long: at most ~2.5 sales a day on average.
  const minAge = Math.min(span, Math.ceil(salesCount * 0.4) * DAY);
  const age = Math.max(rng.int(DAY, span), minAge);
  const firstSeenSec = context.nowSec - age;
  const status = listingStatus(rng, marketplace, condition, salesCount);
  const windowEnd = listingEnd(rng, context.nowSec, firstSeenSec, status, salesCount);

  // Sale times use rejection sampling whose draw count depends on `now`; a per-listing stream
  // keeps the main stream (ids, titles, sales counts) identical for any `now`.
  const detailRng = new Random(rng.nextUint32());
  const pricing: Pricing = {
    baseUsd,
    drift: root.drift,
    nowSec: context.nowSec,
    currency,
    auction: marketplace.kind === 'ebay' && rng.chance(0.3),
    aggregate: marketplace.kind === 'ebay' && salesCount >= 10 && rng.chance(0.25),
    shipping: shippingPolicy(rng, marketplace, baseUsd),
  };
  const sales = makeSales(context, detailRng, externalId, salesCount, firstSeenSec, windowEnd, pricing);
  const lastSale = sales[sales.length - 1];
  const lastSeenSec = status === 'SOLD' && lastSale ? Math.floor(lastSale.soldAt.getTime() / 1000) : windowEnd;

  return {
    marketplaceCode: marketplace.code,
    categoryIndex: leafRef.categoryIndex,
    externalId,
    title,
    brand: brand.name,
    gtin,
    mpn,
    epid,
    condition,
    conditionRaw,
    url: `${marketplace.listingUrlPrefix}${externalId}`,
    status,
    priceMinor: fixedPriceMinor(usdAt(pricing, lastSeenSec) * rng.logNormal(0.02, 0.05), currency),
    currency,
    firstSeenAt: new Date(firstSeenSec * 1000),
    lastSeenAt: new Date(lastSeenSec * 1000),
    images: makeImages(detailRng, marketplace, externalId, epid),
    // Drawn last from the listing's own stream, so every other value stays as it was.
    availableQuantity: availableQuantity(detailRng, marketplace, status),
    sales,
  };
}

/** A few units left while an eBay listing is active, none once it sold out or ended. */
function availableQuantity(rng: Random, marketplace: MarketplaceSpec, status: ProductStatus): number | null {
  if (marketplace.kind !== 'ebay') return null;
  return status === 'ACTIVE' ? rng.int(0, 12) : 0;
}

/** Etsy is mostly unbranded handmade goods; Amazon mostly branded catalog items. */
function brandBias(marketplace: MarketplaceSpec, brand: string | null): number {
  if (brand !== null) return 1;
  if (marketplace.kind === 'etsy') return 6;
  if (marketplace.kind === 'amazon') return 0.2;
  return 1;
}

function listingTitle(
  rng: Random,
  marketplace: MarketplaceSpec,
  brand: string | null,
  model: Token,
  attributes: readonly Token[],
  condition: Condition,
): string {
  const words = [brand, model.text, ...attributes.map((a) => a.text)].filter((w): w is string => !!w);
  const base = words.join(' ');
  switch (marketplace.kind) {
    case 'amazon':
      return base;
    case 'etsy':
      return base + rng.pick(['', '', ' - Gift for Her', ' - Gift for Him', ' | Handmade']);
    case 'ebay':
      return base + rng.pick(CONDITION_TITLE_SUFFIX[condition]);
  }
}

/** Same brand+variant => same GTIN on every marketplace, like a real barcode. */
function gtinFor(brand: string, variantKey: string): string {
  const company = 100_000 + (hashString(`brand:${brand}`) % 900_000);
  const item = hashString(`item:${variantKey}`) % 100_000;
  const body = `00${company}${String(item).padStart(5, '0')}`;
  return body + String(gs1CheckDigit(body));
}

function mpnFor(brand: string, variantKey: string): string {
  const initials = brand
    .replace(/[^A-Za-z0-9 ]/g, '')
    .split(' ')
    .map((w) => w.charAt(0))
    .join('')
    .toUpperCase();
  const code = hashString(`mpn:${variantKey}`).toString(36).toUpperCase().padStart(7, '0');
  return `${initials.slice(0, 3)}-${code}`;
}

/** eBay catalog product ids: one per GTIN, 11 digits. */
function epidFor(gtin: string): string {
  return String(10_000_000_000 + ((hashString(`epid:${gtin}`) * 7) % 90_000_000_000));
}

function listingStatus(rng: Random, marketplace: MarketplaceSpec, condition: Condition, sales: number): ProductStatus {
  if (marketplace.kind === 'amazon') return rng.chance(0.88) ? 'ACTIVE' : 'ENDED';
  if (sales === 0) return rng.chance(0.45) ? 'ACTIVE' : 'ENDED';
  // A used one-off that sold once is gone: the typical eBay single-item listing.
  if (sales === 1 && condition !== 'NEW') return rng.chance(0.8) ? 'SOLD' : 'ENDED';
  return rng.weighted<ProductStatus>([
    { value: 'ACTIVE', weight: 60 },
    { value: 'SOLD', weight: 15 },
    { value: 'ENDED', weight: 25 },
  ]);
}

/** Last second the listing was observed (SOLD is later moved to its last sale). */
function listingEnd(rng: Random, nowSec: number, firstSeenSec: number, status: ProductStatus, sales: number): number {
  const age = nowSec - firstSeenSec;
  if (status === 'ACTIVE') return Math.max(firstSeenSec, nowSec - rng.int(0, 36 * 3_600));
  if (sales <= 1) return firstSeenSec + Math.min(age, rng.int(3 * DAY, 30 * DAY));
  return firstSeenSec + Math.floor(age * rng.float(0.4, 1));
}

// ---------------------------------------------------------------------------------------------
// Money

type ShippingPolicy = { kind: 'unknown' } | { kind: 'free' } | { kind: 'flat'; usd: number };

type Pricing = {
  baseUsd: number;
  /** Yearly log price drift of the category family. */
  drift: number;
  nowSec: number;
  currency: CurrencyCode;
  /** eBay auction-style: prices scatter and are not charm-rounded. */
  auction: boolean;
  /** Sales derived from sold-count snapshots: listing price, quantity deltas, no shipping. */
  aggregate: boolean;
  shipping: ShippingPolicy;
};

function usdAt(pricing: Pricing, atSec: number): number {
  return pricing.baseUsd * Math.exp((pricing.drift * (atSec - pricing.nowSec)) / YEAR);
}

function toMinorExact(usd: number, currency: CurrencyCode): number {
  return usd * TYPICAL_PER_USD[currency] * 10 ** currencyExponent(currency);
}

/** A shop price: 129.99 / 14,800 yen style; never negative, at least one minor unit. */
function fixedPriceMinor(usd: number, currency: CurrencyCode): number {
  const value = toMinorExact(usd, currency);
  if (currencyExponent(currency) === 0) {
    return Math.max(1, value >= 1_000 ? Math.round(value / 100) * 100 : Math.round(value / 10) * 10);
  }
  return Math.max(1, value >= 500 ? Math.round(value / 100) * 100 - 1 : Math.round(value));
}

/** An auction result: any cent (or 10-yen step). */
function auctionPriceMinor(usd: number, currency: CurrencyCode): number {
  const value = toMinorExact(usd, currency);
  const step = currencyExponent(currency) === 0 ? 10 : 1;
  return Math.max(step, Math.round(value / step) * step);
}

function shippingPolicy(rng: Random, marketplace: MarketplaceSpec, baseUsd: number): ShippingPolicy {
  const freeShare = marketplace.kind === 'amazon' ? 0.6 : 0.35;
  const roll = rng.next();
  if (roll < 0.2) return { kind: 'unknown' };
  if (roll < 0.2 + freeShare) return { kind: 'free' };
  return { kind: 'flat', usd: Math.min(60, Math.max(3, 4 + baseUsd * 0.01)) * rng.logNormal(0, 0.2) };
}

function shippingMinor(rng: Random, pricing: Pricing): number | null {
  const policy = pricing.shipping;
  if (pricing.aggregate || policy.kind === 'unknown') return null;
  if (policy.kind === 'free') return 0;
  // Most buyers take the default service; some pick a faster, dearer one.
  const usd = rng.chance(0.85) ? policy.usd : policy.usd * rng.logNormal(0.3, 0.2);
  return auctionPriceMinor(usd, pricing.currency);
}

// ---------------------------------------------------------------------------------------------
// Sales and images

function makeSales(
  context: Context,
  rng: Random,
  externalId: string,
  count: number,
  fromSec: number,
  toSec: number,
  pricing: Pricing,
): DemoSale[] {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) times.push(sampleSaleTime(context, rng, fromSec, toSec));
  times.sort((a, b) => a - b);

  return times.map((soldSec, n) => {
    const usd = usdAt(pricing, soldSec);
    let unitPriceMinor: number;
    if (pricing.aggregate) unitPriceMinor = fixedPriceMinor(usd, pricing.currency);
    else if (pricing.auction) unitPriceMinor = auctionPriceMinor(usd * rng.logNormal(-0.05, 0.2), pricing.currency);
    else unitPriceMinor = fixedPriceMinor(usd * rng.logNormal(0, 0.05), pricing.currency);
    return {
      sourceKey: `demo:${externalId}:${n}`,
      soldAt: new Date(soldSec * 1000),
      unitPriceMinor,
      currency: pricing.currency,
      quantity: saleQuantity(rng, pricing.aggregate),
      shippingMinor: shippingMinor(rng, pricing),
      granularity: pricing.aggregate ? 'AGGREGATE_DERIVED' : 'TRANSACTION',
    };
  });
}

function saleQuantity(rng: Random, aggregate: boolean): number {
  const roll = rng.next();
  if (aggregate) return roll < 0.7 ? 1 : rng.int(2, 4);
  if (roll < 0.88) return 1;
  if (roll < 0.95) return 2;
  return rng.int(3, 5);
}

/** Conditions that only make sense for devices (nobody refurbishes a trading card). */
const TECHNICAL_CONDITIONS: ReadonlySet<string> = new Set<Condition>(['OPEN_BOX', 'REFURBISHED', 'FOR_PARTS']);

const MAX_MONTH_WEIGHT = Math.max(...MONTH_WEIGHT);

/**
 * Rejection sampling: uniform in [from, to], kept with probability month weight / max.
 * (Overall volume still grows toward `now` because more listings are live later.)
 */
function sampleSaleTime(context: Context, rng: Random, fromSec: number, toSec: number): number {
  for (;;) {
    const t = fromSec + Math.floor(rng.next() * (toSec - fromSec + 1));
    if (rng.next() * MAX_MONTH_WEIGHT < monthWeight(context, t)) return t;
  }
}

function monthWeight(context: Context, t: number): number {
  const { months } = context;
  let low = 0;
  let high = months.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((months[mid]?.start ?? Infinity) <= t) low = mid;
    else high = mid - 1;
  }
  return months[low]?.weight ?? 1;
}

const IMAGE_SIZES: Readonly<Record<MarketplaceSpec['kind'], readonly (readonly [number, number])[]>> = {
  ebay: [
    [1600, 1600],
    [1600, 1200],
    [1200, 1600],
    [500, 500],
    [800, 600],
    [1280, 960],
  ],
  amazon: [
    [1500, 1500],
    [2000, 2000],
    [1000, 1000],
    [1500, 1125],
  ],
  etsy: [
    [3000, 2250],
    [2250, 3000],
    [1588, 1191],
    [2000, 2000],
  ],
};

function imageCount(rng: Random, kind: MarketplaceSpec['kind']): number {
  switch (kind) {
    case 'ebay':
      // Sellers upload anything from one photo to the maximum of twelve.
      return Math.min(12, 1 + Math.floor(rng.logNormal(1.4, 0.6)));
    case 'amazon':
      return rng.int(5, 9);
    case 'etsy':
      return rng.int(3, 10);
  }
}

function makeImages(rng: Random, marketplace: MarketplaceSpec, externalId: string, epid: string | null): DemoImage[] {
  const count = imageCount(rng, marketplace.kind);
  // eBay's API often omits the pixel size; per listing, not per image.
  const sizeKnown = marketplace.kind !== 'ebay' || rng.chance(0.6);
  const images: DemoImage[] = [];
  for (let position = 0; position < count; position += 1) {
    const size = sizeKnown ? rng.pick(IMAGE_SIZES[marketplace.kind]) : null;
    // A catalog-matched eBay listing shows the catalog's stock photo first: same bytes everywhere.
    const contentHash =
      position === 0 && epid !== null
        ? new Random(hashString(`stock:${epid}`)).hex(64)
        : rng.chance(0.97)
          ? rng.hex(64)
          : null;
    images.push({
      url: `https://images.example.com/${marketplace.code}/${externalId}/${position}.jpg`,
      width: size ? size[0] : null,
      height: size ? size[1] : null,
      position,
      contentHash,
    });
  }
  return images;
}
