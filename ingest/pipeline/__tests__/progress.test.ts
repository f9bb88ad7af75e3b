import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import { parseEbayPayload, BROWSE_SEARCH_PATH } from '../../sources/ebay/parse';
import type { Source } from '../../types';
import { type RunProgress, runIngest } from '../run';
import type { RunError } from '../runs';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

/** Two pages of two items each; it says four are expected and warns once between the pages. */
const source: Source<Record<string, never>> = {
  name: 'progress-test',
  scope: () => 'test',
  async *fetch(_options, context) {
    context.expect?.(4);
    for (const page of [0, 1]) {
      if (page === 1) context.warn('waiting 3 s for tokens', 'TEST_WAIT');
      const itemSummaries = [0, 1].map((i) => ({
        itemId: `v1|${page}${i}|0`,
        title: `Item ${page}${i}`,
        price: { value: '1.00', currency: 'USD' },
        listingMarketplaceId: 'EBAY_US',
      }));
      yield {
        endpoint: BROWSE_SEARCH_PATH,
        request: { marketplaceId: 'EBAY_US', fetchedAt: '2026-03-01T00:00:00Z', params: { offset: String(page) } },
        status: 200,
        body: JSON.stringify({ total: 4, offset: page * 2, itemSummaries }),
      };
    }
  },
  parse: (payload) => parseEbayPayload(payload, 'progress-test'),
};

describe('run progress', () => {
  it('reports the expected total and the start time with each payload, and warnings as they happen', async () => {
    const events: string[] = [];
    const progress: RunProgress[] = [];
    const warnings: RunError[] = [];
    const summary = await runIngest(
      { db: database.db },
      source,
      {},
      {
        onProgress: (p) => {
          progress.push(p);
          events.push(`progress ${p.pages}`);
        },
        onWarning: (w) => {
          warnings.push(w);
          events.push(`warning ${w.code}`);
        },
      },
    );
    expect(summary.status).toBe('SUCCEEDED');
    expect(progress.map((p) => [p.pages, p.expected, p.startedAt instanceof Date])).toEqual([
      [1, 4, true],
      [2, 4, true],
    ]);
    // The warning arrives while the run goes on, before the page after it is counted.
    expect(events.indexOf('warning TEST_WAIT')).toBeLessThan(events.indexOf('progress 2'));
    expect(warnings).toEqual([expect.objectContaining({ code: 'TEST_WAIT', warning: true })]);
    // Kept apart from errors in the run's record.
    expect(summary.errors).toEqual([expect.objectContaining({ code: 'TEST_WAIT', warning: true })]);
  });
});
