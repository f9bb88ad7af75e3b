import KeyvRedis, { Keyv } from '@keyv/redis';
import { closeRedisClient, createRedisClient, type RedisClient, withTimeout } from './redis';

/** How the shared cache is doing, for /health. */
export type CacheHealth = {
  kind: 'memory' | 'redis';
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
};

/**
 * The shared cross-request cache (Keyv). Every call gives up after `timeoutMs` and counts
 * as a miss, so a slow or dead Redis costs a request at most that long and never fails it:
 * the caller falls back to the database.
 */
export type EntityCache = {
  kind: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  health(): Promise<CacheHealth>;
  close(): Promise<void>;
};

export type EntityCacheOptions = {
  redisUrl?: string;
  namespace?: string;
  timeoutMs: number;
  defaultTtlMs: number;
  /** Reports cache failures (timeouts, lost connections); they never reach the request. */
  onError?: (error: Error) => void;
};

/**
 * Creates the shared cache: Redis through @keyv/redis when `redisUrl` is set, else memory.
 * @example
 *   const cache = createEntityCache({ timeoutMs: 100, defaultTtlMs: 300_000 });
 *   await cache.set('catalog:v1', catalog);
 */
export function createEntityCache(options: EntityCacheOptions): EntityCache {
  const namespace = options.namespace ?? 'soldgraph';
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  let keyv: Keyv;
  let redis: RedisClient | undefined;
  if (options.redisUrl) {
    redis = createRedisClient(options.redisUrl, report);
    const store = new KeyvRedis(redis, { throwOnConnectError: false, throwOnErrors: true });
    keyv = new Keyv({ store, namespace, useKeyPrefix: false, throwOnErrors: true });
  } else {
    keyv = new Keyv({ namespace });
  }
  keyv.on('error', report);

  const guarded = async <T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    // A disconnected client would only wait for the reconnect: skip the round trip entirely.
    if (redis && !redis.isReady) {
      connectInBackground();
      return fallback;
    }
    try {
      return await withTimeout(work(), options.timeoutMs, `cache ${what}`);
    } catch (error) {
      report(error);
      return fallback;
    }
  };

  let connecting: Promise<unknown> | undefined;
  let closed = false;
  const connectInBackground = () => {
    if (!redis || redis.isOpen || connecting || closed) return;
    connecting = redis
      .connect()
      .catch(report)
      .finally(() => {
        connecting = undefined;
      });
  };
  connectInBackground();

  const kind = redis ? 'redis' : 'memory';
  return {
    kind,
    get: <T>(key: string) => guarded('get', () => keyv.get<T>(key), undefined),
    set: async (key, value, ttlMs = options.defaultTtlMs) => {
      await guarded('set', () => keyv.set(key, value, ttlMs), false);
    },
    delete: async (key) => {
      await guarded('delete', () => keyv.delete(key), false);
    },
    async health() {
      const started = performance.now();
      if (!redis) return { kind, status: 'up', latencyMs: 0 };
      try {
        if (!redis.isReady) throw new Error('not connected to Redis');
        await withTimeout(redis.ping(), options.timeoutMs, 'ping');
        return { kind, status: 'up', latencyMs: performance.now() - started };
      } catch (error) {
        connectInBackground();
        return {
          kind,
          status: 'down',
          latencyMs: performance.now() - started,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    },
    async close() {
      if (!redis) return;
      closed = true;
      await closeRedisClient(redis, report);
      await connecting;
    },
  };
}
