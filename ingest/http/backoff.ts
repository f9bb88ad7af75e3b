/** Exponential backoff: the first retry waits up to `baseMs`, each next one twice as long, capped at `maxMs`. */
export type BackoffPolicy = { baseMs: number; maxMs: number };

/**
 * "Full jitter" backoff: a uniform wait in [0, min(maxMs, baseMs * 2^attempt)), so many
 * clients that failed together do not retry together.
 * @example backoffDelay(2, { baseMs: 500, maxMs: 30_000 }, () => 0.5) // 1000
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds or an HTTP date; undefined
 * when absent or unreadable (the caller then backs off on its own).
 * @example retryAfterMs('120', Date.now()) // 120000
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
