import { parseEnv } from '../../../lib/env';
import type { Db } from '../../../db/client';
import { SourceArgumentError } from '../../pipeline/entry';
import { sources } from '..';

const env = parseEnv({});
// Argument errors surface before a run touches the database.
const deps = { db: {} as Db };

describe('registry entries of the HTTP and demo sources', () => {
  it('are registered under their source names', () => {
    expect(Object.keys(sources)).toEqual(expect.arrayContaining(['ebay-browse', 'ebay-insights', 'keepa', 'demo']));
    expect(sources['ebay-browse']?.usage).toMatch(/^ebay-browse \(--q <keywords> \| --category-ids <id>\)/);
  });

  it('refuse unusable arguments with the reason', async () => {
    await expect(sources['ebay-browse']?.run({ limit: '900' }, env, deps)).rejects.toThrow(SourceArgumentError);
    await expect(sources['ebay-browse']?.run({ limit: '900' }, env, deps)).rejects.toThrow(/limit: .*200/);
    await expect(sources.keepa?.run({ asins: 'short' }, env, deps)).rejects.toThrow(
      /keepa options are invalid: asins.0: an ASIN is 10 letters or digits/,
    );
    // sourceEntry validates synchronously; the CLI catches either way.
    await expect((async () => sources.demo?.run({ size: 'huge' }, env, deps))()).rejects.toThrow(SourceArgumentError);
  });

  it('give replay the same parser the source uses', () => {
    const parse = sources['ebay-insights']?.parser(env);
    const parsed = parse?.({
      endpoint: '/buy/marketplace_insights/v1_beta/item_sales/search',
      request: { marketplaceId: 'EBAY_US', fetchedAt: '2026-03-01T00:00:00Z' },
      status: 200,
      body: JSON.stringify({ itemSales: [{ itemId: 'v1|1|0', title: 't', totalSoldQuantity: 2 }] }),
    });
    expect(parsed?.records.map((r) => r.kind)).toEqual(['listing', 'soldSnapshot']);
  });
});
