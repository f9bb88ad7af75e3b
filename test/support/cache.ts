import type { EntityCache } from '../../lib/cache';

/**
 * The cache connects to Redis in the background and counts every call as a miss until it is
 * up. Tests that read back what they wrote, or count statements, wait for it first so the
 * result does not depend on how fast the connect was.
 */
export async function untilCacheIsUp(cache: EntityCache, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await cache.health();
    if (health.status === 'up') return;
    if (Date.now() > deadline) throw new Error(`the test cache did not come up: ${health.error}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
