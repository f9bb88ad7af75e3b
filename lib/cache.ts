import { EventEmitter } from 'node:events';
import KeyvRedis, { Keyv } from '@keyv/redis';
import { closeRedisClient, createRedisClient, type RedisClient, RedisTimeoutError, withTimeout } from './redis';

/** How long calls are skipped after one timed out, before the next is tried. */
const HANGING_BREAK_MS = 5_000;

/** The start of the message that drops every process's `remember`ed copy of a key (`delete`). */
export const FORGET_PREFIX = 'forget:';

/** What `subscribe` hears when messages may have been lost (the subscriber reconnected). */
export const RESYNC = 'resync';

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
  /** Several keys in one round trip, in order; undefined when the read failed (unknown, not missing). */
  getMany<T>(keys: string[]): Promise<(T | undefined)[] | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** Deletes `key` here and in every process's `remember`ed copy (announced over the channel). */
  delete(key: string): Promise<void>;
  /**
   * This process's own copy of `key`, kept as `load` made it (parsed, indexed) for up to `ttlMs`
   * so hot reference data costs no round trip and no parse; a `delete` of the key anywhere
   * drops it. A failed load is not kept.
   */
  remember<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /**
   * Takes `key` for `ttlMs` when no one holds it (Redis `SET NX PX`): true for exactly one
   * caller across every process sharing the cache. A failure reads as not taken.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Waits up to `timeoutMs` for the connection to Redis (true at once in memory); false when it did not come. */
  whenReady(timeoutMs: number): Promise<boolean>;
  /**
   * Sends `message` to every subscriber of every process sharing the cache (Redis pub/sub).
   * Rejects only when the `relay` of a memory cache failed.
   */
  publish(message: string): Promise<void>;
  /**
   * Hears every `publish`, this process's included, and `RESYNC` after the connection that
   * hears them came back (messages sent meanwhile are lost); returns the unsubscribe.
   */
  subscribe(listener: (message: string) => void): () => void;
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
  /**
   * In memory, also sends every `publish` this way: to the gateway whose embedded database this
   * process shares (its cache is in its own memory, and hears it there).
   */
  relay?: (message: string) => Promise<void>;
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

  // After a call times out, calls are skipped for a while: a Redis that hangs while still
  // connected would otherwise cost every request the timeout once per call it makes.
  let skipUntil = 0;
  const guarded = async <T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    // A disconnected client would only wait for the reconnect: skip the round trip entirely.
    if (redis && !redis.isReady) {
      connectInBackground();
      return fallback;
    }
    if (Date.now() < skipUntil) return fallback;
    try {
      return await withTimeout(work(), options.timeoutMs, `cache ${what}`);
    } catch (error) {
      if (error instanceof RedisTimeoutError) skipUntil = Date.now() + HANGING_BREAK_MS;
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

  // Publishing and hearing: over Redis a second connection subscribes (a subscribed node-redis
  // client takes no other commands); in memory, within this process.
  const channel = `${namespace}:events`;
  const local = new EventEmitter().setMaxListeners(0);
  let subscriber: RedisClient | undefined;
  const hearFromRedis = () => {
    if (!redis || subscriber || closed) return;
    subscriber = createRedisClient(options.redisUrl as string, report);
    const listening = subscriber;
    let heardBefore = false;
    listening.on('ready', () => {
      if (heardBefore) local.emit('message', RESYNC);
      heardBefore = true;
    });
    // node-redis subscribes again by itself after a reconnect.
    listening
      .connect()
      .then(() => listening.subscribe(channel, (message) => local.emit('message', message)))
      .catch(report);
  };

  const claims = new Map<string, number>();
  const copies = new Map<string, { value: Promise<unknown>; until: number }>();
  const FORGET = FORGET_PREFIX;
  local.on('message', (message: string) => {
    if (message.startsWith(FORGET)) copies.delete(message.slice(FORGET.length));
  });
  const publish = async (message: string) => {
    if (!redis) {
      local.emit('message', message);
      // A relay that failed is the caller's to know: its purge did not reach the gateway.
      await options.relay?.(message);
      return;
    }
    const client = redis;
    await guarded('publish', () => client.publish(channel, message), 0);
  };

  const kind = redis ? 'redis' : 'memory';
  return {
    kind,
    get: <T>(key: string) => guarded('get', () => keyv.get<T>(key), undefined),
    getMany: <T>(keys: string[]) =>
      keys.length === 0
        ? Promise.resolve([])
        : guarded<(T | undefined)[] | undefined>('getMany', () => keyv.getMany<T>(keys), undefined),
    claim: async (key, ttlMs) => {
      if (!redis) {
        const now = Date.now();
        if ((claims.get(key) ?? 0) > now) return false;
        // Claims end by time; forget the ended ones before the map grows.
        if (claims.size >= 1_000) for (const [held, until] of claims) if (until <= now) claims.delete(held);
        claims.set(key, now + ttlMs);
        return true;
      }
      const client = redis;
      const taken = await guarded(
        'claim',
        () => client.set(`${namespace}:claim:${key}`, '1', { NX: true, PX: ttlMs }),
        null,
      );
      return taken === 'OK';
    },
    publish,
    async whenReady(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (redis && !redis.isReady) {
        if (closed || Date.now() >= deadline) return false;
        connectInBackground();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    },
    subscribe(listener) {
      hearFromRedis();
      local.on('message', listener);
      return () => local.off('message', listener);
    },
    set: async (key, value, ttlMs = options.defaultTtlMs) => {
      await guarded('set', () => keyv.set(key, value, ttlMs), false);
    },
    delete: async (key) => {
      copies.delete(key);
      await guarded('delete', () => keyv.delete(key), false);
      await publish(FORGET + key).catch(report);
    },
    remember<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      hearFromRedis();
      const copy = copies.get(key);
      if (copy && copy.until > Date.now()) return copy.value as Promise<T>;
      const value = load();
      const made = { value, until: Date.now() + ttlMs };
      copies.set(key, made);
      value.catch(() => {
        if (copies.get(key) === made) copies.delete(key);
      });
      return value;
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
      local.removeAllListeners();
      if (!redis) return;
      closed = true;
      if (subscriber) await closeRedisClient(subscriber, report);
      await closeRedisClient(redis, report);
      await connecting;
    },
  };
}
