import { createTokenBuckets } from '../../lib/token-buckets';
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

const DAY_MS = 86_400_000;

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

/**
 * Creates the limiter over shared token buckets (lib/token-buckets.ts): through Redis when
 * `redisUrl` is set, so several workers draw from one bucket per credential; in memory otherwise.
 * @example
 *   const limiter = createRateLimiter({ redisUrl: env.REDIS_URL });
 *   await limiter.acquire('ebay-browse:3f9a...', { requestsPerSecond: 5, burst: 5, dailyBudget: 5000 }, signal);
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const buckets = createTokenBuckets(options);
  return {
    kind: buckets.kind,
    async acquire(key, limits, signal) {
      validate(limits);
      for (;;) {
        signal.throwIfAborted();
        const nowMs = clock.now();
        const decision = await buckets.take(key, limits, nowMs);
        if ('exhausted' in decision) throw budgetError(key, limits, nowMs);
        if (decision.granted) return;
        await clock.sleep(decision.waitMs, signal);
      }
    },
    close: () => buckets.close(),
  };
}
