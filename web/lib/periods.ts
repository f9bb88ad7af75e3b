const DAY_MS = 86_400_000;

/** The period lengths the dashboard offers, in days. */
export const PERIOD_CHOICES = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof PERIOD_CHOICES)[number];

/** A half-open range of whole UTC days and the range of equal length before it. */
export type Period = { days: number; from: string; to: string; previousFrom: string };

/**
 * The `days` whole UTC days ending with the day of `latest` (the newest sale), so a demo
 * database seeded months ago still shows its data.
 * @example periodEndingAt(new Date('2026-06-29T13:00:00Z'), 30).to // "2026-06-30T00:00:00.000Z"
 */
export function periodEndingAt(latest: Date, days: number): Period {
  const end = Math.floor(latest.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  return {
    days,
    from: new Date(end - days * DAY_MS).toISOString(),
    to: new Date(end).toISOString(),
    previousFrom: new Date(end - 2 * days * DAY_MS).toISOString(),
  };
}

/** What the Overview compares its period with, as `?compare=` carries it: the days before, or `year`. */
export type Comparison = 'period' | 'year';

/** Reads `?compare=`: `year`, or the days just before by default. */
export function parseComparison(value: string | undefined): Comparison {
  return value === 'year' ? 'year' : 'period';
}

/** The same instant a year earlier, 29 February becoming 28 February as the API counts it. */
function yearBefore(iso: string): string {
  const date = new Date(iso);
  const year = date.getUTCFullYear() - 1;
  const month = date.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay))).toISOString();
}

/**
 * The days a period is compared with: the `days` just before it, or the same days a year before
 * (what `salesStats(compareWith: PREVIOUS_YEAR)` compares a TOTAL bucket with).
 * @example comparedRange(periodEndingAt(new Date('2026-06-29T13:00:00Z'), 30), 'year').from // "2025-05-31T00:00:00.000Z"
 */
export function comparedRange(period: Period, comparison: Comparison): { from: string; to: string } {
  return comparison === 'year'
    ? {
        from: yearBefore(period.from),
        // As long as the period itself, across 29 February too (as the API compares TOTAL).
        to: new Date(
          Date.parse(yearBefore(period.from)) + Date.parse(period.to) - Date.parse(period.from),
        ).toISOString(),
      }
    : { from: period.previousFrom, to: period.from };
}

/** How labels name what a period is compared with: "the previous 30 days", "the same 30 days last year". */
export function comparisonLabel(days: number, comparison: Comparison): string {
  return comparison === 'year' ? `the same ${days} days last year` : `the previous ${days} days`;
}

/** Reads a period choice from a search parameter, falling back to `fallback`. */
export function parsePeriodDays(value: string | undefined, fallback: PeriodDays): PeriodDays {
  const days = Number(value);
  return PERIOD_CHOICES.find((choice) => choice === days) ?? fallback;
}
