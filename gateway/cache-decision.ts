/** What the response cache did for one answer, as `extensions.cache.status` says. */
export type CacheStatus = 'HIT' | 'STALE' | 'MISS' | 'BYPASS';

/**
 * What the response cache decided about one request before Apollo ran it, carried into
 * Apollo's plugin on the request's context (gateway/response-cache.ts).
 */
export type CacheDecision = {
  status: CacheStatus;
  /** The answer's cache key; absent when bypassed before a key was made. */
  key?: string;
  reason?: string;
  /** When the request started (ms): a purge at or after it keeps its answer out of the cache. */
  startedAt: number;
  /** Hands the stored answer (or nothing) to requests waiting for the same key. */
  settle?: (stored: unknown) => void;
};
