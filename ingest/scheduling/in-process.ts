import type { Logger } from 'pino';
import { type IngestJobs, PermanentJobError } from './jobs';
import { nextFireTime, type Schedule, type ScheduleConfig } from './schedules';

/** What the in-process scheduler reports, for logs and tests. */
export type SchedulerEvents = {
  started?(schedule: Schedule, attempt: number): void;
  succeeded?(schedule: Schedule, runId: number): void;
  /** An attempt failed; `retryInMs` is null when no attempts are left. */
  failed?(schedule: Schedule, error: unknown, attempt: number, retryInMs: number | null): void;
  /** The schedule fired while a run with the same source and scope was still going. */
  skipped?(schedule: Schedule): void;
};

export type InProcessSchedulerOptions = {
  config: ScheduleConfig;
  jobs: IngestJobs;
  logger: Logger;
  events?: SchedulerEvents;
  now?: () => Date;
};

/** A running scheduler; `stop` lets running jobs finish for `graceMs`, then aborts them. */
export type RunningScheduler = { stop(graceMs?: number): Promise<void> };

/** setTimeout's limit (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs schedules on timers in this process (no Redis). Interval schedules run at start and
 * then every interval; cron schedules at their times. The same rule as the queue holds:
 * a schedule that fires while a run of the same source and scope is going is skipped, and
 * a failed run is retried `config.retry.attempts` times with exponential backoff.
 * @example const scheduler = startInProcessScheduler({ config, jobs, logger }); await scheduler.stop();
 */
export function startInProcessScheduler(options: InProcessSchedulerOptions): RunningScheduler {
  const { config, jobs, logger, events = {} } = options;
  const now = options.now ?? (() => new Date());
  const timers = new Set<NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const abort = new AbortController();
  let stopped = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function runWithRetries(schedule: Schedule) {
    const { attempts, backoff } = config.retry;
    for (let attempt = 1; attempt <= attempts && !abort.signal.aborted; attempt += 1) {
      events.started?.(schedule, attempt);
      logger.info({ schedule: schedule.name, source: schedule.source, attempt }, 'run started');
      try {
        const summary = await jobs.run(schedule, abort.signal);
        events.succeeded?.(schedule, summary.runId);
        logger.info({ schedule: schedule.name, runId: summary.runId, counts: summary.counts }, 'run succeeded');
        return;
      } catch (error) {
        const retryable = attempt < attempts && !abort.signal.aborted && !(error instanceof PermanentJobError);
        const retryInMs = retryable ? backoff * 2 ** (attempt - 1) : null;
        events.failed?.(schedule, error, attempt, retryInMs);
        logger.warn({ schedule: schedule.name, attempt, retryInMs, err: error }, 'run failed');
        if (retryInMs === null) return;
        await sleep(retryInMs);
      }
    }
  }

  function fire(schedule: Schedule) {
    let key: string;
    try {
      key = jobs.keyOf(schedule);
    } catch (error) {
      events.failed?.(schedule, error, 1, null);
      logger.error({ schedule: schedule.name, err: error }, 'schedule cannot run');
      return;
    }
    if (running.has(key)) {
      events.skipped?.(schedule);
      logger.info({ schedule: schedule.name, key }, 'skipped: a run of the same source and scope is still going');
      return;
    }
    const run = runWithRetries(schedule).finally(() => running.delete(key));
    running.set(key, run);
  }

  function arm(schedule: Schedule, due: Date) {
    if (stopped) return;
    const wait = due.getTime() - now().getTime();
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (wait > MAX_TIMER_MS) return arm(schedule, due);
        fire(schedule);
        arm(schedule, nextFireTime(schedule, due.getTime() < now().getTime() ? now() : due));
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    timers.add(timer);
  }

  // Interval schedules start with a run, as BullMQ's `every` schedulers do; cron waits for its time.
  for (const schedule of config.schedules) {
    arm(schedule, schedule.every !== undefined ? now() : nextFireTime(schedule, now()));
  }
  logger.info({ schedules: config.schedules.map((s) => s.name) }, 'in-process scheduler started');

  return {
    async stop(graceMs = 30_000) {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const all = Promise.all(running.values());
      let grace: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        grace = setTimeout(() => resolve('expired'), graceMs);
      });
      if ((await Promise.race([all, expired])) === 'expired') {
        logger.warn({ running: [...running.keys()] }, 'grace period over: aborting running jobs');
        abort.abort(new Error('worker shutting down'));
        await all;
      }
      clearTimeout(grace);
    },
  };
}
