import { untilCacheIsUp } from '../../test/support/cache';
import { startBlackHole, startTcpProxy } from '../../test/support/tcp-proxy';
import { createEntityCache, type EntityCache } from '../cache';

const caches: EntityCache[] = [];
function cacheFor(redisUrl?: string, namespace = `soldgraph-cache-test-${process.pid}-${caches.length}`) {
  const errors: Error[] = [];
  const cache = createEntityCache({
    redisUrl,
    namespace,
    timeoutMs: 100,
    defaultTtlMs: 60_000,
    onError: (error) => errors.push(error),
  });
  caches.push(cache);
  return { cache, errors };
}
afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
});

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('in-memory cache', () => {
  it('stores, reads and deletes values', async () => {
    const { cache } = cacheFor();
    await cache.set('k', { a: 1 });
    expect(await cache.get('k')).toEqual({ a: 1 });
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.health()).toMatchObject({ kind: 'memory', status: 'up' });
  });
});

describe('Redis unreachable', () => {
  it('treats every call as a miss at once when nothing listens, and health says down', async () => {
    const { cache } = cacheFor('redis://127.0.0.1:1');
    const { value, ms } = await timed(cache.get('anything'));
    expect(value).toBeUndefined();
    // Far below node-redis' own reconnect waits of seconds; generous for a loaded CI machine.
    expect(ms).toBeLessThan(1_000);
    await expect(cache.set('k', 1)).resolves.toBeUndefined();
    expect(await cache.health()).toMatchObject({ kind: 'redis', status: 'down' });
  });

  it('gives up on a Redis that accepts connections but never answers', async () => {
    const hole = await startBlackHole();
    const { cache } = cacheFor(`redis://127.0.0.1:${hole.port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { value, ms } = await timed(cache.get('anything'));
    expect(value).toBeUndefined();
    expect(ms).toBeLessThan(1_000);
    expect((await cache.health()).status).toBe('down');
    await hole.close();
  });
});

const redisUrl = process.env.REDIS_URL;
(redisUrl ? describe : describe.skip)('real Redis (REDIS_URL)', () => {
  it('shares values between cache instances in one namespace', async () => {
    const namespace = `soldgraph-cache-test-shared-${process.pid}`;
    const writer = cacheFor(redisUrl, namespace).cache;
    const reader = cacheFor(redisUrl, namespace).cache;
    const key = `shared-${Date.now()}`;
    await Promise.all([untilCacheIsUp(writer), untilCacheIsUp(reader)]);
    await writer.set(key, { n: 42 });
    expect(await reader.get(key)).toEqual({ n: 42 });
    expect(await reader.health()).toMatchObject({ kind: 'redis', status: 'up' });
  });

  it('serves misses while Redis is cut off mid-run and recovers when it returns', async () => {
    const target = new URL(redisUrl ?? '');
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    const { cache } = cacheFor(`redis://127.0.0.1:${proxy.port}`);
    await untilCacheIsUp(cache);
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
    expect((await cache.health()).status).toBe('up');

    await proxy.cut();
    const { value, ms } = await timed(cache.get('k'));
    expect(value).toBeUndefined();
    expect(ms).toBeLessThan(1_000);
    expect((await cache.health()).status).toBe('down');

    await proxy.restore();
    let health = await cache.health();
    for (let i = 0; i < 50 && health.status !== 'up'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await cache.health();
    }
    expect(health.status).toBe('up');
    expect(await cache.get('k')).toBe('v');
    await proxy.cut();
  });
  it('skips a Redis that hangs for a while after one call timed out, instead of waiting on every call', async () => {
    const target = new URL(redisUrl ?? '');
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    const { cache, errors } = cacheFor(`redis://127.0.0.1:${proxy.port}`);
    await untilCacheIsUp(cache);
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');

    proxy.stall();
    expect(await cache.get('k')).toBeUndefined();
    const timeouts = errors.filter((error) => error.name === 'RedisTimeoutError').length;
    expect(timeouts).toBe(1);
    // Still connected, so only the timeout tells: the next calls are not sent at all.
    for (let i = 0; i < 5; i += 1) expect(await cache.get('k')).toBeUndefined();
    expect(errors.filter((error) => error.name === 'RedisTimeoutError')).toHaveLength(timeouts);
    await proxy.cut();
  });
});
