import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import type { IngestRecord, RawPayload, Source } from '../../types';
import { runIngest } from '../run';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

/** A source of endless one-listing pages whose generator records that its `finally` ran. */
function probeSource(name: string) {
  const state = { yielded: 0, closed: false };
  const source: Source<Record<string, never>> = {
    name,
    scope: () => 'all',
    async *fetch() {
      try {
        for (;;) {
          state.yielded += 1;
          const record: IngestRecord = {
            kind: 'listing',
            locator: `listing ${state.yielded}`,
            marketplace: 'ebay-us',
            externalId: `${name}-${state.yielded}`,
            title: `Listing ${state.yielded}`,
            observedAt: '2026-05-01T00:00:00Z',
          };
          yield {
            endpoint: '/feed',
            request: { page: state.yielded },
            status: 200,
            body: JSON.stringify([record]),
          } satisfies RawPayload;
        }
      } finally {
        state.closed = true;
      }
    },
    parse: (payload) => ({ records: JSON.parse(payload.body) as IngestRecord[], rejects: [] }),
  };
  return { source, state };
}

describe('stopping a source when a run ends early', () => {
  it('runs the source generator’s finally when the run is aborted', async () => {
    const { source, state } = probeSource('cleanup-abort');
    const controller = new AbortController();
    const summary = await runIngest(
      { db: database.db },
      source,
      {},
      {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.pages === 2) controller.abort();
        },
      },
    );
    expect(summary).toMatchObject({ status: 'FAILED', counts: { pages: 2 } });
    expect(summary.errors).toEqual([expect.objectContaining({ code: 'ABORTED' })]);
    expect(state.closed).toBe(true);
  });

  it('runs the source generator’s finally when the run fails mid-fetch', async () => {
    const { source, state } = probeSource('cleanup-failure');
    const summary = await runIngest(
      { db: database.db },
      source,
      {},
      {
        onProgress: () => {
          throw Object.assign(new Error('progress sink is down'), { code: 'SINK_DOWN' });
        },
      },
    );
    expect(summary).toMatchObject({ status: 'FAILED', counts: { pages: 1 } });
    expect(summary.errors).toEqual([expect.objectContaining({ message: 'progress sink is down', code: 'SINK_DOWN' })]);
    expect(state.closed).toBe(true);
  });
});
