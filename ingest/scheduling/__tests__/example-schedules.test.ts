import path from 'node:path';
import { parseEnv } from '../../../lib/env';
import { SourceArgumentError } from '../../pipeline/entry';
import { sources } from '../../sources';
import { loadSchedules } from '../schedules';

const env = parseEnv({});
const INGEST = path.join(__dirname, '..', '..');

/** Each schedule's scope, computed by its registered source from the options as the file writes them. */
function scopesOf(file: string): Record<string, string> {
  const config = loadSchedules(path.join(INGEST, file));
  return Object.fromEntries(
    config.schedules.map((schedule) => {
      const entry = sources[schedule.source];
      if (!entry) throw new Error(`${file}: schedule "${schedule.name}" names unknown source "${schedule.source}"`);
      return [schedule.name, entry.scope(schedule.options, env)];
    }),
  );
}

describe('example schedule files', () => {
  it('hold options every source parses: the development file', () => {
    expect(scopesOf('schedules.example.json')).toEqual({
      'sample-listings': 'file:listings.csv',
      'sample-sales': 'file:sales.csv',
    });
  });

  it('hold options every source parses: the production file', () => {
    expect(scopesOf('schedules.production.example.json')).toEqual({
      'ebay-us-phones-listings': 'ebay-browse:EBAY_US:q=iphone&category=9355',
      'ebay-us-phones-sold': 'ebay-insights:EBAY_US:q=iphone&category=9355',
      'keepa-watchlist': 'keepa:1:B0BDHWDR12,B0CHX1W1XY',
      'shop-orders': 'file:orders.jsonl',
    });
  });
});

describe('option names', () => {
  it('refuses a misspelt option instead of ignoring it, naming the known ones', () => {
    const browse = () => sources['ebay-browse']?.scope({ q: 'iphone', categoryIds: '9355' }, env);
    expect(browse).toThrow(SourceArgumentError);
    expect(browse).toThrow(/^unknown option --categoryIds; known: --q, --category-ids, --filter, /);
    expect(() => sources.file?.scope({ path: 'a.csv', chunkLines: '10' }, env)).toThrow(
      new SourceArgumentError(
        'unknown option --chunkLines; known: --path, --kind, --format, --map, --marketplace, --chunk-lines, --encoding',
      ),
    );
    expect(() => sources.keepa?.scope({ asins: 'B0BDHWDR12', domains: '1' }, env)).toThrow(/unknown option --domains/);
  });
});
