import { asc, desc, gte } from 'drizzle-orm';
import pino from 'pino';
import type { Database } from '../../../db/client';
import { ingestRuns } from '../../../db/schema';
import { openTestDatabase } from '../../../test/support/database';
import { startInProcessScheduler, type RunningScheduler } from '../in-process';
import { parseSchedules } from '../schedules';
import { createTestSource, jobsFor, waitFor } from './test-source';

let database: Database;
let scheduler: RunningScheduler | undefined;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  database = await openTestDatabase();
});
/** Runs of earlier tests stay in the database; each test reads only the runs after this id. */
let firstRunId = 0;
beforeEach(async () => {
  const [last] = await database.db.select({ id: ingestRuns.id }).from(ingestRuns).orderBy(desc(ingestRuns.id)).limit(1);
  firstRunId = (last?.id ?? 0) + 1;
});
afterEach(async () => {
  await scheduler?.stop(1_000);
  scheduler = undefined;
});
afterAll(() => database.close());

const testRuns = () =>
  database.db.select().from(ingestRuns).where(gte(ingestRuns.id, firstRunId)).orderBy(asc(ingestRuns.id));
const runStatuses = async () => (await testRuns()).map((r) => r.status);

function start(
  test: ReturnType<typeof createTestSource>,
  schedule: Record<string, unknown>,
  retry = { attempts: 1, backoff: '10ms' },
) {
  const config = parseSchedules({ schedules: [{ name: 'test', source: test.source.name, ...schedule }], retry });
  return startWith(test, config);
}

function startWith(test: ReturnType<typeof createTestSource>, config: ReturnType<typeof parseSchedules>) {
  const jobs = jobsFor(database.db, test.source);
  const events = { skipped: 0, failed: [] as { attempt: number; retryInMs: number | null }[], succeeded: 0 };
  scheduler = startInProcessScheduler({
    config,
    jobs,
    logger,
    events: {
      skipped: () => (events.skipped += 1),
      failed: (_s, _e, attempt, retryInMs) => events.failed.push({ attempt, retryInMs }),
      succeeded: () => (events.succeeded += 1),
    },
  });
  return events;
}

describe('in-process scheduler', () => {
  it('runs an interval schedule at start and again each interval, through the pipeline', async () => {
    const test = createTestSource();
    const events = start(test, { every: '50ms' });
    await waitFor('two successful runs', () => events.succeeded >= 2);
    expect(test.state.calls).toBeGreaterThanOrEqual(2);
    const statuses = await runStatuses();
    expect(statuses.slice(0, 2)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('never overlaps runs of the same source and scope: ticks during a run are skipped', async () => {
    const test = createTestSource('test-source', { gated: true });
    const events = start(test, { every: '20ms' });
    await waitFor('three skipped ticks', () => events.skipped >= 3);
    expect(test.state.calls).toBe(1);
    test.release();
    await waitFor('the next run after the held one', () => events.succeeded >= 2);
    expect(test.state.maxActive).toBe(1);
  });

  it('retries a failed run with exponential backoff', async () => {
    const test = createTestSource('test-source', { failFirst: 2 });
    const events = start(test, { every: '1h' }, { attempts: 3, backoff: '10ms' });
    await waitFor('a successful third attempt', () => events.succeeded === 1);
    expect(events.failed).toEqual([
      { attempt: 1, retryInMs: 10 },
      { attempt: 2, retryInMs: 20 },
    ]);
    expect(await runStatuses()).toEqual(['FAILED', 'FAILED', 'SUCCEEDED']);
  });

  it('gives up after the last attempt and waits for the next tick', async () => {
    const test = createTestSource('test-source', { failFirst: 5 });
    const events = start(test, { every: '1h' }, { attempts: 2, backoff: '10ms' });
    await waitFor('two failed attempts', () => events.failed.length === 2);
    expect(events.failed.at(-1)).toEqual({ attempt: 2, retryInMs: null });
    expect(test.state.calls).toBe(2);
  });

  it('does not retry a schedule naming an unknown source', async () => {
    const test = createTestSource();
    const config = parseSchedules({
      schedules: [{ name: 'typo', source: 'ebay-brwose', every: '1h' }],
      retry: { attempts: 3, backoff: '10ms' },
    });
    const events = startWith(test, config);
    await waitFor('the failed attempt', () => events.failed.length === 1);
    expect(events.failed).toEqual([{ attempt: 1, retryInMs: null }]);
  });

  it('on stop, aborts a run still going after the grace period; the run ends FAILED with ABORTED', async () => {
    const test = createTestSource('test-source', { gated: true });
    start(test, { every: '1h' });
    await waitFor('the run to start', () => test.state.active === 1);
    await scheduler?.stop(20);
    scheduler = undefined;
    const [run] = await testRuns();
    expect(run?.status).toBe('FAILED');
    expect(run?.errors.map((e) => e.code)).toContain('ABORTED');
  });
});
