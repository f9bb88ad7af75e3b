import { closeRedisClient, createRedisClient, type RedisClient, withTimeout } from './redis';

/** A bucket's refill rate and size, with an optional cap per UTC day. */
export type BucketLimits = { requestsPerSecond: number; burst: number; dailyBudget?: number };

/**
 * One `take` from a bucket: granted (with the tokens left), refused (with how long until a
 * token is there), or the day's budget spent.
 */
export type Take =
  { granted: true; remaining: number } | { granted: false; waitMs: number } | { exhausted: true; used: number };

/** Token buckets by key, shared through Redis when configured, in this process otherwise. */
export type TokenBuckets = {
  kind: 'memory' | 'redis';
  /** Takes one token from `key`'s bucket now, or says why not; never waits. */
  take(key: string, limits: BucketLimits, nowMs: number): Promise<Take>;
  close(): Promise<void>;
};

export type TokenBucketsOptions = {
  redisUrl?: string;
  /** Redis key prefix, so tests and deployments can share one Redis. */
  prefix?: string;
  /** How long a take waits for Redis before counting in this process instead (default 1 s). */
  timeoutMs?: number;
  /** Redis failures (the buckets then fall back to this process's own). */
  onError?: (error: Error) => void;
};

function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

function memoryBuckets(): TokenBuckets['take'] {
  const buckets = new Map<string, { tokens: number; at: number; day: string; used: number }>();
  return async (key, limits, nowMs) => {
    const day = utcDay(nowMs);
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limits.burst, at: nowMs, day, used: 0 };
      buckets.set(key, bucket);
    }
    if (bucket.day !== day) {
      bucket.day = day;
      bucket.used = 0;
    }
    if (limits.dailyBudget !== undefined && bucket.used >= limits.dailyBudget) {
      return { exhausted: true, used: bucket.used };
    }
    if (nowMs > bucket.at) {
      bucket.tokens = Math.min(limits.burst, bucket.tokens + ((nowMs - bucket.at) * limits.requestsPerSecond) / 1000);
      bucket.at = nowMs;
    }
    if (bucket.tokens < 1) {
      return { granted: false, waitMs: Math.ceil(((1 - bucket.tokens) * 1000) / limits.requestsPerSecond) };
    }
    bucket.tokens -= 1;
    bucket.used += 1;
    return { granted: true, remaining: Math.floor(bucket.tokens) };
  };
}

// One round trip, atomic across processes: refill the bucket, check the day's budget, take a
// token. Returns {1, tokens left} granted, {0, waitMs} wait, {-1, used} budget spent.
const TOKEN_BUCKET_LUA = `
local now = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local budget = tonumber(ARGV[4])
if budget >= 0 then
  local used = tonumber(redis.call('GET', KEYS[2]) or '0')
  if used >= budget then return {-1, used} end
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * perMs)
  at = now
end
if tokens < 1 then return {0, math.ceil((1 - tokens) / perMs)} end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 60000)
if budget >= 0 then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], 2 * 86400000)
end
return {1, math.floor(tokens - 1)}
`;

/**
 * Creates the buckets: shared through Redis (one Lua script per take) when `redisUrl` is set,
 * so several processes draw from one bucket per key; in memory otherwise, and while Redis is
 * down (each process then limits itself: degraded, never blocked).
 * @example
 *   const buckets = createTokenBuckets({ redisUrl: env.REDIS_URL });
 *   const take = await buckets.take('ebay-browse:3f9a', { requestsPerSecond: 5, burst: 5 }, Date.now());
 */
export function createTokenBuckets(options: TokenBucketsOptions = {}): TokenBuckets {
  const prefix = options.prefix ?? 'soldgraph:ratelimit';
  const timeoutMs = options.timeoutMs ?? 1_000;
  const memory = memoryBuckets();
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  let redis: RedisClient | undefined;
  // The first take waits up to a second for the connection; later ones never wait for Redis.
  let firstConnect: Promise<unknown> | undefined;
  if (options.redisUrl) {
    redis = createRedisClient(options.redisUrl, report);
    const connected = redis.connect().catch(report);
    firstConnect = Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }

  async function take(key: string, limits: BucketLimits, nowMs: number): Promise<Take> {
    if (redis) {
      await firstConnect;
      if (redis.isReady) {
        try {
          const evaluation = redis.eval(TOKEN_BUCKET_LUA, {
            keys: [`${prefix}:${key}:bucket`, `${prefix}:${key}:day:${utcDay(nowMs)}`],
            arguments: [
              String(nowMs),
              String(limits.requestsPerSecond / 1000),
              String(limits.burst),
              String(limits.dailyBudget ?? -1),
            ],
          });
          const reply = await withTimeout(evaluation, timeoutMs, 'rate limit in Redis');
          const [status, value] = Array.isArray(reply) ? reply.map(Number) : [];
          if (status === 1 && value !== undefined) return { granted: true, remaining: value };
          if (status === 0 && value !== undefined) return { granted: false, waitMs: Math.max(1, value) };
          if (status === -1 && value !== undefined) return { exhausted: true, used: value };
          report(new Error(`unexpected rate-limit script reply ${JSON.stringify(reply)}`));
        } catch (error) {
          report(error);
        }
      }
    }
    return memory(key, limits, nowMs);
  }

  return {
    kind: redis ? 'redis' : 'memory',
    take,
    async close() {
      if (!redis) return;
      await firstConnect;
      await closeRedisClient(redis, report);
    },
  };
}
