import type { Clock } from '../../ingest/http/clock';

/**
 * A clock tests drive: `sleep` records the wait and returns at once, moving time on by the
 * wait unless `frozen` (so fetch times stay equal between a faulty run and a clean one);
 * `random` is fixed.
 */
export type FakeClock = Clock & { readonly waits: number[]; advance(ms: number): void };

/**
 * @example
 *   const clock = fakeClock('2026-01-01T00:00:00Z');
 *   await clock.sleep(1500); // returns at once; clock.waits = [1500], clock.now() moved 1.5 s
 */
export function fakeClock(
  start: string | number = '2026-01-01T00:00:00Z',
  random = 0.5,
  options: { frozen?: boolean } = {},
): FakeClock {
  let now = typeof start === 'number' ? start : Date.parse(start);
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    random: () => random,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      waits.push(ms);
      if (!options.frozen) now += ms;
    },
  };
}
