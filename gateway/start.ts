import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Env } from '../config/env';
import { type Database, openDatabase } from '../db/client';
import { isDatabaseEmpty, seedDemoData } from '../db/seed/load';
import { createEntityCache, type EntityCache } from '../lib/cache';
import { createGateway, type Gateway } from './server';

/** A running gateway and everything it owns, stopped in reverse order by `stop`. */
export type RunningGateway = {
  url: string;
  gateway: Gateway;
  database: Database;
  cache: EntityCache;
  stop(): Promise<void>;
};

/**
 * Opens the database (migrating it, and seeding demo data into an empty one when asked),
 * connects the cache, and starts listening.
 * @example const running = await startGateway(parseEnv(), createLogger('info'));
 */
export async function startGateway(env: Env, logger: Logger): Promise<RunningGateway> {
  const database = openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR,
    poolMax: env.DATABASE_POOL_MAX,
    onPoolError: (error) => logger.warn({ err: error }, 'database connection lost; will reconnect'),
  });
  await database.migrate();
  if (env.SEED_ON_EMPTY && (await isDatabaseEmpty(database.db))) {
    const started = performance.now();
    const counts = await seedDemoData(database.db, { size: env.SEED_SIZE });
    logger.info({ ...counts, ms: Math.round(performance.now() - started) }, 'seeded demo data');
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

  const gateway = await createGateway({
    database,
    cache,
    logger,
    exposeErrorDetails: env.NODE_ENV === 'development',
  });
  await new Promise<void>((resolve, reject) => {
    gateway.httpServer.once('error', reject);
    gateway.httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const { port } = gateway.httpServer.address() as AddressInfo;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  return {
    url: `http://${host}:${port}`,
    gateway,
    database,
    cache,
    async stop() {
      await gateway.stop();
      await cache.close();
      await database.close();
    },
  };
}
