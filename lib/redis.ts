import { createClient, defaultReconnectStrategy } from '@keyv/redis';

/**
 * Creates (does not connect) a client that fails fast instead of waiting: commands are refused
 * while disconnected rather than queued behind a reconnect, and a connect gives up after a
 * second. Every client error goes to `onError`, because node-redis emits 'error' on each failed
 * (re)connect and an unheard 'error' would crash the process.
 * @example
 *   const redis = createRedisClient(env.REDIS_URL, (error) => log.warn(error));
 *   await redis.connect();
 */
export function createRedisClient(url: string, onError: (error: unknown) => void) {
  const redis = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1_000, reconnectStrategy: defaultReconnectStrategy },
  });
  redis.on('error', onError);
  return redis;
}

/** The node-redis client the shared cache and the rate limiter both talk through. */
export type RedisClient = ReturnType<typeof createRedisClient>;

/** How long a graceful close may wait for commands in flight. */
const GRACEFUL_CLOSE_MS = 1_000;

/**
 * Closes gracefully when connected, for at most a second; a client still (re)connecting would
 * never finish a graceful close, so it is dropped instead.
 */
export async function closeRedisClient(redis: RedisClient, onError: (error: unknown) => void): Promise<void> {
  if (redis.isReady) {
    // A graceful close waits for every command in flight; one sent to a Redis that hangs
    // never answers, so the wait is bounded and the client dropped after it.
    await withTimeout(redis.close(), GRACEFUL_CLOSE_MS, 'close').catch((error: unknown) => {
      onError(error);
      if (redis.isOpen) redis.destroy();
    });
  } else if (redis.isOpen) redis.destroy();
}

/** A Redis call that gave no answer in time: the connection may be alive but hanging. */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';
}

/**
 * Gives up on `work` after `timeoutMs`: a Redis that hangs (a dropped network, not a closed
 * socket) would otherwise hold every caller until the OS times the connection out.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(`${what} gave no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
