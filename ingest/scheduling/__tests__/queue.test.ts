import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { asc, desc, gte } from 'drizzle-orm';
import pino from 'pino';
import type { Database } from '../../../db/client';
import { ingestRuns } from '../../../db/schema';
import { openTestDatabase } from '../../../test/support/database';
import { type RunningQueueWorker, startQueueWorker } from '../queue';
import { parseSchedules } from '../schedules';
import { createTestSource, jobsFor, waitFor } from './test-source';

const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;
if (!redisUrl) console.warn('queue.test.ts: REDIS_URL is unset, so the BullMQ tests are skipped');

const logger = pino({ level: 'silent' });
let database: Database;
let workers: RunningQueueWorker[] = [];
let firstRunId = 0;

beforeAll(async () => {
  database = await openTestDatabase();
});
beforeEach(async () => {
  const [last] = await database.db.select({ id: ingestRuns.id }).from(ingestRuns).orderBy(desc(ingestRuns.id)).limit(1);
  firstRunId = (last?.id ?? 0) + 1;
});
afterEach(async () => {
  const queue = workers[0]?.queue;
  await Promise.all(workers.map((w) => w.stop(1_000)));
  workers = [];
  if (queue) {
    // The workers closed their queues; a fresh handle on the same prefix removes every key.
    const { Queue } = await import('bullmq');
    const cleanup = new Queue(queue.name, { connection: { url: redisUrl }, prefix: queue.opts.prefix });
    await cleanup.obliterate({ force: true });
    await cleanup.close();
  }
});
afterAll(() => database?.close());

const testRuns = () =>
  database.db.select().from(ingestRuns).where(gte(ingestRuns.id, firstRunId)).orderBy(asc(ingestRuns.id));

type Settled = { schedule: string; status: 'SUCCEEDED' | 'FAILED'; attempt: number; willRetry: boolean };

/** Starts `count` workers (as if on as many machines) sharing one queue under a fresh prefix. */
async function startWorkers(
  test: ReturnType<typeof createTestSource>,
  count: number,
  retry = { attempts: 1, backoff: '10ms' },
) {
  const prefix = `soldgraph-test-${randomBytes(6).toString('hex')}`;
  const config = parseSchedules({
    schedules: [{ name: 'hourly', source: test.source.name, options: { scope: 'phones' }, every: '1h' }],
    retry,
    limiter: { max: 100, per: '1s' },
  });
  const settled: Settled[] = [];
  for (let i = 0; i < count; i += 1) {
    const jobs = jobsFor(database.db, test.source);
    workers.push(
      await startQueueWorker({
        redisUrl: redisUrl ?? '',
        prefix,
        config,
        jobs,
        logger,
        onRunSettled: (event) => settled.push(event),
      }),
    );
  }
  return settled;
}

/** True when nothing is waiting, running or about to retry: only the scheduler's next trigger (an hour away) is left. */
async function idle(worker: RunningQueueWorker): Promise<boolean> {
  const counts = await worker.queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
  return counts.waiting === 0 && counts.active === 0 && counts.prioritized === 0 && (counts.delayed ?? 0) <= 1;
}

describeWithRedis('BullMQ workers', () => {
  it('run a scheduled job once when two workers share the queue', async () => {
    const test = createTestSource();
    const settled = await startWorkers(test, 2);
    await waitFor('the scheduled run to finish', () => settled.length >= 1);
    const first = workers[0];
    if (!first) throw new Error('no worker');
    await waitFor('the queue to go idle', () => idle(first));
    expect(settled).toEqual([{ schedule: 'hourly', status: 'SUCCEEDED', attempt: 1, willRetry: false }]);
    expect(test.state.calls).toBe(1);
    expect((await testRuns()).map((r) => [r.source, r.status])).toEqual([['test-source', 'SUCCEEDED']]);
    expect(await first.queue.getJobSchedulersCount()).toBe(1);
  });

  it('de-duplicates by job id: a trigger while the same source and scope runs adds nothing', async () => {
    const test = createTestSource('test-source', { gated: true });
    const settled = await startWorkers(test, 2);
    await waitFor('the scheduled run to start', () => test.state.active === 1);
    const first = workers[0];
    if (!first) throw new Error('no worker');
    const events = new QueueEvents(first.queue.name, {
      connection: { url: redisUrl },
      prefix: first.queue.opts.prefix,
    });
    try {
      await events.waitUntilReady();
      // As if the scheduler fired again on other machines while the run goes on.
      const triggers = await Promise.all(
        [1, 2].map(() =>
          first.queue.add('trigger', { name: 'hourly', source: test.source.name, options: { scope: 'phones' } }),
        ),
      );
      const results = await Promise.all(triggers.map((job) => job.waitUntilFinished(events, 15_000)));
      expect(results).toEqual([
        { skipped: expect.stringMatching(/^run-test-source-/) },
        { skipped: expect.stringMatching(/^run-test-source-/) },
      ]);
    } finally {
      await events.close();
    }
    expect(test.state.calls).toBe(1);
    test.release();
    await waitFor('the run to finish', () => settled.length >= 1);
    await waitFor('the queue to go idle', () => idle(first));
    expect(test.state).toMatchObject({ calls: 1, maxActive: 1 });
    expect((await testRuns()).map((r) => r.status)).toEqual(['SUCCEEDED']);
  });

  it('retries a failed run with exponential backoff, then succeeds', async () => {
    const test = createTestSource('test-source', { failFirst: 2 });
    const settled = await startWorkers(test, 2, { attempts: 3, backoff: '20ms' });
    await waitFor('a successful attempt', () => settled.some((s) => s.status === 'SUCCEEDED'));
    expect(settled).toEqual([
      { schedule: 'hourly', status: 'FAILED', attempt: 1, willRetry: true },
      { schedule: 'hourly', status: 'FAILED', attempt: 2, willRetry: true },
      { schedule: 'hourly', status: 'SUCCEEDED', attempt: 3, willRetry: false },
    ]);
    expect((await testRuns()).map((r) => r.status)).toEqual(['FAILED', 'FAILED', 'SUCCEEDED']);
    const failed = (await testRuns())[0];
    expect(failed?.errors.at(-1)?.message).toBe('the fake API is down');
  });
});
