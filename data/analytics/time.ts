import { badUserInput } from '../../lib/errors';
import type { StatsInterval } from '../../resolvers/__generated__/resolvers-types';

/** Most periods one time series may have; beyond that a coarser interval is the answer. */
export const MAX_PERIODS = 1_000;

const APPROXIMATE_DAYS: Record<Exclude<StatsInterval, 'TOTAL'>, number> = {
  DAY: 1,
  WEEK: 7,
  MONTH: 28,
  QUARTER: 89,
  YEAR: 365,
};

/** PostgreSQL's date_trunc unit and step for an interval. */
export const PERIOD_SQL: Record<Exclude<StatsInterval, 'TOTAL'>, { unit: string; step: string }> = {
  DAY: { unit: 'day', step: '1 day' },
  WEEK: { unit: 'week', step: '1 week' },
  MONTH: { unit: 'month', step: '1 month' },
  QUARTER: { unit: 'quarter', step: '3 months' },
  YEAR: { unit: 'year', step: '1 year' },
};

/** Validates an IANA time zone name such as `Europe/Berlin`. */
export function parseTimeZone(timeZone: string, argument = 'timeZone'): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw badUserInput(
      `${argument} must be an IANA time zone such as "UTC" or "America/New_York", got ${JSON.stringify(timeZone)}`,
      argument,
    );
  }
}

// Zones whose offset is always zero: their days are UTC days, which the mart stores.
const ALWAYS_UTC = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'Etc/GMT', 'Etc/Universal', 'Etc/Zulu', 'GMT', 'UCT', 'Universal', 'Zulu']);

/** Whether periods in this zone coincide with UTC days. */
export function isUtcZone(timeZone: string): boolean {
  return ALWAYS_UTC.has(timeZone);
}

/** Whether an instant is a UTC midnight. */
export function isUtcMidnight(date: Date): boolean {
  return date.getTime() % 86_400_000 === 0;
}

/** Whether an instant is the first moment of a UTC calendar month. */
export function isUtcMonthStart(date: Date): boolean {
  return isUtcMidnight(date) && date.getUTCDate() === 1;
}

/** Checks a statistics range: present, ordered, and not more than MAX_PERIODS buckets long. */
export function checkRange(from: Date, to: Date, interval: StatsInterval): void {
  if (from.getTime() >= to.getTime()) {
    throw badUserInput(
      `from (${from.toISOString()}) must be before to (${to.toISOString()})`,
      'from',
    );
  }
  if (interval === 'TOTAL') return;
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  const periods = Math.ceil(days / APPROXIMATE_DAYS[interval]);
  if (periods > MAX_PERIODS) {
    throw badUserInput(
      `from..to spans about ${periods} ${interval} periods; at most ${MAX_PERIODS} are allowed: choose a coarser interval or a shorter range`,
      'interval',
    );
  }
}
