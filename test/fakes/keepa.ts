/**
 * A local fake of Keepa's `/product` and `/token` endpoints with a token bucket like the
 * real one: each product costs one token, `refillRate` tokens arrive every minute of the
 * fake's clock, every response reports `tokensLeft`, `refillIn`, `refillRate`, and a request
 * the bucket cannot pay for gets 429. Share the clock with the source under test so waits
 * move the fake's time too.
 * @example
 *   const keepa = await startFakeKeepa({ products: [fakeKeepaProduct('B000000001')], tokens: 5 });
 *   // KEEPA_BASE_URL=keepa.url, KEEPA_API_KEY=FAKE_KEEPA_KEY
 */
import { type Fault, faultReply, FaultQueue, startJsonServer } from './server';

export const FAKE_KEEPA_KEY = 'fake-keepa-key';

export type FakeKeepaTarget = 'product' | 'token';

export type FakeKeepa = {
  url: string;
  inject(target: FakeKeepaTarget, ...faults: Fault[]): void;
  readonly requests: Record<FakeKeepaTarget, number>;
  /** ASIN lists of the /product requests that were served (not refused). */
  readonly served: string[][];
  readonly tokensLeft: number;
  /** Adds a product, or replaces the one with its ASIN: Keepa's data as it moved on between runs. */
  setProduct(product: Record<string, unknown>): void;
  close(): Promise<void>;
};

export type FakeKeepaOptions = {
  products?: Record<string, unknown>[];
  /** Tokens in the bucket at start. */
  tokens?: number;
  /** Most tokens the bucket holds; Keepa's expire after an hour, so refillRate * 60 by default. */
  maxTokens?: number;
  refillRate?: number;
  now?: () => number;
};

/** Keepa minutes for an ISO time: (unix ms / 60000) - 21564000. */
export function keepaMinute(iso: string): number {
  return Math.floor(Date.parse(iso) / 60_000) - 21_564_000;
}

/**
 * A product object with price history (AMAZON, NEW, USED with -1 gaps, BUY_BOX triplets),
 * sales-rank history, images and identifiers, as Keepa's product request returns it.
 */
export function fakeKeepaProduct(
  asin: string,
  options: { domainId?: number; start?: string } = {},
): Record<string, unknown> {
  const t0 = keepaMinute(options.start ?? '2026-01-01T00:00:00Z');
  return {
    asin,
    domainId: options.domainId ?? 1,
    title: `Fake speaker ${asin}`,
    brand: 'Fakesound',
    manufacturer: 'Fakesound Inc.',
    model: `FS-${asin.slice(-4)}`,
    partNumber: `PN-${asin.slice(-4)}`,
    eanList: ['0885909950805'],
    upcList: ['885909950805'],
    images: [
      { l: `${asin}L.jpg`, lH: 1500, lW: 1500, m: `${asin}M.jpg`, mH: 500, mW: 500 },
      { l: `${asin}L2.jpg`, lH: 1200, lW: 1600, m: `${asin}M2.jpg`, mH: 375, mW: 500 },
    ],
    categoryTree: [
      { catId: 172282, name: 'Electronics' },
      { catId: 12097479011, name: 'Portable Bluetooth Speakers' },
    ],
    rootCategory: 172282,
    trackingSince: t0,
    lastUpdate: t0 + 3 * 1440,
    csv: [
      [t0, 4999, t0 + 1440, 4499],
      [t0, 4899, t0 + 1440, -1, t0 + 2880, 4599],
      [t0, 3500],
      [t0, 15234, t0 + 1440, 14001, t0 + 2880, -1],
      [t0, 5999],
      ...Array.from({ length: 13 }, () => null),
      [t0, 4999, 0, t0 + 2880, 4599, 499],
    ],
    salesRanks: { '172282': [t0, 15234, t0 + 1440, 14001] },
    salesRankReference: 172282,
    monthlySold: 300,
  };
}

/**
 * The product as Keepa answers it later: its NEW (csv[1], pairs) and BUY_BOX_SHIPPING
 * (csv[18], triplets) histories extended by a point at `at`, and `lastUpdate` moved there.
 * A price of -1 is Keepa's "no offer": no new offer and no buy box, the product is out of stock.
 * @example keepaOffersAt(fakeKeepaProduct('B000000001'), '2026-01-06T00:00:00Z', -1)
 */
export function keepaOffersAt(product: Record<string, unknown>, at: string, price: number): Record<string, unknown> {
  const minute = keepaMinute(at);
  const csv = [...(product.csv as (number[] | null)[])];
  csv[1] = [...(csv[1] ?? []), minute, price];
  csv[18] = [...(csv[18] ?? []), minute, price, price < 0 ? -1 : 0];
  return { ...product, csv, lastUpdate: minute };
}

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeKeepa(options: FakeKeepaOptions = {}): Promise<FakeKeepa> {
  const now = options.now ?? (() => Date.now());
  const refillRate = options.refillRate ?? 5;
  const capacity = options.maxTokens ?? refillRate * 60;
  const faults = new FaultQueue<FakeKeepaTarget>();
  const requests: Record<FakeKeepaTarget, number> = { product: 0, token: 0 };
  const served: string[][] = [];
  const catalog = new Map((options.products ?? []).map((p) => [String(p.asin), p]));
  let tokens = options.tokens ?? capacity;
  let refilledAt = now();

  function refill() {
    const minutes = Math.floor((now() - refilledAt) / 60_000);
    if (minutes > 0) {
      tokens = Math.min(capacity, tokens + minutes * refillRate);
      refilledAt += minutes * 60_000;
    }
  }
  const counters = (consumed: number) => ({
    timestamp: now(),
    tokensLeft: tokens,
    refillIn: 60_000 - ((now() - refilledAt) % 60_000),
    refillRate,
    tokenFlowReduction: 0,
    tokensConsumed: consumed,
    processingTimeInMs: 1,
  });

  const server = await startJsonServer((request) => {
    const target: FakeKeepaTarget | undefined =
      request.path === '/product' ? 'product' : request.path === '/token' ? 'token' : undefined;
    if (!target)
      return { status: 404, body: { error: { type: 'notFound', message: `no such endpoint ${request.path}` } } };
    requests[target] += 1;
    refill();
    const fault = faults.take(target);
    if (fault?.kind === '429')
      return {
        status: 429,
        body: { ...counters(0), error: { type: 'NOT_ENOUGH_TOKEN', message: 'not enough tokens' } },
      };
    const replaced =
      fault && faultReply(fault, (_, message) => ({ ...counters(0), error: { type: 'error', message } }));
    if (replaced) return replaced;
    if (request.query.get('key') !== FAKE_KEEPA_KEY) {
      return { status: 400, body: { ...counters(0), error: { type: 'invalidKey', message: 'Invalid API key' } } };
    }
    if (target === 'token') return { status: 200, body: counters(0) };
    const asins = (request.query.get('asin') ?? '').split(',').filter(Boolean);
    if (asins.length < 1 || asins.length > 100) {
      return {
        status: 400,
        body: { ...counters(0), error: { type: 'invalidParameter', message: 'asin takes 1 to 100 ASINs' } },
      };
    }
    if (tokens < asins.length) {
      return {
        status: 429,
        body: {
          ...counters(0),
          error: { type: 'NOT_ENOUGH_TOKEN', message: `${asins.length} tokens needed, ${tokens} left` },
        },
      };
    }
    tokens -= asins.length;
    served.push(asins);
    const domainId = Number(request.query.get('domain') ?? '1');
    const products: unknown[] = asins.map(
      (asin) => catalog.get(asin) ?? { asin, domainId, title: null, csv: null, images: null },
    );
    if (fault?.kind === 'bad-record') products.push({ domainId, title: 'no asin' });
    return { status: 200, body: { ...counters(asins.length), products } };
  });

  return {
    url: server.url,
    inject: (target, ...list) => faults.push(target, list),
    requests,
    served,
    get tokensLeft() {
      refill();
      return tokens;
    },
    setProduct: (product) => catalog.set(String(product.asin), product),
    close: server.close,
  };
}
