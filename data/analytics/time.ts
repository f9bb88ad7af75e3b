import type { StatsInterval } from '../types';

/** PostgreSQL's date_trunc unit and step for an interval. */
export const PERIOD_SQL: Record<Exclude<StatsInterval, 'TOTAL'>, { unit: string; step: string }> = {
  DAY: { unit: 'day', step: '1 day' },
  WEEK: { unit: 'week', step: '1 week' },
  MONTH: { unit: 'month', step: '1 month' },
  QUARTER: { unit: 'quarter', step: '3 months' },
  YEAR: { unit: 'year', step: '1 year' },
};

// Zones whose offset is always zero: their days are UTC days, which the mart stores.
const ALWAYS_UTC = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'Etc/GMT',
  'Etc/Universal',
  'Etc/Zulu',
  'GMT',
  'UCT',
  'Universal',
  'Zulu',
]);

/** Whether periods in this zone coincide with UTC days. */
export function isUtcZone(timeZone: string): boolean {
  return ALWAYS_UTC.has(timeZone);
}

/** The UTC calendar day of an instant, as YYYY-MM-DD (what a `date` column of the mart holds). */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Whether an instant is a UTC midnight. */
export function isUtcMidnight(date: Date): boolean {
  return date.getTime() % 86_400_000 === 0;
}

/** Whether an instant is the first moment of a UTC calendar month. */
export function isUtcMonthStart(date: Date): boolean {
  return isUtcMidnight(date) && date.getUTCDate() === 1;
}
