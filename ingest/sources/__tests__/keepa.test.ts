import { collectSource } from '../../../test/fakes/collect';
import { fakeClock } from '../../../test/fakes/clock';
import {
  FAKE_KEEPA_KEY,
  type FakeKeepa,
  fakeKeepaProduct,
  keepaMinute,
  keepaOffersAt,
  startFakeKeepa,
} from '../../../test/fakes/keepa';
import { SourceRequestError } from '../../http/errors';
import type { PriceObservationRecord, RawPayload, SalesRankRecord } from '../../types';
import { createKeepaSource, keepaMinuteToIso, parseKeepaPayload } from '../keepa';

const T0 = '2026-01-01T00:00:00.000Z';

function payload(products: unknown[], domain = 1): RawPayload {
  return {
    endpoint: '/product',
    request: { domain, fetchedAt: '2026-03-01T00:00:00.000Z', params: { domain: String(domain), asin: 'x' } },
    status: 200,
    body: JSON.stringify({ timestamp: 0, tokensLeft: 10, refillIn: 1000, refillRate: 5, products }),
  };
}

describe('Keepa time', () => {
  it('converts Keepa minutes to UTC (epoch 2011-01-01)', () => {
    expect(keepaMinuteToIso(0)).toBe('2011-01-01T00:00:00.000Z');
    // The example from Keepa's Product.java: 411180 -> 1318510800000.
    expect(Date.parse(keepaMinuteToIso(411_180))).toBe(1_318_510_800_000);
  });
});

describe('Keepa product parser', () => {
  const t0 = keepaMinute(T0);
  const at = (days: number) => keepaMinuteToIso(t0 + days * 1440);

  it('maps a product to a listing, price histories by kind and sales ranks', () => {
    const parsed = parseKeepaPayload(payload([fakeKeepaProduct('B000000001')]));
    expect(parsed.rejects).toEqual([]);
    expect(parsed.records[0]).toEqual({
      kind: 'listing',
      locator: '/product#products[0]:B000000001',
      marketplace: 'amazon-us',
      externalId: 'B000000001',
      title: 'Fake speaker B000000001',
      brand: 'Fakesound',
      mpn: 'PN-0001',
      gtin: '0885909950805',
      url: 'https://www.amazon.com/dp/B000000001',
      images: [
        { url: 'https://m.media-amazon.com/images/I/B000000001L.jpg', width: 1500, height: 1500 },
        { url: 'https://m.media-amazon.com/images/I/B000000001L2.jpg', width: 1600, height: 1200 },
      ],
      galleryComplete: true,
      category: {
        path: [
          { externalId: '172282', name: 'Electronics' },
          { externalId: '12097479011', name: 'Portable Bluetooth Speakers' },
        ],
      },
      // The latest buy-box price (csv[18] triplet [minute, price, shipping]).
      price: { minor: 4599, currency: 'USD' },
      // Amazon's "bought in past month" and when Keepa last refreshed the product.
      monthlySold: 300,
      sourceUpdatedAt: at(3),
      observedAt: '2026-03-01T00:00:00.000Z',
    });
    const prices = parsed.records.filter((r): r is PriceObservationRecord => r.kind === 'priceObservation');
    expect(
      prices.map((p) => [p.priceKind, p.observedAt, p.price.currency, 'minor' in p.price ? p.price.minor : null]),
    ).toEqual([
      // csv[0]: Amazon itself as the seller. -1 (no offer) is skipped.
      ['AMAZON', at(0), 'USD', 4999],
      ['AMAZON', at(1), 'USD', 4499],
      ['NEW_OFFER', at(0), 'USD', 4899],
      ['NEW_OFFER', at(2), 'USD', 4599],
      ['USED_OFFER', at(0), 'USD', 3500],
      ['LIST', at(0), 'USD', 5999],
      ['BUY_BOX', at(0), 'USD', 4999],
      ['BUY_BOX', at(2), 'USD', 4599],
    ]);
    const ranks = parsed.records.filter((r): r is SalesRankRecord => r.kind === 'salesRank');
    expect(ranks.map((r) => [r.observedAt, r.rank])).toEqual([
      [at(0), 15234],
      [at(1), 14001],
    ]);
  });

  it('uses the domain for marketplace, currency and URL', () => {
    const parsed = parseKeepaPayload(payload([fakeKeepaProduct('B000000002', { domainId: 5 })], 5));
    expect(parsed.records[0]).toMatchObject({
      marketplace: 'amazon-jp',
      url: 'https://www.amazon.co.jp/dp/B000000002',
      price: { minor: 4599, currency: 'JPY' },
    });
  });

  it('says a product whose offers end in -1 has no current price (out of stock), keeping its priced history', () => {
    const outOfStock = keepaOffersAt(fakeKeepaProduct('B000000005'), at(5), -1);
    const parsed = parseKeepaPayload(payload([outOfStock]));
    const [listing] = parsed.records;
    expect(listing).toMatchObject({ kind: 'listing', noCurrentPrice: true });
    expect(listing).not.toHaveProperty('price');
    const prices = parsed.records.filter((r): r is PriceObservationRecord => r.kind === 'priceObservation');
    // The -1 points are no observations: the history keeps the prices the product had.
    expect(prices.filter((p) => p.priceKind === 'NEW_OFFER').map((p) => p.observedAt)).toEqual([at(0), at(2)]);
    expect(prices.filter((p) => p.priceKind === 'BUY_BOX').map((p) => p.observedAt)).toEqual([at(0), at(2)]);
  });

  it('takes the new offer when only the buy box ends in -1, and says nothing without either history', () => {
    const product = fakeKeepaProduct('B000000006');
    const csv = [...(product.csv as unknown[])];
    csv[18] = [t0, 4999, 0, t0 + 2880, -1, -1];
    const noBuyBox = parseKeepaPayload(payload([{ ...product, csv }])).records[0];
    expect(noBuyBox).toMatchObject({ price: { minor: 4599, currency: 'USD' } });
    expect(noBuyBox).not.toHaveProperty('noCurrentPrice');
    const silent = parseKeepaPayload(payload([{ ...product, csv: null }])).records[0];
    expect(silent).not.toHaveProperty('price');
    expect(silent).not.toHaveProperty('noCurrentPrice');
  });

  it('falls back to imagesCSV and upcList', () => {
    const { images: _images, eanList: _ean, ...rest } = fakeKeepaProduct('B000000003');
    const parsed = parseKeepaPayload(payload([{ ...rest, imagesCSV: 'a.jpg,b.jpg' }]));
    expect(parsed.records[0]).toMatchObject({
      gtin: '885909950805',
      images: [
        { url: 'https://m.media-amazon.com/images/I/a.jpg' },
        { url: 'https://m.media-amazon.com/images/I/b.jpg' },
      ],
    });
  });

  it('sets unknown and malformed products aside with codes', () => {
    const parsed = parseKeepaPayload(
      payload([
        { asin: 'B0UNKNOWN1', domainId: 1, title: null, csv: null },
        { title: 'x' },
        7,
        { ...fakeKeepaProduct('B000000004'), domainId: 7 },
      ]),
    );
    expect(parsed.records).toEqual([]);
    expect(parsed.rejects.map((r) => r.code)).toEqual([
      'KEEPA_PRODUCT_UNKNOWN',
      'KEEPA_PRODUCT_NO_ASIN',
      'KEEPA_PRODUCT_NOT_OBJECT',
      'KEEPA_UNKNOWN_DOMAIN',
    ]);
  });

  it('quarantines a body that is not JSON or has no products', () => {
    expect(parseKeepaPayload({ ...payload([]), body: '{"products": [' }).rejects.map((r) => r.code)).toEqual([
      'KEEPA_MALFORMED_JSON',
    ]);
    expect(
      parseKeepaPayload({ ...payload([]), body: '{"error": {"type": "invalidKey", "message": "Invalid API key"}}' })
        .rejects[0],
    ).toMatchObject({
      code: 'KEEPA_PAYLOAD_SHAPE',
      reason: 'the response has no products array (Invalid API key)',
    });
  });
});

describe('Keepa source against the fake API', () => {
  const asins = Array.from({ length: 12 }, (_, i) => `B0000000${String(i).padStart(2, '0')}`);
  let keepa: FakeKeepa;
  let clock: ReturnType<typeof fakeClock>;

  beforeEach(async () => {
    clock = fakeClock('2026-03-01T00:00:00Z');
    keepa = await startFakeKeepa({
      products: asins.map((a) => fakeKeepaProduct(a)),
      tokens: 5,
      refillRate: 5,
      now: clock.now,
    });
  });
  afterEach(() => keepa.close());

  const source = (overrides: { maxRetryAfterMs?: number } = {}) =>
    createKeepaSource({
      baseUrl: keepa.url,
      apiKey: FAKE_KEEPA_KEY,
      clock,
      limits: { requestsPerSecond: 1_000, burst: 1_000 },
      ...overrides,
    });

  it('never sends a batch the token budget cannot pay for: it waits for the refill', async () => {
    const result = await collectSource(source(), { asins: asins.join(','), batchSize: 5 });
    // 5 tokens at start, 5 a minute: each later batch waits for the next refill.
    expect(keepa.served.map((batch) => batch.length)).toEqual([5, 5, 2]);
    expect(clock.waits).toEqual([60_000, 60_000]);
    expect(result.warnings.map((w) => w.code)).toEqual(['KEEPA_TOKENS_WAIT', 'KEEPA_TOKENS_WAIT']);
    expect(result.records.filter((r) => r.kind === 'listing')).toHaveLength(12);
    expect(keepa.requests.token).toBe(1);
    expect(keepa.tokensLeft).toBe(3);
    // The API key never reaches the stored request.
    expect(JSON.stringify(result.payloads.map((p) => p.request))).not.toContain(FAKE_KEEPA_KEY);
  });

  it('asks for buy-box data only when told to', async () => {
    const plain = await collectSource(source(), { asins: asins.slice(0, 2) });
    const withBuyBox = await collectSource(source(), { asins: asins.slice(0, 2), buybox: true });
    const params = (result: typeof plain) =>
      result.payloads.map((p) => (p.request.params as Record<string, string>).buybox);
    expect(params(plain)).toEqual([undefined]);
    expect(params(withBuyBox)).toEqual(['1']);
  });

  it('waits for enough refills before one big batch', async () => {
    await collectSource(source(), { asins });
    expect(clock.waits).toEqual([120_000]);
    expect(keepa.served.map((batch) => batch.length)).toEqual([12]);
  });

  it('waits refillIn after a 429 and retries', async () => {
    clock.advance(15_000);
    keepa.inject('product', { kind: '429' });
    const result = await collectSource(source(), { asins: asins.slice(0, 3) });
    expect(clock.waits).toEqual([45_000]);
    expect(result.warnings.map((w) => w.code)).toEqual(['HTTP_429']);
    expect(keepa.served).toEqual([asins.slice(0, 3)]);
  });

  it('fails clearly when the refill would take longer than allowed', async () => {
    const error = await collectSource(source({ maxRetryAfterMs: 30_000 }), { asins }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceRequestError);
    expect((error as SourceRequestError).code).toBe('SOURCE_BUDGET_EXHAUSTED');
    expect((error as SourceRequestError).message).toMatch(
      /keepa: 5 tokens left, 12 needed; the refill of 5\/min takes 120 s, longer than the 30 s allowed/,
    );
  });

  it('refuses bad ASINs and a missing key before any request', async () => {
    await expect(collectSource(source(), { asins: 'B0001,nope' })).rejects.toThrow(
      /keepa options are invalid: asins.0: an ASIN is 10 letters or digits/,
    );
    await expect(collectSource(createKeepaSource({ baseUrl: keepa.url }), { asins })).rejects.toThrow(
      'keepa needs KEEPA_API_KEY',
    );
    expect(keepa.requests.product + keepa.requests.token).toBe(0);
  });
});
