import type { RateLimits } from '../types';
import type { BackoffPolicy } from './backoff';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './client';
import { type Clock, systemClock } from './clock';
import type { RateLimiter } from './rate-limiter';

/** What every HTTP source accepts for its requests; all optional, tests inject clock and limiter. */
export type SourceHttpSettings = {
  clock?: Clock;
  fetch?: typeof fetch;
  /** Shared limiter (Redis-backed when configured); each source gets an in-memory one otherwise. */
  limiter?: RateLimiter;
  timeoutMs?: number;
  maxRetries?: number;
  backoff?: BackoffPolicy;
  maxRetryAfterMs?: number;
};

/** The environment every HTTP source reads for its requests (parsed in lib/env.ts). */
export type SourceHttpEnv = { SOURCE_TIMEOUT_MS: number; SOURCE_MAX_RETRIES: number };

/**
 * Request timeout and retry count from parsed environment, the part of every source's
 * configuration that does not depend on the source.
 * @example const config = { baseUrl: env.KEEPA_BASE_URL, ...sourceHttpSettingsFromEnv(env) };
 */
export function sourceHttpSettingsFromEnv(env: SourceHttpEnv): Pick<SourceHttpSettings, 'timeoutMs' | 'maxRetries'> {
  return { timeoutMs: env.SOURCE_TIMEOUT_MS, maxRetries: env.SOURCE_MAX_RETRIES };
}

const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * An HTTP client whose every attempt (retries included) first takes a token from the
 * limiter bucket `limiterKey`: one bucket and one daily budget per source and credential.
 * @example const http = sourceHttpClient('ebay-browse', 'ebay-browse:ab12', limits, settings);
 */
export function sourceHttpClient(
  name: string,
  limiterKey: string,
  limits: RateLimits | undefined,
  settings: SourceHttpSettings,
  hooks: Pick<HttpClientOptions, 'onResponse' | 'retryHint'> = {},
  limiter?: RateLimiter,
): HttpClient {
  const clock = settings.clock ?? systemClock;
  return createHttpClient({
    name,
    clock,
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs ?? 30_000,
    maxRetries: settings.maxRetries ?? 5,
    backoff: settings.backoff ?? DEFAULT_BACKOFF,
    maxRetryAfterMs: settings.maxRetryAfterMs ?? 300_000,
    beforeRequest: limits && limiter ? (signal) => limiter.acquire(limiterKey, limits, signal) : undefined,
    ...hooks,
  });
}
