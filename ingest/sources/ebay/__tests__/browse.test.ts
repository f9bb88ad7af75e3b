import { createEntityCache, type EntityCache } from '../../../../lib/cache';
import { collectSource } from '../../../../test/fakes/collect';
import { untilCacheIsUp } from '../../../../test/support/cache';
import { fakeClock } from '../../../../test/fakes/clock';
import {
  FAKE_EBAY_CLIENT_ID,
  FAKE_EBAY_CLIENT_SECRET,
  type FakeEbay,
  fakeEbayItems,
  startFakeEbay,
} from '../../../../test/fakes/ebay';
import { SourceRequestError } from '../../../http/errors';
import { createRateLimiter } from '../../../http/rate-limiter';
import type { ListingRecord } from '../../../types';
import { createEbayBrowseSource } from '../browse';
import type { EbaySourceConfig } from '../connection';

const listings = (records: { kind: string }[]) => records.filter((r): r is ListingRecord => r.kind === 'listing');
const idsOf = (records: { kind: string }[]) => [...new Set(listings(records).map((r) => r.externalId))].sort();

describe('eBay Browse source against the fake API', () => {
  let ebay: FakeEbay;
  let cache: EntityCache;

  beforeAll(async () => {
    ebay = await startFakeEbay({ items: fakeEbayItems(45), offsetCap: 20 });
    cache = createEntityCache({
      redisUrl: process.env.REDIS_URL,
      namespace: `test-browse-${process.pid}-${Date.now()}`,
      timeoutMs: 1_000,
      defaultTtlMs: 60_000,
    });
    await untilCacheIsUp(cache);
  });
  afterAll(async () => {
    await ebay.close();
    await cache.close();
  });

  function config(
    overrides: Partial<EbaySourceConfig> = {},
  ): EbaySourceConfig & { clock: ReturnType<typeof fakeClock> } {
    const clock = fakeClock('2026-03-01T00:00:00Z');
    return {
      baseUrl: ebay.url,
      clientId: FAKE_EBAY_CLIENT_ID,
      clientSecret: FAKE_EBAY_CLIENT_SECRET,
      marketplaceId: 'EBAY_US',
      maxOffset: 20,
      timeoutMs: 2_000,
      maxRetries: 3,
      backoff: { baseMs: 100, maxMs: 1_000 },
      limits: { requestsPerSecond: 1_000, burst: 1_000, dailyBudget: 1_000 },
      ...overrides,
      clock,
    };
  }

  const reset = () => {
    for (const key of Object.keys(ebay.requests) as (keyof typeof ebay.requests)[]) ebay.requests[key] = 0;
    ebay.log.length = 0;
  };

  it('pages through a result set with the marketplace header and one token', async () => {
    reset();
    const mintsBefore = ebay.mints;
    const result = await collectSource(createEbayBrowseSource(config()), { q: 'blue', limit: 5 });
    // 23 blue items (even indexes) exceed the cap of 20, so the set is split as well.
    expect(idsOf(result.records)).toEqual(
      ebay.items
        .filter((i) => i.title.includes('blue'))
        .map((i) => i.itemId)
        .sort(),
    );
    expect(ebay.log.filter((e) => e.target !== 'token').every((e) => e.marketplaceId === 'EBAY_US')).toBe(true);
    expect(ebay.mints - mintsBefore).toBe(1);
    expect(result.rejects).toEqual([]);
    expect(result.payloads[0]?.request).toEqual({
      marketplaceId: 'EBAY_US',
      fetchedAt: '2026-03-01T00:00:00.000Z',
      params: { q: 'blue', limit: '5', offset: '0' },
    });
  });

  it('splits a result set above the offset cap by price band until every item is reachable', async () => {
    reset();
    const result = await collectSource(createEbayBrowseSource(config()), { categoryIds: '9355', limit: 10 });
    expect(idsOf(result.records)).toEqual(ebay.items.map((i) => i.itemId).sort());
    const filters = ebay.log.filter((e) => e.target === 'search').map((e) => e.query.filter ?? '');
    // One probe finds the top price, then bands halve it: [0.00..mid] and [mid+0.01..top].
    const probe = ebay.log.find((e) => e.query.sort === '-price' && e.query.limit === '1');
    expect(probe).toBeDefined();
    const top = Math.max(...ebay.items.map((i) => Math.round(Number(i.price.value) * 100)));
    const mid = Math.floor(top / 2);
    expect(filters).toContain(`price:[0.00..${(mid / 100).toFixed(2)}],priceCurrency:USD`);
    expect(filters).toContain(`price:[${((mid + 1) / 100).toFixed(2)}..${(top / 100).toFixed(2)}],priceCurrency:USD`);
    expect(ebay.log.every((e) => Number(e.query.offset ?? 0) + Number(e.query.limit ?? 0) <= 20)).toBe(true);
    // The fake answers 400 to any offset past the cap: none was asked.
    expect(result.warnings).toEqual([]);
  });

  it('warns when a one-cent band still overflows and takes what the cap allows', async () => {
    const same = await startFakeEbay({
      items: fakeEbayItems(8).map((item) => ({ ...item, price: { value: '5.00', currency: 'USD' } })),
      offsetCap: 4,
    });
    try {
      const result = await collectSource(createEbayBrowseSource(config({ baseUrl: same.url, maxOffset: 4 })), {
        q: 'fake',
        limit: 2,
      });
      expect(result.warnings.map((w) => w.code)).toContain('EBAY_SPLIT_EXHAUSTED');
      expect(idsOf(result.records).length).toBeGreaterThanOrEqual(4);
    } finally {
      await same.close();
    }
  });

  it('fetches getItem per item when asked, for brand, MPN, GTIN, units available and every image', async () => {
    reset();
    const result = await collectSource(createEbayBrowseSource(config()), {
      q: 'phone 1',
      limit: 20,
      maxItems: 3,
      details: true,
    });
    expect(ebay.requests.item).toBeGreaterThan(0);
    const detailed = listings(result.records).filter((r) => r.brand !== undefined);
    expect(detailed.length).toBe(ebay.requests.item);
    expect(detailed[0]).toMatchObject({
      brand: 'Fakephone',
      gtin: '0885909950805',
      availableQuantity: 3,
      category: { path: [{ externalId: '15032' }, { externalId: '9355' }] },
    });
    expect(detailed[0]?.images).toHaveLength(2);
  });

  it('reuses the cached token across runs and sources, and re-mints once on 401', async () => {
    const shared = config({ tokenStore: cache });
    const before = ebay.mints;
    await collectSource(createEbayBrowseSource(shared), { q: 'phone 2', limit: 200 });
    await collectSource(createEbayBrowseSource(config({ tokenStore: cache })), { q: 'phone 3', limit: 200 });
    expect(ebay.mints - before).toBe(1);

    ebay.inject('search', { kind: 'expired-token' });
    const result = await collectSource(createEbayBrowseSource(config({ tokenStore: cache })), {
      q: 'phone 4',
      limit: 200,
    });
    expect(ebay.mints - before).toBe(2);
    expect(result.warnings.map((w) => w.code)).toEqual(['HTTP_401_REFRESH']);
    expect(listings(result.records).length).toBeGreaterThan(0);
  });

  it('rides out 429 (with and without Retry-After), 500, a hang and malformed JSON', async () => {
    reset();
    const settings = config({ timeoutMs: 200, maxRetries: 5 });
    ebay.inject(
      'search',
      { kind: '429', retryAfter: '2' },
      { kind: '429' },
      { kind: '500' },
      { kind: 'hang' },
      { kind: 'malformed' },
    );
    const result = await collectSource(createEbayBrowseSource(settings), { q: 'black', limit: 200 });
    expect(result.warnings.map((w) => w.code)).toEqual([
      'HTTP_429',
      'HTTP_429',
      'HTTP_500',
      'HTTP_TIMEOUT',
      'HTTP_MALFORMED_JSON',
    ]);
    // Retry-After 2 s exactly, then full jitter at random() = 0.5 of 200, 400, 800 and (capped) 1000 ms.
    expect(settings.clock.waits).toEqual([2_000, 100, 200, 400, 500]);
    expect(idsOf(result.records)).toEqual(
      ebay.items
        .filter((i) => i.title.includes('black'))
        .map((i) => i.itemId)
        .sort(),
    );
  });

  it('quarantines bad records and keeps the page', async () => {
    ebay.inject('search', { kind: 'bad-record' });
    const result = await collectSource(createEbayBrowseSource(config()), { q: 'phone 1', limit: 200 });
    expect(result.rejects.map((r) => r.code)).toEqual(['EBAY_ITEM_NO_ID', 'EBAY_ITEM_NOT_OBJECT']);
    expect(listings(result.records).length).toBeGreaterThan(0);
  });

  it('syncs incrementally: newest first, only items started since the watermark', async () => {
    reset();
    const watermark = ebay.items[40]?.itemCreationDate ?? '';
    const result = await collectSource(
      createEbayBrowseSource(config()),
      { q: 'phone', incremental: true },
      { watermark },
    );
    expect(ebay.log.find((e) => e.target === 'search')?.query).toMatchObject({
      sort: 'newlyListed',
      filter: `itemStartDate:[${watermark.replace('.000Z', 'Z')}..]`,
    });
    expect(idsOf(result.records)).toEqual(
      ebay.items
        .slice(40)
        .map((i) => i.itemId)
        .sort(),
    );
    expect(result.watermark).toBe(ebay.items[44]?.itemCreationDate);
  });

  it('stops with a clear error when the daily budget is spent', async () => {
    const settings = config({ limits: { requestsPerSecond: 100, burst: 100, dailyBudget: 2 } });
    settings.limiter = createRateLimiter({ clock: settings.clock });
    const error = await collectSource(createEbayBrowseSource(settings), { categoryIds: '9355', limit: 5 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceRequestError);
    expect((error as SourceRequestError).code).toBe('DAILY_BUDGET_EXHAUSTED');
  });

  it('refuses to start without credentials or with bad options', async () => {
    await expect(collectSource(createEbayBrowseSource(config({ clientId: undefined })), { q: 'x' })).rejects.toThrow(
      'ebay-browse needs EBAY_CLIENT_ID and EBAY_CLIENT_SECRET',
    );
    await expect(collectSource(createEbayBrowseSource(config()), { limit: 500 })).rejects.toThrow(
      /ebay-browse options are invalid: limit: .*; options: give q \(keywords\) or categoryIds/,
    );
  });
});
