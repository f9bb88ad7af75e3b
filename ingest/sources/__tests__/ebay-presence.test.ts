/**
 * Listings that leave eBay Browse search: a complete, clean search of a scope marks the
 * listings it no longer finds as unseen, ends them after the grace, and a listing found again
 * is ACTIVE. Runs against the fake eBay in the documented item_summary/search shape.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { createEntityCache, type EntityCache } from '../../../lib/cache';
import { CACHE_TAGS, lastPurgeOf } from '../../../lib/cache-tags';
import { fakeClock } from '../../../test/fakes/clock';
import {
  FAKE_EBAY_CLIENT_ID,
  FAKE_EBAY_CLIENT_SECRET,
  type FakeEbay,
  type FakeEbayItem,
  fakeEbayItems,
  fakeEbaySoldItems,
  startFakeEbay,
} from '../../../test/fakes/ebay';
import { untilCacheIsUp } from '../../../test/support/cache';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { coreSnapshot } from '../../pipeline/__tests__/fixtures';
import { sweepUnseen } from '../../pipeline/core';
import { runIngest } from '../../pipeline/run';
import { createEbayBrowseSource } from '../ebay/browse';
import type { EbaySourceConfig } from '../ebay/connection';
import { createEbayInsightsSource } from '../ebay/insights';
import type { EbaySearchOptions } from '../ebay/options';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();
const scope = { categoryIds: '9355', limit: 2 };

let ebay: FakeEbay;
let database: Database;
let catalog: FakeEbayItem[];
let cache: EntityCache;
beforeAll(async () => {
  // One price for all, so a low offset cap cannot be split by price band (EBAY_SPLIT_EXHAUSTED).
  catalog = fakeEbayItems(6).map((item) => ({ ...item, price: { value: '5.00', currency: 'USD' } }));
  ebay = await startFakeEbay({ items: catalog });
  database = await openTestDatabase();
  cache = createEntityCache({
    redisUrl: process.env.REDIS_URL,
    namespace: `presence-${randomBytes(6).toString('hex')}`,
    timeoutMs: 1_000,
    defaultTtlMs: 60_000,
  });
  await untilCacheIsUp(cache);
});
afterAll(async () => {
  await ebay.close();
  await database.close();
  await cache.close();
});

/** When cached answers over listings were last purged. */
const listingsPurgedAt = () => lastPurgeOf(cache, [CACHE_TAGS.listings]);

/** A Browse run of `options` at `hours` after T0: the source's clock and the run's agree. */
function config(hours: number, overrides: Partial<EbaySourceConfig> = {}): EbaySourceConfig {
  return {
    baseUrl: ebay.url,
    clientId: FAKE_EBAY_CLIENT_ID,
    clientSecret: FAKE_EBAY_CLIENT_SECRET,
    marketplaceId: 'EBAY_US',
    maxRetries: 0,
    limits: { requestsPerSecond: 1_000, burst: 1_000 },
    clock: fakeClock(at(hours), 0.5, { frozen: true }),
    ...overrides,
  };
}

function search(hours: number, options: EbaySearchOptions = scope, overrides: Partial<EbaySourceConfig> = {}) {
  const source = createEbayBrowseSource(config(hours, overrides));
  return runIngest({ db: database.db, cache, now: () => new Date(at(hours)) }, source, options);
}

/** Every listing's status and unseen mark, by item id. */
async function presence(): Promise<Record<string, [string, string | null]>> {
  const stored = await rows<{ external_id: string; status: string; unseen_since: string | null }>(
    database.db,
    sql`select external_id, status::text as status,
               to_char(unseen_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as unseen_since
        from products order by external_id`,
  );
  return Object.fromEntries(stored.map((p) => [p.external_id, [p.status, p.unseen_since]]));
}

const expected = (changes: Record<string, [string, string | null]>) =>
  Object.fromEntries(catalog.map((item) => [item.itemId, changes[item.itemId] ?? ['ACTIVE', null]]));

describe('eBay Browse listings that leave search', () => {
  it('are marked unseen by a complete search, ended after 48 hours, and active again when found', async () => {
    const [gone, back] = [catalog[0]?.itemId ?? '', catalog[1]?.itemId ?? ''];
    expect((await search(0)).status).toBe('SUCCEEDED');
    expect(await presence()).toEqual(expected({}));

    // Two listings leave search: the next complete search marks them, nothing ends yet.
    ebay.items = catalog.slice(2);
    expect((await search(1)).status).toBe('SUCCEEDED');
    const marked = expected({ [gone]: ['ACTIVE', at(1)], [back]: ['ACTIVE', at(1)] });
    expect(await presence()).toEqual(marked);
    const markedPurge = await listingsPurgedAt();
    expect(markedPurge).toBeGreaterThan(0);
    // The same complete search again changes nothing further, so it purges no cached answer.
    const before = await coreSnapshot(database.db);
    const again = await search(1);
    expect(again.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect(await coreSnapshot(database.db)).toEqual(before);
    expect(await listingsPurgedAt()).toBe(markedPurge);

    // At the grace, runs that did not see the whole scope end nothing: a --max-items limit,
    // an incremental run, a failed run, one that could not read a record, one stopped by eBay's cap.
    expect((await search(49, { ...scope, maxItems: 2 })).status).toBe('SUCCEEDED');
    expect((await search(49, { ...scope, incremental: true })).status).toBe('SUCCEEDED');
    ebay.inject('search', { kind: '500' });
    expect((await search(49)).status).toBe('FAILED');
    ebay.inject('search', { kind: 'bad-record' });
    const unreadable = await search(49);
    expect(unreadable.status).toBe('SUCCEEDED');
    expect(unreadable.counts.quarantined).toBeGreaterThan(0);
    const capped = await search(49, scope, { maxOffset: 2 });
    expect(capped.errors.map((e) => e.code)).toContain('EBAY_SPLIT_EXHAUSTED');
    expect(await presence()).toEqual(marked);

    // A complete search 48 hours or more after the first miss ends them.
    ebay.items = catalog.slice(2);
    const beforeEnd = await listingsPurgedAt();
    const ending = await search(50);
    expect([ending.status, ending.counts.inserted, ending.counts.updated]).toEqual(['SUCCEEDED', 0, 0]);
    expect(await presence()).toEqual(expected({ [gone]: ['ENDED', at(1)], [back]: ['ENDED', at(1)] }));
    // Only the sweep changed listings, and cached answers over them are purged.
    expect(await listingsPurgedAt()).toBeGreaterThan(beforeEnd ?? 0);
    // A sold row in Insights says nothing about being on offer: the ended listing stays ended.
    ebay.sold = fakeEbaySoldItems([catalog[0] as FakeEbayItem]);
    const insights = createEbayInsightsSource(config(50.5));
    expect((await runIngest({ db: database.db, cache }, insights, scope)).status).toBe('SUCCEEDED');
    expect((await presence())[gone]).toEqual(['ENDED', at(1)]);

    // One comes back: active again, unmarked; the other stays ended, and a re-run changes nothing.
    ebay.items = [catalog[1] as FakeEbayItem, ...catalog.slice(2)];
    await search(51);
    const after = expected({ [gone]: ['ENDED', at(1)] });
    expect(await presence()).toEqual(after);
    await search(52);
    expect(await presence()).toEqual(after);
  });

  it('leaves alone what a later-started run of the scope found, when two runs overlap', async () => {
    const [sighting] = await rows<{ source: string; scope: string; last: number }>(
      database.db,
      sql`select source, scope, max(last_run_id)::int as last from ingest_scope_listings group by source, scope`,
    );
    if (!sighting) throw new Error('no sightings recorded');
    const before = await presence();
    // A run that started before the one that found the listings last, and sweeps after it.
    const changed = await sweepUnseen(database.db, {
      source: sighting.source,
      scope: sighting.scope,
      runId: sighting.last - 1,
      at: new Date(at(60)),
      endAfterMs: 48 * HOUR,
    });
    expect(changed).toEqual([]);
    expect(await presence()).toEqual(before);
  });

  it('never marks from a search with filters: a live listing leaves one by changing, not by ending', async () => {
    const filtered = { ...scope, filter: 'conditionIds:{1000}' };
    ebay.items = catalog.slice(1);
    expect((await search(60, filtered)).status).toBe('SUCCEEDED');
    const before = await presence();
    ebay.items = catalog.slice(3);
    expect((await search(61, filtered)).status).toBe('SUCCEEDED');
    expect((await search(120, filtered)).status).toBe('SUCCEEDED');
    expect(await presence()).toEqual(before);
  });
});
