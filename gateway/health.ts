import { type Db, pingDatabase } from '../db/client';
import type { CacheHealth, EntityCache } from '../lib/cache';

type DependencyHealth = { status: 'up' | 'down'; latencyMs: number; error?: string };

/** The /health body: `ok` when all is up, `degraded` when only the cache is down, `down` without a database. */
export type Health = {
  status: 'ok' | 'degraded' | 'down';
  dependencies: {
    database: DependencyHealth & { driver: 'postgres' | 'pglite' };
    cache: CacheHealth;
  };
};

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Checks every dependency concurrently; never throws. */
export async function checkHealth(db: Db, driver: 'postgres' | 'pglite', cache: EntityCache): Promise<Health> {
  const started = performance.now();
  const [database, cacheHealth] = await Promise.all([
    pingDatabase(db).then(
      (latencyMs): DependencyHealth => ({ status: 'up', latencyMs: round(latencyMs) }),
      (error: unknown): DependencyHealth => ({
        status: 'down',
        latencyMs: round(performance.now() - started),
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
    cache.health(),
  ]);
  const status = database.status === 'down' ? 'down' : cacheHealth.status === 'down' ? 'degraded' : 'ok';
  return {
    status,
    dependencies: {
      database: { ...database, driver },
      cache: { ...cacheHealth, latencyMs: round(cacheHealth.latencyMs) },
    },
  };
}
