import type { Database, PoolUsage } from '../db/client';
import type { ReplicaHealth } from '../db/replicas';
import type { CacheHealth, EntityCache } from '../lib/cache';

type DependencyHealth = { status: 'up' | 'down'; latencyMs: number; error?: string };

/** The connection pool's state: saturated when every connection is busy and requests wait. */
type PoolHealth = PoolUsage & { saturated: boolean; heldByBulkheads: number };

/** One read replica in /health: its status and lag, with times as ISO strings. */
type ReplicaReport = Omit<ReplicaHealth, 'consistentAt' | 'checkedAt'> & {
  consistentAsOf: string | null;
  checkedAt: string | null;
};

/**
 * The /health body: `ok` when all is up; `degraded` while the cache is down (requests are
 * served from the database), the pool is saturated (requests wait for connections) or a read
 * replica is down or further behind than its bound (its reads go to the primary); `down`
 * without a database, and only then HTTP 503.
 */
export type Health = {
  status: 'ok' | 'degraded' | 'down';
  dependencies: {
    database: DependencyHealth & { driver: Database['driver']; pool: PoolHealth };
    cache: CacheHealth;
    /** Present with read replicas configured (DATABASE_READ_URL). */
    replicas?: { maxLagSeconds: number; members: ReplicaReport[] };
  };
};

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function replicaReport({ consistentAt, checkedAt, ...rest }: ReplicaHealth): ReplicaReport {
  return { ...rest, consistentAsOf: isoOrNull(consistentAt), checkedAt: isoOrNull(checkedAt) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Checks every dependency concurrently; never throws. The database's ping runs beside the
 * pool (PostgreSQL), so a pool full of slow requests reads as saturated, not as down. Read
 * replicas report their last probe (every DATABASE_READ_PROBE_MS): a caller hammering /health
 * adds no load on the replicas or the primary.
 */
export async function checkHealth(
  database: Database,
  cache: EntityCache,
  heldByBulkheads: () => number = () => 0,
): Promise<Health> {
  const started = performance.now();
  const usage = database.poolUsage();
  const pool: PoolHealth = {
    ...usage,
    saturated: usage.inUse >= usage.max && usage.waiting > 0,
    heldByBulkheads: heldByBulkheads(),
  };
  const [ping, cacheHealth, replicas] = await Promise.all([
    database.ping().then(
      (latencyMs): DependencyHealth => ({ status: 'up', latencyMs: round(latencyMs) }),
      (error: unknown): DependencyHealth => ({
        status: 'down',
        latencyMs: round(performance.now() - started),
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
    cache.health(),
    database.replicas?.health(),
  ]);
  // PGlite answers in this process, one statement at a time: a ping stuck behind a long
  // statement means busy, not down.
  const busyEmbedded =
    ping.status === 'down' && database.driver === 'pglite' && /no answer within/.test(ping.error ?? '');
  const databaseHealth = busyEmbedded ? { ...ping, status: 'up' as const } : ping;
  const saturated = pool.saturated || busyEmbedded;
  const replicaDown = replicas?.some((replica) => replica.status !== 'up') ?? false;
  const status =
    databaseHealth.status === 'down'
      ? 'down'
      : cacheHealth.status === 'down' || saturated || replicaDown
        ? 'degraded'
        : 'ok';
  return {
    status,
    dependencies: {
      database: { ...databaseHealth, driver: database.driver, pool: { ...pool, saturated } },
      cache: { ...cacheHealth, latencyMs: round(cacheHealth.latencyMs) },
      ...(replicas && database.replicas
        ? { replicas: { maxLagSeconds: database.replicas.maxLagSeconds, members: replicas.map(replicaReport) } }
        : {}),
    },
  };
}
