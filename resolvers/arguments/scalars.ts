import type { AmountRange, TimeRange } from '../../data/types';
import { badUserInput } from '../../lib/errors';
import { isCurrencyCode } from '../../lib/money';

/** Largest page any connection returns; bigger requests are refused rather than truncated. */
const MAX_PAGE_SIZE = 100;

const ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/** The largest id of a table with 32-bit keys (all but sales, whose ids are 64-bit). */
export const INT4_MAX = 2_147_483_647;

/**
 * Parses a GraphQL `ID` argument into the numeric primary key behind it. Ids are positive
 * integers up to `max` (the key column's range: 32-bit unless said otherwise); anything else
 * is a BAD_USER_INPUT naming the argument, never a value the database would refuse.
 * @example parseId('42', 'id') // 42
 */
export function parseId(value: string | number, argument: string, max = INT4_MAX): number {
  const text = String(value);
  const id = Number(text);
  if (!ID_PATTERN.test(text) || !Number.isSafeInteger(id) || id > max) {
    throw badUserInput(
      `${argument} must be a positive integer id up to ${max} such as "42", got ${JSON.stringify(text)}`,
      argument,
    );
  }
  return id;
}

/** Validates a page size: 0 to MAX_PAGE_SIZE. */
export function parsePageSize(first: number | null | undefined, fallback: number, argument = 'first'): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`${argument} must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`, argument);
  }
  return size;
}

/** Validates a positive count with an upper bound, e.g. `images(first:)`. */
export function parseLimit(value: number, max: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw badUserInput(`${argument} must be between 1 and ${max}, got ${value}`, argument);
  }
  return value;
}

/** Checks that a time range is not inverted (`from` after `to`). */
export function parseTimeRange(
  range: { from?: Date | null; to?: Date | null } | null | undefined,
  argument: string,
): TimeRange | undefined {
  if (!range) return undefined;
  const from = range.from ?? undefined;
  const to = range.to ?? undefined;
  if (from && to && from.getTime() > to.getTime()) {
    throw badUserInput(
      `${argument}: from (${from.toISOString()}) must not be after to (${to.toISOString()})`,
      argument,
    );
  }
  return { from, to };
}

/** Checks a minor-unit range: non-negative ends, min not above max. */
export function parseAmountRange(
  range: { min?: number | null; max?: number | null } | null | undefined,
  argument: string,
): AmountRange | undefined {
  if (!range) return undefined;
  const min = range.min ?? undefined;
  const max = range.max ?? undefined;
  for (const [end, value] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (value !== undefined && value < 0) {
      throw badUserInput(`${argument}.${end} must not be negative, got ${value}`, `${argument}.${end}`);
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw badUserInput(`${argument}: min (${min}) must not be above max (${max})`, argument);
  }
  return { min, max };
}

/** Validates an ISO-4217 currency code such as `USD`. */
export function parseCurrency(code: string | null | undefined, argument: string): string | undefined {
  if (code === null || code === undefined) return undefined;
  if (!isCurrencyCode(code)) {
    throw badUserInput(
      `${argument} must be an ISO-4217 currency code such as "USD", got ${JSON.stringify(code)}`,
      argument,
    );
  }
  return code;
}

/** Validates an IANA time zone name such as `Europe/Berlin`, returning its canonical spelling. */
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

/** Validates a required `from`/`to` pair given as separate arguments: ordered and not empty. */
export function parseRequiredRange(from: Date, to: Date): { from: Date; to: Date } {
  parseTimeRange({ from, to }, 'from');
  if (from.getTime() === to.getTime()) {
    throw badUserInput(`from and to are both ${from.toISOString()}: the range is empty`, 'from');
  }
  return { from, to };
}
