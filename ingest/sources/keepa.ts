/**
 * Keepa (Amazon price and sales-rank history): `GET /product?key&domain&asin=<up to 100>`.
 * Every response reports the token budget (`tokensLeft`, `refillIn` ms, `refillRate` per
 * minute); the source reads it, never sends a request the budget cannot pay for (it waits
 * for the refill instead, or fails clearly when the wait is too long) and on 429 waits
 * `refillIn` before retrying.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Clock, systemClock } from '../http/clock';
import { SourceRequestError } from '../http/errors';
import { createRateLimiter, type RateLimiter } from '../http/rate-limiter';
import {
  type SourceHttpEnv,
  type SourceHttpSettings,
  sourceHttpClient,
  sourceHttpSettingsFromEnv,
} from '../http/source-http';
import { parseSourceOptions } from './source-options';
import type {
  FetchContext,
  IngestRecord,
  ListingRecord,
  ParsedPayload,
  PriceObservationRecord,
  RateLimits,
  RawPayload,
  RejectedRecord,
  Source,
} from '../types';

const KEEPA_SOURCE = 'keepa';
const KEEPA_PRODUCT_PATH = '/product';

/** Keepa domain ids: the Amazon site, its currency and the Soldgraph marketplace code. */
const KEEPA_DOMAINS: Readonly<Record<number, { tld: string; currency: string; marketplace: string }>> = {
  1: { tld: 'com', currency: 'USD', marketplace: 'amazon-us' },
  2: { tld: 'co.uk', currency: 'GBP', marketplace: 'amazon-uk' },
  3: { tld: 'de', currency: 'EUR', marketplace: 'amazon-de' },
  4: { tld: 'fr', currency: 'EUR', marketplace: 'amazon-fr' },
  5: { tld: 'co.jp', currency: 'JPY', marketplace: 'amazon-jp' },
  6: { tld: 'ca', currency: 'CAD', marketplace: 'amazon-ca' },
  8: { tld: 'it', currency: 'EUR', marketplace: 'amazon-it' },
  9: { tld: 'es', currency: 'EUR', marketplace: 'amazon-es' },
  10: { tld: 'in', currency: 'INR', marketplace: 'amazon-in' },
  11: { tld: 'com.mx', currency: 'MXN', marketplace: 'amazon-mx' },
  12: { tld: 'com.br', currency: 'BRL', marketplace: 'amazon-br' },
};

/**
 * Which `csv` histories become price observations (Keepa's CsvType indices): 0 AMAZON (Amazon
 * itself as the seller), 1 NEW (lowest new offer, Amazon included), 2 USED, 4 LIST_PRICE and
 * 18 BUY_BOX_SHIPPING, stored as triplets [minute, price, shipping]; the others as pairs
 * [minute, price].
 */
const KEEPA_PRICE_HISTORIES: readonly {
  index: number;
  kind: PriceObservationRecord['priceKind'];
  stride: 2 | 3;
}[] = [
  { index: 0, kind: 'AMAZON', stride: 2 },
  { index: 1, kind: 'NEW_OFFER', stride: 2 },
  { index: 2, kind: 'USED_OFFER', stride: 2 },
  { index: 4, kind: 'LIST', stride: 2 },
  { index: 18, kind: 'BUY_BOX', stride: 3 },
];
/** csv[3]: sales rank history, pairs [minute, rank]; -1 = no rank. */
const KEEPA_SALES_RANK_INDEX = 3;

/**
 * Keepa minutes to ISO time: unix ms = (minute + 21564000) * 60000 (the epoch is 2011-01-01).
 * @example keepaMinuteToIso(411180) // "2011-10-13T13:00:00.000Z"
 */
export function keepaMinuteToIso(minute: number): string {
  return new Date((minute + 21_564_000) * 60_000).toISOString();
}

const asin = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{10}$/, 'an ASIN is 10 letters or digits');
export const keepaOptionsSchema = z.object({
  asins: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(asin).min(1, 'give at least one ASIN')),
  domain: z.coerce
    .number()
    .int()
    .refine((d) => d in KEEPA_DOMAINS, { message: `domain must be one of ${Object.keys(KEEPA_DOMAINS).join(', ')}` })
    .default(1),
  /** ASINs per request, 1..100 (Keepa's maximum); fewer when the token budget is small. */
  batchSize: z.coerce.number().int().min(1).max(100).default(100),
  /** Keepa `update` in hours: data older than this is refreshed (0 = live, costs more). */
  update: z.coerce.number().int().min(0).optional(),
  /** Ask for buy-box data (Keepa `buybox=1`, costs extra tokens): the BUY_BOX history and price. */
  buybox: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((value) => value === true || value === 'true')
    .optional(),
});

export type KeepaOptions = z.input<typeof keepaOptionsSchema>;

export type KeepaConfig = SourceHttpSettings & {
  baseUrl: string;
  apiKey?: string;
  /** Tokens one product costs (1 with the default parameters). */
  tokensPerProduct?: number;
  limits?: RateLimits;
};

export type KeepaEnv = SourceHttpEnv & { KEEPA_BASE_URL: string; KEEPA_API_KEY?: string };

export function keepaConfigFromEnv(env: KeepaEnv, extra: Partial<KeepaConfig> = {}): KeepaConfig {
  return {
    baseUrl: env.KEEPA_BASE_URL,
    apiKey: env.KEEPA_API_KEY,
    ...sourceHttpSettingsFromEnv(env),
    ...extra,
  };
}

/** Keepa meters by tokens, not requests: the bucket only keeps bursts polite. */
const KEEPA_DEFAULT_LIMITS: RateLimits = { requestsPerSecond: 2, burst: 2 };

type Budget = { tokensLeft: number; refillIn: number; refillRate: number; at: number };

function readBudget(body: string, at: number): Budget | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const { tokensLeft, refillIn, refillRate } = json;
    if (typeof tokensLeft === 'number' && typeof refillIn === 'number' && typeof refillRate === 'number') {
      return { tokensLeft, refillIn, refillRate, at };
    }
  } catch {
    // A body without counters (a proxy's error page) leaves the last known budget in place.
  }
  return undefined;
}

function parseKeepaOptions(options: unknown) {
  return parseSourceOptions(KEEPA_SOURCE, keepaOptionsSchema, options);
}

/**
 * The Keepa source.
 * @example
 *   const keepa = createKeepaSource(keepaConfigFromEnv(env));
 *   await runIngest({ db }, keepa, { asins: 'B07N4M94X4,B0C1234567', domain: 1 });
 */
export function createKeepaSource(config: KeepaConfig): Source<KeepaOptions> {
  const clock: Clock = config.clock ?? systemClock;
  const perProduct = config.tokensPerProduct ?? 1;
  const maxWaitMs = config.maxRetryAfterMs ?? 300_000;
  const limits = config.limits ?? KEEPA_DEFAULT_LIMITS;
  let ownLimiter: RateLimiter | undefined;
  // The budget outlives a run: the next run starts from what the last response said.
  let budget: Budget | undefined;

  /** Waits until the budget can pay `cost` tokens, or fails when that would take too long. */
  async function payable(cost: number, context: FetchContext): Promise<void> {
    if (!budget || budget.tokensLeft >= cost) return;
    const needed = cost - budget.tokensLeft;
    if (budget.refillRate <= 0) {
      throw new SourceRequestError(
        'SOURCE_BUDGET_EXHAUSTED',
        `keepa: ${budget.tokensLeft} tokens left, ${cost} needed, and the plan refills none`,
      );
    }
    const firstRefill = Math.max(0, budget.refillIn - (clock.now() - budget.at));
    const refills = Math.ceil(needed / budget.refillRate);
    const waitMs = firstRefill + (refills - 1) * 60_000;
    if (waitMs > maxWaitMs) {
      throw new SourceRequestError(
        'SOURCE_BUDGET_EXHAUSTED',
        `keepa: ${budget.tokensLeft} tokens left, ${cost} needed; the refill of ${budget.refillRate}/min takes ${Math.ceil(waitMs / 1000)} s, longer than the ${Math.ceil(maxWaitMs / 1000)} s allowed`,
        { retryAt: clock.now() + waitMs },
      );
    }
    context.warn(
      `keepa: waiting ${Math.ceil(waitMs / 1000)} s for tokens (${budget.tokensLeft} left, ${cost} needed)`,
      'KEEPA_TOKENS_WAIT',
    );
    await clock.sleep(waitMs, context.signal);
    budget = {
      ...budget,
      tokensLeft: budget.tokensLeft + refills * budget.refillRate,
      refillIn: 60_000,
      at: clock.now(),
    };
  }

  return {
    name: KEEPA_SOURCE,
    limits,
    scope(rawOptions) {
      const options = parseKeepaOptions(rawOptions);
      const asins = [...new Set(options.asins)].sort();
      const list =
        asins.length <= 5
          ? asins.join(',')
          : `${asins.length}:${createHash('sha256').update(asins.join(',')).digest('hex').slice(0, 12)}`;
      return `keepa:${options.domain}:${list}`;
    },
    async *fetch(rawOptions, context): AsyncIterable<RawPayload> {
      const options = parseKeepaOptions(rawOptions);
      const apiKey = config.apiKey;
      if (!apiKey) throw new SourceRequestError('SOURCE_CONFIG', 'keepa needs KEEPA_API_KEY');
      const credential = createHash('sha256').update(apiKey).digest('hex').slice(0, 12);
      const http = sourceHttpClient(
        KEEPA_SOURCE,
        `keepa:${credential}`,
        limits,
        { ...config, clock },
        {
          onResponse: (response) => {
            budget = readBudget(response.body, clock.now()) ?? budget;
          },
          // Keepa answers 429 NOT_ENOUGH_TOKEN with refillIn: the wait until tokens arrive.
          retryHint: (response) =>
            response.status === 429 ? readBudget(response.body, clock.now())?.refillIn : undefined,
        },
        config.limiter ?? (ownLimiter ??= createRateLimiter({ clock })),
      );

      if (!budget) {
        // The token status call is free and tells what the first batch may cost.
        const url = new URL('/token', config.baseUrl);
        url.searchParams.set('key', apiKey);
        await http.request({ url, json: true, signal: context.signal, warn: context.warn });
      }

      const queue = [...new Set(options.asins)];
      context.expect?.(queue.length);
      while (queue.length > 0) {
        // Never more than the budget can ever hold (tokens expire after an hour).
        const capacity = budget
          ? Math.max(1, Math.floor(Math.max(budget.tokensLeft, budget.refillRate * 60) / perProduct))
          : options.batchSize;
        const batch = queue.splice(0, Math.min(options.batchSize, capacity));
        const params: Record<string, string> = { domain: String(options.domain), asin: batch.join(',') };
        if (options.update !== undefined) params.update = String(options.update);
        if (options.buybox) params.buybox = '1';
        const url = new URL(KEEPA_PRODUCT_PATH, config.baseUrl);
        url.searchParams.set('key', apiKey);
        for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
        await payable(batch.length * perProduct, context);
        const fetchedAt = new Date(clock.now()).toISOString();
        const response = await http.request({ url, json: true, signal: context.signal, warn: context.warn });
        yield {
          endpoint: KEEPA_PRODUCT_PATH,
          request: { domain: options.domain, fetchedAt, params },
          status: response.status,
          contentType: response.contentType,
          body: response.body,
        };
      }
    },
    parse: parseKeepaPayload,
  };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * Parses a Keepa `/product` response into listings, price observations and sales ranks.
 * Pure: the fetch time comes from `payload.request.fetchedAt`.
 */
export function parseKeepaPayload(payload: RawPayload): ParsedPayload {
  const records: IngestRecord[] = [];
  const rejects: RejectedRecord[] = [];
  const requestDomain = Number(payload.request.domain);
  const fetchedAt = typeof payload.request.fetchedAt === 'string' ? payload.request.fetchedAt : undefined;
  let body: unknown;
  try {
    body = JSON.parse(payload.body);
  } catch (error) {
    return {
      records,
      rejects: [
        {
          locator: payload.endpoint,
          code: 'KEEPA_MALFORMED_JSON',
          reason: `the payload is not JSON (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
    };
  }
  if (!isObject(body) || !Array.isArray(body.products)) {
    const message = isObject(body) && isObject(body.error) ? ` (${String(body.error.message ?? body.error.type)})` : '';
    return {
      records,
      rejects: [
        {
          locator: payload.endpoint,
          code: 'KEEPA_PAYLOAD_SHAPE',
          reason: `the response has no products array${message}`,
        },
      ],
    };
  }
  const observedAt =
    fetchedAt ?? (typeof body.timestamp === 'number' ? new Date(body.timestamp).toISOString() : undefined);
  body.products.forEach((product, index) => {
    const locator = `${payload.endpoint}#products[${index}]`;
    if (!isObject(product)) {
      rejects.push({
        locator,
        code: 'KEEPA_PRODUCT_NOT_OBJECT',
        reason: `products[${index}] is not an object`,
        record: product,
      });
      return;
    }
    const externalId = text(product.asin);
    if (!externalId) {
      rejects.push({
        locator,
        code: 'KEEPA_PRODUCT_NO_ASIN',
        reason: `products[${index}] has no asin`,
        record: product,
      });
      return;
    }
    const here = `${locator}:${externalId}`;
    const domainId = typeof product.domainId === 'number' ? product.domainId : requestDomain;
    const domain = KEEPA_DOMAINS[domainId];
    if (!domain) {
      rejects.push({
        locator: here,
        code: 'KEEPA_UNKNOWN_DOMAIN',
        reason: `domain ${domainId} is not a known Amazon site`,
        record: product,
      });
      return;
    }
    const title = text(product.title);
    if (!title || !observedAt) {
      // Keepa answers unknown ASINs with an empty product rather than an error.
      rejects.push({
        locator: here,
        code: 'KEEPA_PRODUCT_UNKNOWN',
        reason: `Keepa has no data for ${externalId} (no title)`,
        record: { asin: externalId },
      });
      return;
    }
    const key = { marketplace: domain.marketplace, externalId };
    const csv = Array.isArray(product.csv) ? product.csv : [];
    const listing: ListingRecord = {
      kind: 'listing',
      locator: here,
      ...key,
      title,
      brand: text(product.brand) ?? text(product.manufacturer) ?? null,
      mpn: text(product.partNumber) ?? text(product.model) ?? null,
      gtin: firstText(product.eanList) ?? firstText(product.upcList) ?? null,
      url: `https://www.amazon.${domain.tld}/dp/${externalId}`,
      images: keepaImages(product),
      // Only a response that carries the image fields states the gallery.
      galleryComplete: Array.isArray(product.images) || typeof product.imagesCSV === 'string',
      observedAt,
    };
    if (typeof product.monthlySold === 'number' && product.monthlySold >= 0) listing.monthlySold = product.monthlySold;
    if (typeof product.lastUpdate === 'number' && product.lastUpdate > 0) {
      listing.sourceUpdatedAt = keepaMinuteToIso(product.lastUpdate);
    }
    const category = keepaCategory(product.categoryTree);
    if (category) listing.category = category;
    const current = currentPrice(csv);
    if (current === null) listing.noCurrentPrice = true;
    else if (current !== undefined) listing.price = { minor: current, currency: domain.currency };
    records.push(listing);

    for (const history of KEEPA_PRICE_HISTORIES) {
      points(csv[history.index], history.stride, (minute, value) => {
        const at = keepaMinuteToIso(minute);
        records.push({
          kind: 'priceObservation',
          locator: `${here}:csv[${history.index}]@${minute}`,
          ...key,
          observedAt: at,
          priceKind: history.kind,
          price: { minor: value, currency: domain.currency },
          source: KEEPA_SOURCE,
        });
      });
    }
    points(csv[KEEPA_SALES_RANK_INDEX], 2, (minute, rank) => {
      records.push({
        kind: 'salesRank',
        locator: `${here}:csv[3]@${minute}`,
        ...key,
        observedAt: keepaMinuteToIso(minute),
        rank,
      });
    });
  });
  return { records, rejects };
}

function firstText(list: unknown): string | undefined {
  return Array.isArray(list) ? list.map((v) => (typeof v === 'number' ? String(v) : text(v))).find(Boolean) : undefined;
}

/** Visits [minute, value(, shipping)] points, skipping -1 (no offer / no rank) and anything not an integer. */
function points(series: unknown, stride: 2 | 3, visit: (minute: number, value: number) => void): void {
  if (!Array.isArray(series)) return;
  for (let i = 0; i + stride <= series.length; i += stride) {
    const minute = series[i];
    const value = series[i + 1];
    if (Number.isInteger(minute) && Number.isInteger(value) && (value as number) >= 0)
      visit(minute as number, value as number);
  }
}

/**
 * The latest buy-box price, else the latest new offer. Null when neither has one because the
 * series end in -1 (no buy box, no new offer: out of stock); undefined when the product has
 * neither series, so Keepa said nothing about the price.
 */
function currentPrice(csv: unknown[]): number | null | undefined {
  let outOfStock = false;
  for (const { index, stride } of [
    { index: 18, stride: 3 },
    { index: 1, stride: 2 },
  ]) {
    const series = csv[index];
    if (!Array.isArray(series) || series.length < stride) continue;
    const last = series[series.length - stride + 1];
    if (Number.isInteger(last) && (last as number) >= 0) return last as number;
    if (last === -1) outOfStock = true;
  }
  return outOfStock ? null : undefined;
}

function keepaImages(product: Json): NonNullable<ListingRecord['images']> {
  const base = 'https://m.media-amazon.com/images/I/';
  if (Array.isArray(product.images) && product.images.length > 0) {
    return product.images.flatMap((image) => {
      if (!isObject(image)) return [];
      const file = text(image.l) ?? text(image.m);
      if (!file) return [];
      const large = text(image.l) !== undefined;
      const width = large ? image.lW : image.mW;
      const height = large ? image.lH : image.mH;
      return [
        {
          url: base + file,
          width: typeof width === 'number' ? width : null,
          height: typeof height === 'number' ? height : null,
        },
      ];
    });
  }
  const csv = text(product.imagesCSV);
  return csv
    ? csv
        .split(',')
        .filter(Boolean)
        .map((file) => ({ url: base + file.trim() }))
    : [];
}

function keepaCategory(tree: unknown): ListingRecord['category'] {
  if (!Array.isArray(tree) || tree.length === 0) return null;
  const path: { externalId: string; name: string }[] = [];
  for (const node of tree) {
    if (!isObject(node) || typeof node.catId !== 'number' || !text(node.name)) return null;
    path.push({ externalId: String(node.catId), name: String(node.name) });
  }
  return { path };
}
