/** Price history as change points when observations arrive out of order or overwrite each other. */
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import type { IngestRecord, Source } from '../../types';
import { runIngest } from '../run';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

type Point = [string, number];

/** A source whose one payload lists a listing and its LIST prices at the given times. */
function prices(points: Point[]): Source<Record<string, never>> {
  return {
    name: 'change-points-test',
    scope: () => 'test',
    async *fetch() {
      yield { endpoint: 'test', request: {}, status: 0, body: JSON.stringify(points) };
    },
    parse: (payload) => {
      const parsed = JSON.parse(payload.body) as Point[];
      const key = { marketplace: 'ebay-us', externalId: 'change-points-1' };
      const records: IngestRecord[] = [
        { kind: 'listing', locator: 'listing', ...key, title: 'Change points', observedAt: '2026-03-01T00:00:00Z' },
        ...parsed.map(([at, minor]): IngestRecord => ({
          kind: 'priceObservation',
          locator: `price@${at}`,
          ...key,
          observedAt: at,
          priceKind: 'LIST',
          price: { minor, currency: 'USD' },
          source: 'change-points-test',
        })),
      ];
      return { records, rejects: [] };
    },
  };
}

const history = async () =>
  (
    await rows<{ at: string; amount: unknown; confirmed: string }>(
      database.db,
      sql`select to_char(observed_at at time zone 'UTC', 'HH24:MI') as at, amount_minor as amount,
                 to_char(last_confirmed_at at time zone 'UTC', 'HH24:MI') as confirmed
          from price_observations order by observed_at`,
    )
  ).map((row) => [row.at, Number(row.amount), row.confirmed]);

describe('change points', () => {
  it('overwrites a stored value at the same time without confirming it in the same statement', async () => {
    expect((await runIngest({ db: database.db }, prices([['2026-03-01T10:00:00Z', 100]]), {})).status).toBe(
      'SUCCEEDED',
    );
    const mixed = await runIngest(
      { db: database.db },
      prices([
        ['2026-03-01T10:00:00Z', 120],
        ['2026-03-01T11:00:00Z', 100],
      ]),
      {},
    );
    expect(mixed.status).toBe('SUCCEEDED');
    expect(await history()).toEqual([
      ['10:00', 120, '10:00'],
      ['11:00', 100, '11:00'],
    ]);
  });

  it('does not extend a stored value across a later stored change', async () => {
    // Stored: 120 at 10:00, 100 at 11:00. A late report of 120 at 10:30 and 12:00 spans the
    // 11:00 change: the 10:00 point is left as it was, and the report becomes a point of its own.
    await runIngest(
      { db: database.db },
      prices([
        ['2026-03-01T10:30:00Z', 120],
        ['2026-03-01T12:00:00Z', 120],
      ]),
      {},
    );
    expect(await history()).toEqual([
      ['10:00', 120, '10:00'],
      ['10:30', 120, '12:00'],
      ['11:00', 100, '11:00'],
    ]);
  });
});
