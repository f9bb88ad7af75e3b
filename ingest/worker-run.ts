/**
 * The worker once its arguments are good (./worker.ts answers `--help` without loading this,
 * the sources or the database drivers).
 */
import pino from 'pino';
import { type Env, InvalidEnvironmentError, parseEnv } from '../lib/env';
import { openDatabase, selectRows } from '../db/client';
import { maintainPartitions } from '../db/partitions';
import { abandonDeadRuns } from './pipeline/runs';
import { createEntityCache } from '../lib/cache';
import { CORE_TRANSACTIONS_IN_FLIGHT } from './pipeline/transaction';
import { startInProcessScheduler } from './scheduling/in-process';
import { createIngestJobs } from './scheduling/jobs';
import { startQueueWorker } from './scheduling/queue';
import { InvalidSchedulesError, loadSchedules, type ScheduleConfig } from './scheduling/schedules';
import { sources } from './sources';

/** Running runs get this long to finish after SIGTERM, inside the 10 s Docker and most supervisors allow. */
const SHUTDOWN_GRACE_MS = 8_000;

/**
 * How often the worker makes the history partitions that came due (db/partitions.ts): months
 * are made three ahead, so a daily pass keeps each month's writes in a partition of its own.
 */
const PARTITION_MAINTENANCE_MS = 24 * 3_600_000;

/** Every key under which BullMQ keeps the queue; a separate environment sharing one Redis uses another database number in REDIS_URL. */
const QUEUE_PREFIX = 'soldgraph';

class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

function loadConfiguration(): { env: Env; config: ScheduleConfig } {
  try {
    const env = parseEnv();
    const config = loadSchedules(env.INGEST_SCHEDULES);
    const unknown = config.schedules.filter((schedule) => !sources[schedule.source]);
    if (unknown.length > 0) {
      const names = unknown.map((s) => `"${s.name}" names source "${s.source}"`).join('; ');
      throw new ConfigurationError(
        `${env.INGEST_SCHEDULES}: ${names}; known sources: ${Object.keys(sources).join(', ')}`,
      );
    }
    return { env, config };
  } catch (error) {
    if (error instanceof InvalidEnvironmentError || error instanceof InvalidSchedulesError)
      throw new ConfigurationError(error.message);
    throw error;
  }
}

/** Starts the worker: exit code 2 for a bad configuration; runs until SIGTERM or SIGINT. */
export async function runWorker(): Promise<void> {
  let configuration: { env: Env; config: ScheduleConfig };
  try {
    configuration = loadConfiguration();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const { env, config } = configuration;
  const logger = pino({ level: env.LOG_LEVEL, base: { service: 'soldgraph-worker' } });
  const database = openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR,
    poolMax: env.WORKER_CONCURRENCY * CORE_TRANSACTIONS_IN_FLIGHT + 1,
    onPoolError: (error) => logger.warn({ err: error }, 'database connection lost; the pool reconnects'),
  });
  await database.migrate();
  const abandoned = await abandonDeadRuns(database.db, new Date());
  if (abandoned.length > 0) logger.warn({ runs: abandoned }, 'runs whose process died were marked ABANDONED');
  const cache = createEntityCache({
    redisUrl: env.REDIS_URL,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    defaultTtlMs: env.CACHE_TTL_SECONDS * 1000,
    relay: database.publishToOwner,
  });
  const jobs = createIngestJobs({ sources, env, db: database.db, cache });
  const running = env.REDIS_URL
    ? await startQueueWorker({
        redisUrl: env.REDIS_URL,
        prefix: QUEUE_PREFIX,
        config,
        jobs,
        logger,
        concurrency: env.WORKER_CONCURRENCY,
      })
    : startInProcessScheduler({ config, jobs, logger });
  const partitions = setInterval(() => {
    selectRows<{ made: string }>(database.db, maintainPartitions()).then(
      (made) => {
        if (made.length > 0) logger.info({ partitions: made.map((row) => row.made) }, 'made history partitions');
      },
      (error: unknown) => logger.warn({ err: error }, 'history partition maintenance failed; retried tomorrow'),
    );
  }, PARTITION_MAINTENANCE_MS);
  partitions.unref();
  logger.info(
    { mode: env.REDIS_URL ? 'bullmq' : 'in-process', schedules: config.schedules.length, file: env.INGEST_SCHEDULES },
    'worker is up',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, graceMs: SHUTDOWN_GRACE_MS },
      'shutting down: running jobs get the grace period, then are aborted',
    );
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 5_000);
    force.unref();
    clearInterval(partitions);
    await running.stop(SHUTDOWN_GRACE_MS);
    await cache.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
