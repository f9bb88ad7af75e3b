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

/** Reads a period choice from a search parameter, falling back to `fallback`. */
export function parsePeriodDays(value: string | undefined, fallback: PeriodDays): PeriodDays {
  const days = Number(value);
  return PERIOD_CHOICES.find((choice) => choice === days) ?? fallback;
}
