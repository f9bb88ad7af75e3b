import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { type IngestJobs, PermanentJobError } from './jobs';
import type { Schedule, ScheduleConfig } from './schedules';

/** Job names on the ingest queue. */
const TRIGGER = 'trigger';
const RUN = 'run';

/** What a job carries: the schedule itself, so every worker runs it the same whatever its own file says. */
type JobData = Pick<Schedule, 'name' | 'source' | 'options'>;

export type QueueWorkerOptions = {
  redisUrl: string;
  /** Namespaces every Redis key of the queue (BullMQ's `prefix`). */
  prefix: string;
  queueName?: string;
  config: ScheduleConfig;
  jobs: IngestJobs;
  logger: Logger;
  /** Runs this worker processes at once (different sources and scopes only). */
  concurrency?: number;
  /** Called when a run job settles, for tests and metrics. */
  onRunSettled?: (event: {
    schedule: string;
    status: 'SUCCEEDED' | 'FAILED';
    attempt: number;
    willRetry: boolean;
  }) => void;
};

/** A connected worker; `stop` lets running jobs finish for `graceMs`, then aborts them so another worker retries. */
export type RunningQueueWorker = {
  queue: Queue<JobData>;
  worker: Worker<JobData>;
  stop(graceMs?: number): Promise<void>;
};

/**
 * Shares schedules between workers on any number of machines through BullMQ.
 *
 * Each schedule is a BullMQ job scheduler producing `trigger` jobs on its interval or cron
 * pattern. A trigger adds a `run` job whose id is the schedule's source-and-scope key: while
 * one run of that key waits, runs or waits for a retry, adding another is a no-op (BullMQ
 * ignores a job id that exists), so the same source and scope never run twice at once. Run
 * jobs retry with exponential backoff and are removed once settled, freeing the id; the run
 * record stays in `ingest_runs`. The queue's limiter bounds how many jobs start per period
 * across all workers.
 * @example const running = await startQueueWorker({ redisUrl, prefix: 'soldgraph', config, jobs, logger });
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<RunningQueueWorker> {
  const { config, jobs, logger } = options;
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const name = options.queueName ?? 'ingest';
  const queue = new Queue<JobData>(name, { connection, prefix: options.prefix });

  await syncSchedulers(queue, config.schedules, logger);

  const worker = new Worker<JobData>(
    name,
    async (job: Job<JobData>, _token?: string, signal?: AbortSignal) => {
      if (job.name === TRIGGER) return enqueueRun(queue, job.data, config, jobs, logger);
      const summary = await jobs.run(job.data, signal ?? new AbortController().signal).catch((error: unknown) => {
        // BullMQ fails an UnrecoverableError at once instead of spending the remaining attempts.
        throw error instanceof PermanentJobError ? new UnrecoverableError(error.message) : error;
      });
      logger.info({ schedule: job.data.name, runId: summary.runId, counts: summary.counts }, 'run succeeded');
      return { runId: summary.runId };
    },
    {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
      limiter: { max: config.limiter.max, duration: config.limiter.per },
    },
  );
  worker.on('completed', (job) => {
    if (job.name === RUN)
      options.onRunSettled?.({
        schedule: job.data.name,
        status: 'SUCCEEDED',
        attempt: job.attemptsMade,
        willRetry: false,
      });
  });
  worker.on('failed', (job, error) => {
    if (!job || job.name !== RUN) return;
    const willRetry = job.attemptsMade < (job.opts.attempts ?? 1);
    logger.warn({ schedule: job.data.name, attempt: job.attemptsMade, willRetry, err: error }, 'run failed');
    options.onRunSettled?.({ schedule: job.data.name, status: 'FAILED', attempt: job.attemptsMade, willRetry });
  });
  worker.on('error', (error) => logger.error({ err: error }, 'queue worker error'));
  await worker.waitUntilReady();
  logger.info(
    { queue: name, prefix: options.prefix, schedules: config.schedules.map((s) => s.name) },
    'queue worker started',
  );

  return {
    queue,
    worker,
    async stop(graceMs = 30_000) {
      const closing = worker.close();
      const grace = setTimeout(() => worker.cancelAllJobs('worker shutting down'), graceMs);
      await closing;
      clearTimeout(grace);
      await queue.close();
    },
  };
}

/**
 * Makes the queue's job schedulers match the configuration: upserts every schedule (the same
 * call from every worker is harmless) and removes schedulers no longer configured.
 */
async function syncSchedulers(queue: Queue<JobData>, schedules: Schedule[], logger: Logger) {
  const wanted = new Set(schedules.map((s) => s.name));
  for (const existing of await queue.getJobSchedulers()) {
    const id = existing.id ?? existing.key;
    if (!wanted.has(id)) {
      await queue.removeJobScheduler(id);
      logger.info({ schedule: id }, 'removed a schedule no longer configured');
    }
  }
  for (const schedule of schedules) {
    const repeat =
      schedule.every !== undefined ? { every: schedule.every } : { pattern: schedule.cron, tz: schedule.timeZone };
    await queue.upsertJobScheduler(schedule.name, repeat, {
      name: TRIGGER,
      data: { name: schedule.name, source: schedule.source, options: schedule.options },
      opts: { removeOnComplete: true, removeOnFail: 100 },
    });
  }
}

/** A trigger's work: add the run job under its no-overlap key, unless one is already there. */
async function enqueueRun(
  queue: Queue<JobData>,
  data: JobData,
  config: ScheduleConfig,
  jobs: IngestJobs,
  logger: Logger,
) {
  let jobId: string;
  try {
    jobId = jobs.keyOf(data);
  } catch (error) {
    // Unknown source or refused options: no retry helps, and a failed trigger is otherwise silent.
    logger.error({ schedule: data.name, err: error }, 'schedule cannot run');
    throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
  }
  if (await queue.getJob(jobId)) {
    logger.info({ schedule: data.name, jobId }, 'skipped: a run of the same source and scope is queued or running');
    return { skipped: jobId };
  }
  await queue.add(RUN, data, {
    jobId,
    attempts: config.retry.attempts,
    backoff: { type: 'exponential', delay: config.retry.backoff },
    removeOnComplete: true,
    removeOnFail: true,
  });
  return { enqueued: jobId };
}
