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

/**
 * Closes gracefully when connected; a client still (re)connecting would never finish a graceful
 * close, so it is dropped instead.
 */
export async function closeRedisClient(redis: RedisClient, onError: (error: unknown) => void): Promise<void> {
  if (redis.isReady) await redis.close().catch(onError);
  else if (redis.isOpen) redis.destroy();
}

class RedisTimeoutError extends Error {
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
