/**
 * `npm run worker`: runs the schedules of INGEST_SCHEDULES. With REDIS_URL the jobs go
 * through a BullMQ queue shared by every worker on every machine; without it they run on
 * timers in this process. Either way one source and scope never runs twice at once, failed
 * runs are retried with exponential backoff, and SIGTERM/SIGINT stop gracefully.
 * Exit code 2 for a bad configuration, 1 when start-up fails.
 */
import pino from 'pino';
import { type Env, InvalidEnvironmentError, parseEnv } from '../lib/env';
import { openDatabase, selectRows } from '../db/client';
import { maintainPartitions } from '../db/partitions';
import { abandonDeadRuns } from './pipeline/runs';
import { answeredHelp } from '../db/cli/run';
import { describeError } from '../db/errors';
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

const USAGE = `usage: npm run worker   (takes no arguments)
  runs the schedules of INGEST_SCHEDULES (a JSON file, see ingest/schedules.example.json);
  with REDIS_URL they go through a BullMQ queue shared by every worker, else on timers here.`;

async function main(): Promise<void> {
  if (answeredHelp(USAGE)) return;
  if (process.argv.length > 2) {
    console.error(`unexpected argument "${process.argv[2]}"\n${USAGE}`);
    process.exit(2);
  }
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

main().catch((error: unknown) => {
  console.error(`Soldgraph worker failed to start: ${describeError(error)}`);
  process.exit(1);
});
