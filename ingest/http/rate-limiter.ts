import { closeRedisClient, createRedisClient, type RedisClient } from '../../lib/redis';
import type { RateLimits } from '../types';
import { type Clock, systemClock } from './clock';
import { SourceRequestError } from './errors';

/**
 * Token buckets and daily budgets keyed by source and credential. `acquire` waits for a token
 * (never longer than the bucket needs) and fails with DAILY_BUDGET_EXHAUSTED once the day's
 * budget is spent, instead of stalling until midnight.
 */
export type RateLimiter = {
  kind: 'memory' | 'redis';
  acquire(key: string, limits: RateLimits, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
};

export type RateLimiterOptions = {
  redisUrl?: string;
  clock?: Clock;
  /** Redis key prefix, so tests and deployments can share one Redis. */
  prefix?: string;
  /** Redis failures (the limiter then falls back to its in-memory buckets). */
  onError?: (error: Error) => void;
};

type Decision = { granted: true } | { granted: false; waitMs: number } | { exhausted: true; used: number };

const DAY_MS = 86_400_000;

function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

function budgetError(key: string, limits: RateLimits, nowMs: number): SourceRequestError {
  const resetAt = (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS;
  return new SourceRequestError(
    'DAILY_BUDGET_EXHAUSTED',
    `${key}: the daily budget of ${limits.dailyBudget} requests is spent; it resets at ${new Date(resetAt).toISOString()}`,
    { retryAt: resetAt },
  );
}

function validate(limits: RateLimits): void {
  if (!(limits.requestsPerSecond > 0) || !(limits.burst >= 1)) {
    throw new SourceRequestError(
      'SOURCE_CONFIG',
      `rate limits need requestsPerSecond > 0 and burst >= 1, got ${limits.requestsPerSecond}/s burst ${limits.burst}`,
    );
  }
}

function memoryDecider(): (key: string, limits: RateLimits, nowMs: number) => Decision {
  const buckets = new Map<string, { tokens: number; at: number; day: string; used: number }>();
  return (key, limits, nowMs) => {
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
    if (limits.dailyBudget !== undefined && bucket.used >= limits.dailyBudget)
      return { exhausted: true, used: bucket.used };
    if (nowMs > bucket.at) {
      bucket.tokens = Math.min(limits.burst, bucket.tokens + ((nowMs - bucket.at) * limits.requestsPerSecond) / 1000);
      bucket.at = nowMs;
    }
    if (bucket.tokens < 1)
      return { granted: false, waitMs: Math.ceil(((1 - bucket.tokens) * 1000) / limits.requestsPerSecond) };
    bucket.tokens -= 1;
    bucket.used += 1;
    return { granted: true };
  };
}

// One round trip, atomic across workers: refill the bucket, check the day's budget, take a token.
// Returns {1} granted, {0, waitMs} wait, {-1, used} budget spent.
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
return {1, 0}
`;

/**
 * Creates the limiter: shared through Redis (one Lua script per acquire) when `redisUrl` is
 * set, so several workers draw from one bucket per credential; in memory otherwise.
 * @example
 *   const limiter = createRateLimiter({ redisUrl: env.REDIS_URL });
 *   await limiter.acquire('ebay-browse:3f9a...', { requestsPerSecond: 5, burst: 5, dailyBudget: 5000 }, signal);
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const prefix = options.prefix ?? 'soldgraph:ratelimit';
  const memory = memoryDecider();
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  let redis: RedisClient | undefined;
  // The first acquire waits up to a second for the connection; later ones never wait for Redis.
  let firstConnect: Promise<unknown> | undefined;
  if (options.redisUrl) {
    redis = createRedisClient(options.redisUrl, report);
    const connected = redis.connect().catch(report);
    firstConnect = Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }

  async function decide(key: string, limits: RateLimits, nowMs: number): Promise<Decision> {
    if (redis) {
      await firstConnect;
      if (redis.isReady) {
        try {
          const reply = await redis.eval(TOKEN_BUCKET_LUA, {
            keys: [`${prefix}:${key}:bucket`, `${prefix}:${key}:day:${utcDay(nowMs)}`],
            arguments: [
              String(nowMs),
              String(limits.requestsPerSecond / 1000),
              String(limits.burst),
              String(limits.dailyBudget ?? -1),
            ],
          });
          const [status, value] = Array.isArray(reply) ? reply.map(Number) : [];
          if (status === 1) return { granted: true };
          if (status === 0 && value !== undefined) return { granted: false, waitMs: Math.max(1, value) };
          if (status === -1 && value !== undefined) return { exhausted: true, used: value };
          report(new Error(`unexpected rate-limit script reply ${JSON.stringify(reply)}`));
        } catch (error) {
          report(error);
        }
      }
    }
    // Without Redis (or while it is down) each process limits itself: degraded, never blocked.
    return memory(key, limits, nowMs);
  }

  return {
    kind: redis ? 'redis' : 'memory',
    async acquire(key, limits, signal) {
      validate(limits);
      for (;;) {
        signal.throwIfAborted();
        const nowMs = clock.now();
        const decision = await decide(key, limits, nowMs);
        if ('exhausted' in decision) throw budgetError(key, limits, nowMs);
        if (decision.granted) return;
        await clock.sleep(decision.waitMs, signal);
      }
    },
    async close() {
      if (!redis) return;
      await firstConnect;
      await closeRedisClient(redis, report);
    },
  };
}
