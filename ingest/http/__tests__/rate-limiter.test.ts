import { randomUUID } from 'node:crypto';
import { fakeClock } from '../../../test/fakes/clock';
import { SourceRequestError } from '../errors';
import { createRateLimiter, type RateLimiter } from '../rate-limiter';

const signal = new AbortController().signal;

const kinds: [string, string | undefined][] = [['memory', undefined]];
if (process.env.REDIS_URL) kinds.push(['redis', process.env.REDIS_URL]);

describe.each(kinds)('rate limiter (%s)', (kind, redisUrl) => {
  const limiters: RateLimiter[] = [];
  const make = (clock: ReturnType<typeof fakeClock>, prefix: string) => {
    const limiter = createRateLimiter({ redisUrl, clock, prefix });
    limiters.push(limiter);
    return limiter;
  };
  afterAll(async () => {
    await Promise.all(limiters.map((l) => l.close()));
  });

  it(`reports its kind`, () => {
    expect(make(fakeClock(), `test:${randomUUID()}`).kind).toBe(kind);
  });

  it('lets a burst through, then waits exactly for the next token', async () => {
    const clock = fakeClock('2026-01-01T12:00:00Z');
    const limiter = make(clock, `test:${randomUUID()}`);
    const limits = { requestsPerSecond: 2, burst: 3 };
    for (let i = 0; i < 3; i += 1) await limiter.acquire('src:cred', limits, signal);
    expect(clock.waits).toEqual([]);
    await limiter.acquire('src:cred', limits, signal);
    expect(clock.waits).toEqual([500]);
    // Another credential has its own bucket.
    await limiter.acquire('src:other', limits, signal);
    expect(clock.waits).toEqual([500]);
  });

  it('fails clearly once the daily budget is spent, and resets the next UTC day', async () => {
    const clock = fakeClock('2026-01-01T23:59:00Z');
    const limiter = make(clock, `test:${randomUUID()}`);
    const limits = { requestsPerSecond: 100, burst: 100, dailyBudget: 2 };
    await limiter.acquire('ebay:app', limits, signal);
    await limiter.acquire('ebay:app', limits, signal);
    const error = await limiter.acquire('ebay:app', limits, signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceRequestError);
    expect((error as SourceRequestError).code).toBe('DAILY_BUDGET_EXHAUSTED');
    expect((error as SourceRequestError).message).toBe(
      'ebay:app: the daily budget of 2 requests is spent; it resets at 2026-01-02T00:00:00.000Z',
    );
    clock.advance(60_000);
    await expect(limiter.acquire('ebay:app', limits, signal)).resolves.toBeUndefined();
  });

  it('refuses nonsensical limits', async () => {
    const limiter = make(fakeClock(), `test:${randomUUID()}`);
    await expect(limiter.acquire('x', { requestsPerSecond: 0, burst: 1 }, signal)).rejects.toThrow(
      /requestsPerSecond > 0/,
    );
  });

  if (redisUrl) {
    it('shares one bucket and budget between limiters (workers)', async () => {
      const prefix = `test:${randomUUID()}`;
      const clock = fakeClock('2026-01-01T12:00:00Z');
      const first = make(clock, prefix);
      const second = make(clock, prefix);
      const limits = { requestsPerSecond: 1, burst: 2, dailyBudget: 3 };
      await first.acquire('shared', limits, signal);
      await second.acquire('shared', limits, signal);
      await second.acquire('shared', limits, signal);
      expect(clock.waits).toEqual([1000]);
      await expect(first.acquire('shared', limits, signal)).rejects.toThrow(/daily budget of 3 requests is spent/);
    });

    it('falls back to memory buckets when Redis is unreachable', async () => {
      const errors: Error[] = [];
      const limiter = createRateLimiter({
        redisUrl: 'redis://127.0.0.1:1',
        clock: fakeClock(),
        onError: (e) => errors.push(e),
      });
      limiters.push(limiter);
      await expect(limiter.acquire('x', { requestsPerSecond: 1, burst: 1 }, signal)).resolves.toBeUndefined();
      expect(errors.length).toBeGreaterThan(0);
    });
  }
});
