import { collectSource } from '../../../../test/fakes/collect';
import { fakeClock } from '../../../../test/fakes/clock';
import {
  FAKE_EBAY_CLIENT_ID,
  FAKE_EBAY_CLIENT_SECRET,
  type FakeEbay,
  fakeEbayItems,
  fakeEbaySoldItems,
  startFakeEbay,
} from '../../../../test/fakes/ebay';
import type { SoldSnapshotRecord } from '../../../types';
import { createEbayInsightsSource } from '../insights';

describe('eBay Marketplace Insights source against the fake API', () => {
  let ebay: FakeEbay;
  beforeAll(async () => {
    ebay = await startFakeEbay({
      sold: fakeEbaySoldItems(fakeEbayItems(30, { marketplaceId: 'EBAY_GB', currency: 'GBP' })),
      offsetCap: 20,
    });
  });
  afterAll(() => ebay.close());

  const source = () =>
    createEbayInsightsSource({
      baseUrl: ebay.url,
      clientId: FAKE_EBAY_CLIENT_ID,
      clientSecret: FAKE_EBAY_CLIENT_SECRET,
      marketplaceId: 'EBAY_GB',
      maxOffset: 20,
      clock: fakeClock('2026-03-01T00:00:00Z'),
      limits: { requestsPerSecond: 1_000, burst: 1_000 },
    });

  it('turns every sold item into a snapshot and its listing, splitting above the cap', async () => {
    const result = await collectSource(source(), { categoryIds: '9355', limit: 8 });
    const snapshots = result.records.filter((r): r is SoldSnapshotRecord => r.kind === 'soldSnapshot');
    expect(new Set(snapshots.map((s) => s.externalId)).size).toBe(30);
    const first = snapshots.find((s) => s.externalId === ebay.sold[2]?.itemId);
    expect(first).toEqual({
      kind: 'soldSnapshot',
      locator: expect.any(String),
      marketplace: 'ebay-uk',
      externalId: ebay.sold[2]?.itemId,
      observedAt: '2026-03-01T00:00:00.000Z',
      totalSoldQuantity: 3,
      lastSoldAt: ebay.sold[2]?.lastSoldDate,
      lastSoldPrice: { decimal: ebay.sold[2]?.lastSoldPrice.value, currency: 'GBP' },
      windowDays: 90,
    });
    expect(ebay.log.some((e) => e.query.filter?.includes('priceCurrency:GBP'))).toBe(true);
    // Only the last payload carries the newest sale date, so a killed run advances nothing.
    expect(result.payloads.filter((p) => 'watermark' in p.request)).toEqual([result.payloads.at(-1)]);
    expect(result.watermark).toBe(
      [...ebay.sold]
        .map((s) => s.lastSoldDate)
        .sort()
        .at(-1),
    );
  });

  it('asks only for sales since the watermark on incremental runs', async () => {
    const watermark = ebay.sold[25]?.lastSoldDate ?? '';
    const result = await collectSource(source(), { q: 'fake', incremental: true }, { watermark });
    expect(ebay.log.at(-1)?.query.filter).toBe(`lastSoldDate:[${watermark.replace('.000Z', 'Z')}..]`);
    expect(result.records.filter((r) => r.kind === 'soldSnapshot')).toHaveLength(5);
  });
});
