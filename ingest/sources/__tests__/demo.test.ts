import { collectSource } from '../../../test/fakes/collect';
import type { ListingRecord, SoldSnapshotRecord } from '../../types';
import { createDemoSource } from '../demo';
import { BROWSE_SEARCH_PATH, INSIGHTS_SEARCH_PATH } from '../ebay/parse';

describe('demo source', () => {
  const options = { size: 'small' as const, now: '2026-06-01T00:00:00Z', pageSize: 50, snapshots: 3 };

  it('emits eBay-shaped payloads that the eBay parser reads without rejects', async () => {
    const result = await collectSource(createDemoSource(), options);
    expect(result.rejects).toEqual([]);
    const endpoints = new Set(
      result.payloads.map((p) => (p.endpoint.startsWith('/buy/browse/v1/item/') ? 'item' : p.endpoint)),
    );
    expect(endpoints).toEqual(new Set([BROWSE_SEARCH_PATH, 'item', INSIGHTS_SEARCH_PATH]));
    const listings = result.records.filter((r): r is ListingRecord => r.kind === 'listing');
    expect(new Set(listings.map((l) => l.marketplace))).toEqual(new Set(['ebay-us', 'ebay-de', 'ebay-uk']));
    const detailed = listings.find((l) => l.brand && l.gtin);
    expect(detailed).toMatchObject({ category: { path: [expect.anything(), expect.anything(), expect.anything()] } });
    expect(listings.every((l) => !l.price || 'decimal' in l.price)).toBe(true);
  });

  it('is deterministic, and later snapshots never sell fewer units', async () => {
    const [first, second] = await Promise.all([
      collectSource(createDemoSource(), options),
      collectSource(createDemoSource(), options),
    ]);
    expect(second.payloads).toEqual(first.payloads);
    const byItem = new Map<string, SoldSnapshotRecord[]>();
    for (const record of first.records) {
      if (record.kind !== 'soldSnapshot') continue;
      byItem.set(record.externalId, [...(byItem.get(record.externalId) ?? []), record]);
    }
    expect(byItem.size).toBeGreaterThan(0);
    for (const snapshots of byItem.values()) {
      const quantities = snapshots.map((s) => s.totalSoldQuantity);
      expect(quantities).toEqual([...quantities].sort((a, b) => a - b));
      expect(snapshots.map((s) => s.observedAt)).toEqual([...snapshots.map((s) => s.observedAt)].sort());
    }
  });

  it('rejects unknown options', async () => {
    await expect(collectSource(createDemoSource(), { size: 'huge' } as never)).rejects.toThrow(
      /demo options are invalid: size/,
    );
  });
});
