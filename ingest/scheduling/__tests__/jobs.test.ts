import { parseEnv } from '../../../lib/env';
import type { Db } from '../../../db/client';
import { sources } from '../../sources';
import { createIngestJobs, PermanentJobError } from '../jobs';
import { createTestSource, jobsFor } from './test-source';

// Keys are computed from the registry alone; no query reaches the database.
const db = {} as Db;

describe('no-overlap keys', () => {
  it('key on the source and the scope its options select, not on the options as written', () => {
    const jobs = jobsFor(db, createTestSource().source);
    const key = (options: Record<string, string>) => jobs.keyOf({ source: 'test-source', options });
    expect(key({ scope: 'phones', pageSize: '10' })).toBe(key({ scope: 'phones', pageSize: '50' }));
    expect(key({ scope: 'phones' })).not.toBe(key({ scope: 'tablets' }));
    expect(key({ scope: 'phones' })).toMatch(/^run-test-source-[0-9a-f]{24}$/);
  });

  it('give the registered sources one key per incremental-sync stream', () => {
    const jobs = createIngestJobs({ sources, env: parseEnv({}), db });
    const browse = (options: Record<string, string | true>) => jobs.keyOf({ source: 'ebay-browse', options });
    expect(browse({ q: 'iphone', 'category-ids': '9355', limit: '50' })).toBe(
      browse({ q: 'iphone', 'category-ids': '9355', details: true }),
    );
    expect(browse({ q: 'iphone', 'category-ids': '9355' })).not.toBe(browse({ q: 'iphone', 'category-ids': '15032' }));
    const keepa = (asins: string) => jobs.keyOf({ source: 'keepa', options: { asins } });
    expect(keepa('B0CHX1W1XY,B0BDHWDR12')).toBe(keepa('B0BDHWDR12,B0CHX1W1XY'));
    expect(jobs.keyOf({ source: 'file', options: { path: 'a/orders.csv', 'chunk-lines': '10' } })).toBe(
      jobs.keyOf({ source: 'file', options: { path: 'a/orders.csv' } }),
    );
    // Browse and Insights with the same search are different streams.
    expect(jobs.keyOf({ source: 'ebay-insights', options: { q: 'iphone' } })).not.toBe(browse({ q: 'iphone' }));
  });

  it('refuse unknown sources and options the source cannot use, as permanent errors', () => {
    const jobs = createIngestJobs({ sources, env: parseEnv({}), db });
    expect(() => jobs.keyOf({ source: 'nope', options: {} })).toThrow(PermanentJobError);
    expect(() => jobs.keyOf({ source: 'keepa', options: { asins: 'short' } })).toThrow(
      new PermanentJobError('source "keepa": keepa options are invalid: asins.0: an ASIN is 10 letters or digits'),
    );
    expect(() => jobs.keyOf({ source: 'file', options: {} })).toThrow(/source "file": file needs --path/);
  });
});
