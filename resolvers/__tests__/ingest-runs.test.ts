import { ingestQuarantine, ingestRuns, ingestWatermarks, stagingRaw } from '../../db/schema';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';

type RunNode = {
  id: string;
  source: string;
  status: string;
  parameters: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  counts: { pages: number; fetched: number; inserted: number; updated: number; unchanged: number; quarantined: number };
  errors: { at: string; message: string; code: string | null }[];
  timings: { phase: string; ms: number }[];
};
type RunPage = {
  totalCount: number;
  edges: { cursor: string; node: RunNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

let gw: TestGateway;
/** Run ids by name, as inserted. */
const runs: Record<string, number> = {};

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  gw = await startTestGateway();
  const db = gw.database.db;
  const inserted = await db
    .insert(ingestRuns)
    .values([
      {
        source: 'ebay-browse',
        scope: 'cat=9355',
        parameters: { q: 'iphone', categoryId: '9355' },
        status: 'SUCCEEDED',
        startedAt: at('2026-06-01T10:00:00Z'),
        finishedAt: at('2026-06-01T10:02:30Z'),
        heartbeatAt: at('2026-06-01T10:02:30Z'),
        pages: 3,
        fetched: 600,
        inserted: 590,
        updated: 5,
        unchanged: 2,
        quarantined: 3,
        errors: [{ at: '2026-06-01T10:01:00.000Z', message: 'HTTP 429, retried after 2 s', code: 'HTTP_429' }],
        timings: { fetch: 120000, core: 25000.5, total: 150000 },
      },
      {
        source: 'ebay-browse',
        scope: 'q=iphone',
        parameters: { q: 'iphone' },
        status: 'FAILED',
        startedAt: at('2026-06-02T10:00:00Z'),
        finishedAt: at('2026-06-02T10:00:05Z'),
        heartbeatAt: at('2026-06-02T10:00:05Z'),
        errors: [{ at: '2026-06-02T10:00:05.000Z', message: 'token refresh failed' }],
      },
      {
        source: 'keepa',
        parameters: { asins: ['B000000001'] },
        status: 'RUNNING',
        startedAt: at('2026-06-02T11:00:00Z'),
        heartbeatAt: at('2026-06-02T11:00:30Z'),
        pages: 1,
        fetched: 1,
      },
      // Same start as the keepa run: the id breaks the tie.
      {
        source: 'file',
        scope: 'file:sales.csv',
        parameters: { path: 'sales.csv' },
        status: 'SUCCEEDED',
        startedAt: at('2026-06-02T11:00:00Z'),
        finishedAt: at('2026-06-02T11:00:01Z'),
      },
    ])
    .returning({ id: ingestRuns.id });
  const ids = inserted.map((row) => row.id);
  [runs.browseOk, runs.browseFailed, runs.keepa, runs.file] = ids as [number, number, number, number];
  const [raw] = await db
    .insert(stagingRaw)
    .values({
      source: 'ebay-browse',
      endpoint: '/buy/browse/v1/item_summary/search',
      status: 200,
      checksum: 'c1',
      body: '{}',
      runId: runs.browseOk,
    })
    .returning({ id: stagingRaw.id });
  await db.insert(ingestQuarantine).values(
    ['INVALID_GTIN', 'UNKNOWN_CURRENCY', 'MISSING_PRICE'].map((code, i) => ({
      runId: runs.browseOk as number,
      rawId: raw?.id,
      source: 'ebay-browse',
      locator: `itemSummaries[${i}]`,
      code,
      reason: `reason ${i}`,
      record: { itemId: `v1|${i}|0` },
    })),
  );
  await db.insert(ingestQuarantine).values({
    runId: runs.file as number,
    source: 'file',
    locator: 'line 7',
    code: 'BAD_DATE',
    reason: 'soldAt "yesterday" is not ISO-8601',
  });
  await db.insert(ingestWatermarks).values([
    {
      source: 'ebay-browse',
      scope: 'q=iphone',
      value: '2026-06-01T10:00:00Z',
      runId: runs.browseOk,
      updatedAt: at('2026-06-01T10:02:30Z'),
    },
    {
      source: 'ebay-browse',
      scope: 'cat=9355',
      value: '2026-05-30T00:00:00Z',
      runId: runs.browseOk,
      updatedAt: at('2026-06-01T10:02:30Z'),
    },
  ]);
});
afterAll(() => gw.stop());

const RUNS = /* GraphQL */ `
  query Runs($filter: IngestRunFilter, $first: Int, $after: String) {
    ingestRuns(filter: $filter, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          source
          status
          parameters
          startedAt
          finishedAt
          durationMs
          counts {
            pages
            fetched
            inserted
            updated
            unchanged
            quarantined
          }
          errors {
            at
            message
            code
          }
          timings {
            phase
            ms
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

describe('ingestRuns', () => {
  it('lists runs newest first with counts, errors, timings and duration', async () => {
    const { body } = await gw.execute<{ ingestRuns: RunPage }>(RUNS, {});
    expect(body.errors).toBeUndefined();
    const page = body.data?.ingestRuns;
    expect(page?.totalCount).toBe(4);
    expect(page?.edges.map((e) => Number(e.node.id))).toEqual([
      runs.file,
      runs.keepa,
      runs.browseFailed,
      runs.browseOk,
    ]);
    const ok = page?.edges[3]?.node;
    expect(ok).toMatchObject({
      source: 'ebay-browse',
      status: 'SUCCEEDED',
      startedAt: '2026-06-01T10:00:00.000Z',
      finishedAt: '2026-06-01T10:02:30.000Z',
      durationMs: 150_000,
      counts: { pages: 3, fetched: 600, inserted: 590, updated: 5, unchanged: 2, quarantined: 3 },
      errors: [{ at: '2026-06-01T10:01:00.000Z', message: 'HTTP 429, retried after 2 s', code: 'HTTP_429' }],
      timings: [
        { phase: 'fetch', ms: 120000 },
        { phase: 'core', ms: 25000.5 },
        { phase: 'total', ms: 150000 },
      ],
    });
    expect(JSON.parse(ok?.parameters ?? '')).toEqual({ q: 'iphone', categoryId: '9355' });
    const running = page?.edges[1]?.node;
    expect(running).toMatchObject({ status: 'RUNNING', finishedAt: null, durationMs: null });
    expect(page?.edges[2]?.node.errors).toEqual([
      { at: '2026-06-02T10:00:05.000Z', message: 'token refresh failed', code: null },
    ]);
  });

  it('filters by source and status', async () => {
    const bySource = await gw.execute<{ ingestRuns: RunPage }>(RUNS, { filter: { source: ['ebay-browse'] } });
    expect(bySource.body.data?.ingestRuns.edges.map((e) => Number(e.node.id))).toEqual([
      runs.browseFailed,
      runs.browseOk,
    ]);
    const both = await gw.execute<{ ingestRuns: RunPage }>(RUNS, {
      filter: { source: ['ebay-browse', 'file'], status: ['SUCCEEDED'] },
    });
    expect(both.body.data?.ingestRuns.edges.map((e) => Number(e.node.id))).toEqual([runs.file, runs.browseOk]);
    expect(both.body.data?.ingestRuns.totalCount).toBe(2);
    const none = await gw.execute<{ ingestRuns: RunPage }>(RUNS, { filter: { source: ['ebay-insights'] } });
    expect(none.body.data?.ingestRuns).toMatchObject({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('pages with cursors without skipping or repeating runs', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const { body }: { body: { data?: { ingestRuns: RunPage } | null } } = await gw.execute<{ ingestRuns: RunPage }>(
        RUNS,
        { first: 3, after },
      );
      const page: RunPage | undefined = body.data?.ingestRuns;
      seen.push(...(page?.edges.map((e) => Number(e.node.id)) ?? []));
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([runs.file, runs.keepa, runs.browseFailed, runs.browseOk]);
  });

  it('refuses bad page sizes, foreign cursors and bad ids with BAD_USER_INPUT', async () => {
    const big = await gw.execute(RUNS, { first: 101 });
    expect(big.body.errors?.[0]).toMatchObject({
      message: 'first must be between 0 and 100, got 101',
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    const products = await gw.execute<{ products: { pageInfo: { endCursor: string } } }>(
      '{ products(first: 1) { pageInfo { endCursor } } }',
    );
    const foreign = products.body.data?.products.pageInfo.endCursor;
    const wrong = await gw.execute(RUNS, { after: foreign });
    expect(wrong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(wrong.body.errors?.[0]?.message).toMatch(
      /belongs to a different ordering \(products:ID:ASC, expected ingestRuns:STARTED_AT:DESC\)/,
    );
    const id = await gw.execute('{ ingestRun(id: "run-1") { id } }');
    expect(id.body.errors?.[0]).toMatchObject({
      message: 'id must be a positive integer id up to 2147483647 such as "42", got "run-1"',
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
    const status = await gw.post(RUNS, { filter: { status: ['DONE'] } });
    expect(status.status).toBe(400);
    expect(status.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('ingestRun', () => {
  const QUARANTINE = /* GraphQL */ `
    query Run($id: ID!, $first: Int, $after: String) {
      ingestRun(id: $id) {
        id
        source
        quarantine(first: $first, after: $after) {
          totalCount
          nodes {
            code
            reason
            locator
            rawId
            record
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  `;
  type QuarantineRun = {
    ingestRun: {
      quarantine: {
        totalCount: number;
        nodes: { code: string; reason: string; locator: string; rawId: string | null; record: string | null }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } | null;
  };

  it('returns one run with its quarantined records, in the order they were set aside, page by page', async () => {
    const first = await gw.execute<QuarantineRun>(QUARANTINE, { id: String(runs.browseOk), first: 2 });
    expect(first.body.errors).toBeUndefined();
    const quarantine = first.body.data?.ingestRun?.quarantine;
    expect(quarantine?.totalCount).toBe(3);
    expect(quarantine?.nodes.map((n) => n.code)).toEqual(['INVALID_GTIN', 'UNKNOWN_CURRENCY']);
    expect(quarantine?.nodes[0]).toMatchObject({ locator: 'itemSummaries[0]', reason: 'reason 0' });
    expect(quarantine?.nodes[0]?.rawId).toMatch(/^\d+$/);
    expect(JSON.parse(quarantine?.nodes[0]?.record ?? '')).toEqual({ itemId: 'v1|0|0' });
    expect(quarantine?.pageInfo.hasNextPage).toBe(true);
    const rest = await gw.execute<QuarantineRun>(QUARANTINE, {
      id: String(runs.browseOk),
      first: 2,
      after: quarantine?.pageInfo.endCursor,
    });
    expect(rest.body.data?.ingestRun?.quarantine.nodes.map((n) => n.code)).toEqual(['MISSING_PRICE']);
    expect(rest.body.data?.ingestRun?.quarantine.pageInfo.hasNextPage).toBe(false);
  });

  it('returns null for an unknown id', async () => {
    const { body } = await gw.execute<QuarantineRun>(QUARANTINE, { id: '999999' });
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestRun).toBeNull();
  });

  it('batches quarantine pages of every run on a page into one statement', async () => {
    const { body, statements } = await gw.execute<{
      ingestRuns: { nodes: { quarantine: { totalCount: number; nodes: { code: string }[] } }[] };
    }>(`{
      ingestRuns(first: 10) { nodes { quarantine(first: 1) { totalCount nodes { code } } } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestRuns.nodes.map((n) => n.quarantine.totalCount)).toEqual([1, 0, 0, 3]);
    expect(body.data?.ingestRuns.nodes.map((n) => n.quarantine.nodes.map((q) => q.code))).toEqual([
      ['BAD_DATE'],
      [],
      [],
      ['INVALID_GTIN'],
    ]);
    // runs, quarantine pages, quarantine counts.
    expect(statements).toBe(3);
  });

  it('resolves federation references through the loader', async () => {
    const { body, statements } = await gw.execute<{ _entities: { source: string }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on IngestRun { source } } }',
      {
        r: [
          { __typename: 'IngestRun', id: String(runs.keepa) },
          { __typename: 'IngestRun', id: String(runs.file) },
        ],
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?._entities.map((e) => e.source)).toEqual(['keepa', 'file']);
    expect(statements).toBe(1);
  });
});

describe('ingestSources', () => {
  it("reports each source's latest run, last success and watermarks", async () => {
    const { body, statements } = await gw.execute<{
      ingestSources: {
        source: string;
        lastRunAt: string;
        lastRunStatus: string;
        lastSuccessfulRunAt: string | null;
        counts: { fetched: number; quarantined: number };
        lastRun: { id: string };
        watermarks: { scope: string; value: string; updatedAt: string }[];
      }[];
    }>(`{
      ingestSources {
        source lastRunAt lastRunStatus lastSuccessfulRunAt
        counts { fetched quarantined } lastRun { id }
        watermarks { scope value updatedAt }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestSources).toEqual([
      {
        source: 'ebay-browse',
        lastRunAt: '2026-06-02T10:00:00.000Z',
        lastRunStatus: 'FAILED',
        lastSuccessfulRunAt: '2026-06-01T10:02:30.000Z',
        counts: { fetched: 0, quarantined: 0 },
        lastRun: { id: String(runs.browseFailed) },
        watermarks: [
          { scope: 'cat=9355', value: '2026-05-30T00:00:00Z', updatedAt: '2026-06-01T10:02:30.000Z' },
          { scope: 'q=iphone', value: '2026-06-01T10:00:00Z', updatedAt: '2026-06-01T10:02:30.000Z' },
        ],
      },
      {
        source: 'file',
        lastRunAt: '2026-06-02T11:00:00.000Z',
        lastRunStatus: 'SUCCEEDED',
        lastSuccessfulRunAt: '2026-06-02T11:00:01.000Z',
        counts: { fetched: 0, quarantined: 0 },
        lastRun: { id: String(runs.file) },
        watermarks: [],
      },
      {
        source: 'keepa',
        lastRunAt: '2026-06-02T11:00:00.000Z',
        lastRunStatus: 'RUNNING',
        lastSuccessfulRunAt: null,
        counts: { fetched: 1, quarantined: 0 },
        lastRun: { id: String(runs.keepa) },
        watermarks: [],
      },
    ]);
    // sources with their latest runs, watermarks of all of them.
    expect(statements).toBe(2);
  });

  it('reports each scope apart, so a failing search does not hide another that is fresh', async () => {
    const { body, statements } = await gw.execute<{
      ingestSources: { source: string; lastRunStatus: string; scopes: unknown[] }[];
    }>(`{
      ingestSources {
        source lastRunStatus
        scopes { scope lastRunAt lastRunStatus lastSuccessfulRunAt counts { fetched } lastRun { id scope } watermark { value } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestSources).toEqual([
      {
        source: 'ebay-browse',
        // The source's latest run failed; its other scope is still fresh.
        lastRunStatus: 'FAILED',
        scopes: [
          {
            scope: 'cat=9355',
            lastRunAt: '2026-06-01T10:00:00.000Z',
            lastRunStatus: 'SUCCEEDED',
            lastSuccessfulRunAt: '2026-06-01T10:02:30.000Z',
            counts: { fetched: 600 },
            lastRun: { id: String(runs.browseOk), scope: 'cat=9355' },
            watermark: { value: '2026-05-30T00:00:00Z' },
          },
          {
            scope: 'q=iphone',
            lastRunAt: '2026-06-02T10:00:00.000Z',
            lastRunStatus: 'FAILED',
            lastSuccessfulRunAt: null,
            counts: { fetched: 0 },
            lastRun: { id: String(runs.browseFailed), scope: 'q=iphone' },
            watermark: { value: '2026-06-01T10:00:00Z' },
          },
        ],
      },
      {
        source: 'file',
        lastRunStatus: 'SUCCEEDED',
        scopes: [
          {
            scope: 'file:sales.csv',
            lastRunAt: '2026-06-02T11:00:00.000Z',
            lastRunStatus: 'SUCCEEDED',
            lastSuccessfulRunAt: '2026-06-02T11:00:01.000Z',
            counts: { fetched: 0 },
            lastRun: { id: String(runs.file), scope: 'file:sales.csv' },
            watermark: null,
          },
        ],
      },
      // A run from before scopes were recorded belongs to none.
      { source: 'keepa', lastRunStatus: 'RUNNING', scopes: [] },
    ]);
    // Sources, the scopes of all of them, the watermarks of all of them.
    expect(statements).toBe(3);
  });

  it('filters runs by scope', async () => {
    const { body } = await gw.execute<{ ingestRuns: { nodes: { id: string }[] } }>(
      '{ ingestRuns(filter: { scope: ["cat=9355", "file:sales.csv"] }) { nodes { id } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.ingestRuns.nodes.map((run) => run.id)).toEqual([String(runs.file), String(runs.browseOk)]);
  });
});
