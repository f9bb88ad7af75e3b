import { byMonthInBatches } from '../mart-pending';

const daysBetween = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

describe('splitting queued days for parallel refreshes', () => {
  it('cuts only between months, into at most the given number of batches of about equal size', () => {
    const year = daysBetween('2025-06-01', 366);
    const batches = byMonthInBatches(year, 2);
    expect(batches).toHaveLength(2);
    expect(batches.flat()).toEqual(year);
    const months = batches.map((batch) => new Set(batch.map((day) => day.slice(0, 7))));
    expect([...(months[0] ?? [])].some((month) => months[1]?.has(month))).toBe(false);
    expect(Math.abs((batches[0]?.length ?? 0) - (batches[1]?.length ?? 0))).toBeLessThan(62);
  });

  it('keeps one month whole however many batches are allowed, and gives nothing for nothing', () => {
    expect(byMonthInBatches(daysBetween('2026-03-01', 31), 4)).toEqual([daysBetween('2026-03-01', 31)]);
    expect(byMonthInBatches([], 2)).toEqual([]);
  });
});
