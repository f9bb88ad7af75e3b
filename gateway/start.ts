import type { AddressInfo } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type Env, isLoopbackHost } from '../lib/env';
import { type Database, openDatabase } from '../db/client';
import { isDatabaseUnavailable, rootCause } from '../db/errors';
import { isDatabaseEmpty, seedDemoData } from '../db/seed/load';
import { createEntityCache, type EntityCache } from '../lib/cache';
import { applyRelayedMessage } from '../lib/cache-tags';
import { createTokenBuckets } from '../lib/token-buckets';
import type { AuthMode } from './auth';
import { resolvePolicies } from './policy';
import { createGateway, type Gateway } from './server';
import { isClusterWorker } from './cluster';

/** A running gateway and everything it owns, stopped in reverse order by `stop`. */
export type RunningGateway = {
  url: string;
  /** Where other processes reach the embedded database this gateway owns (with its password). */
  sharedDatabaseUrl?: string;
  gateway: Gateway;
  database: Database;
  cache: EntityCache;
  stop(): Promise<void>;
};

/** Open on a laptop (development, or the embedded database on loopback), keys everywhere else. */
export function authModeOf(env: Env): AuthMode {
  if (env.AUTH_MODE) return env.AUTH_MODE;
  return env.NODE_ENV === 'development' || (!env.DATABASE_URL && isLoopbackHost(env.HOST)) ? 'open' : 'keys';
}

/**
 * Runs `prepare` (migrations, the demo seed), waiting with backoff while the database cannot be
 * reached (it may still be starting), up to `waitMs`; any other failure stops the start at once.
 */
async function prepareWhenReachable(
  prepare: () => Promise<void>,
  waitMs: number,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await prepare();
      return;
    } catch (error) {
      const cause = rootCause(error);
      if (!isDatabaseUnavailable(cause) || Date.now() - started >= waitMs) throw error;
      const delay = Math.min(250 * 2 ** attempt, 5_000);
      logger.warn({ attempt, retryInMs: delay, err: cause }, 'database unreachable; waiting for it');
      await setTimeout(delay, undefined, { signal });
    }
  }
}

/**
 * Opens the database (migrating it, and seeding demo data into an empty one when asked),
 * connects the cache, and starts listening. `signal` stops a start in progress (a SIGTERM
 * while waiting for PostgreSQL or seeding): the seed rolls back, the database closes, and
 * the promise rejects with the signal's reason.
 * @example const running = await startGateway(parseEnv(), createLogger('info'));
 */
export async function startGateway(
  env: Env,
  logger: Logger,
  signal = new AbortController().signal,
): Promise<RunningGateway> {
  const database = openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR,
    poolMax: env.DATABASE_POOL_MAX,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    onPoolError: (error) => logger.warn({ err: error }, 'database connection lost; will reconnect'),
    readUrls: env.DATABASE_READ_URL,
    replicaMaxLagSeconds: env.DATABASE_READ_MAX_LAG_SECONDS,
    replicaProbeMs: env.DATABASE_READ_PROBE_MS,
    // Reads move to the primary by themselves; operators hear of it once per change, not per request.
    onReplicaChange: (replica, previous) => {
      const fields = {
        replica: replica.name,
        from: previous.status,
        to: replica.status,
        lagSeconds: replica.lagSeconds,
      };
      if (replica.status === 'up') {
        // The first probe's findings are logged once, below.
        if (previous.checkedAt !== null) logger.info(fields, 'read replica serving again');
      } else logger.warn({ ...fields, reason: replica.error }, 'read replica not serving; its reads go to the primary');
    },
  });
  try {
    // Gateways starting together (GATEWAY_PROCESSES, replicas of a container) take turns:
    // one migrates and seeds, the next finds it done.
    const prepare = () =>
      database.exclusively(
        async () => {
          await database.migrate();
          if (!env.SEED_ON_EMPTY || !(await isDatabaseEmpty(database.db))) return;
          const started = performance.now();
          logger.info({ size: env.SEED_SIZE }, 'seeding demo data into the empty database');
          const counts = await seedDemoData(database.db, { size: env.SEED_SIZE, signal });
          logger.info({ ...counts, ms: Math.round(performance.now() - started) }, 'seeded demo data');
        },
        { signal, onWait: () => logger.info('another gateway is migrating or seeding; waiting for it') },
      );
    await prepareWhenReachable(prepare, env.DATABASE_WAIT_SECONDS * 1000, logger, signal);
    if (database.replicas) {
      // The first probe, so requests read from the replicas from the start; where each one is goes to the log.
      const replicas = await database.replicas.probe();
      const hosts = env.DATABASE_READ_URL?.map((url) => new URL(url).host) ?? [];
      logger.info({ replicas: replicas.map((r, i) => ({ ...r, host: hosts[i] })) }, 'read replicas');
    }
    signal.throwIfAborted();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw signal.aborted ? signal.reason : error;
  }

  let lastCacheError = 0;
  const cache = createEntityCache({
    redisUrl: env.REDIS_URL,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    defaultTtlMs: env.CACHE_TTL_SECONDS * 1000,
    onError: (error) => {
      // A dead Redis fails every call and every reconnect: log at most once a few seconds.
      if (Date.now() - lastCacheError < 5_000) return;
      lastCacheError = Date.now();
      logger.warn({ err: error }, 'cache unavailable; serving from the database');
    },
  });

  // Other processes (ingest, the worker, psql) reach the embedded database through this one.
  let sharedAt: string | undefined;
  try {
    sharedAt = await database.share?.({
      port: env.PGLITE_PORT,
      onCacheMessage: (message) => {
        applyRelayedMessage(cache, message).catch((error: unknown) =>
          logger.warn({ err: error }, 'a cache purge sent through the embedded database failed'),
        );
      },
    });
  } catch (error) {
    await cache.close();
    await database.close().catch(() => undefined);
    throw error;
  }

  const rateLimits = createTokenBuckets({
    redisUrl: env.REDIS_URL,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    onError: (error) => logger.warn({ err: error }, 'rate limits unavailable in Redis; counting in this process'),
  });
  const gateway = await createGateway({
    database,
    cache,
    logger,
    metricsAcrossProcesses: isClusterWorker(),
    exposeErrorDetails: env.NODE_ENV === 'development',
    corsOrigins: env.CORS_ORIGINS,
    limits: {
      documentLength: env.GRAPHQL_MAX_DOCUMENT_LENGTH,
      tokens: env.GRAPHQL_MAX_TOKENS,
      depth: env.GRAPHQL_MAX_DEPTH,
      aliases: env.GRAPHQL_MAX_ALIASES,
      directives: env.GRAPHQL_MAX_DIRECTIVES,
      rootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      batch: env.GRAPHQL_MAX_BATCH,
    },
    policies: resolvePolicies(env.ROLE_POLICIES),
    costDefaultListSize: env.COST_DEFAULT_LIST_SIZE,
    costInFlightMax: env.COST_IN_FLIGHT_MAX,
    responseMaxBytes: env.RESPONSE_MAX_BYTES,
    authMode: authModeOf(env),
    rateLimits,
    trustProxy: env.TRUST_PROXY,
    responseCache: env.RESPONSE_CACHE && {
      staleSeconds: env.RESPONSE_CACHE_STALE_SECONDS,
      memoryBytes: env.RESPONSE_CACHE_MEMORY_MB * 1024 ** 2,
    },
  });
  await new Promise<void>((resolve, reject) => {
    gateway.httpServer.once('error', reject);
    gateway.httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const { port } = gateway.httpServer.address() as AddressInfo;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  return {
    url: `http://${host}:${port}`,
    sharedDatabaseUrl: sharedAt,
    gateway,
    database,
    cache,
    async stop() {
      await gateway.stop();
      await rateLimits.close();
      await cache.close();
      await database.close();
    },
  };
}
