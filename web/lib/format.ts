// Display formatting with one fixed locale, so server-rendered HTML and hydration agree.
const LOCALE = 'en-US';

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}:${compact}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency,
      ...(compact ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 } : {}),
    });
    moneyFormats.set(key, format);
  }
  return format;
}

/** An amount as the API sends it: an exact decimal string in major units, with its currency. */
export type MoneyLike = { amount: string; currency: string };

/**
 * Formats money exactly: the decimal string goes to Intl as is, never through a float.
 * @example formatMoney({ amount: '1299.5', currency: 'USD' }) // "$1,299.50"
 */
export function formatMoney(money: MoneyLike | null | undefined, options: { compact?: boolean } = {}): string {
  if (!money) return '—';
  return moneyFormat(money.currency, options.compact ?? false).format(money.amount as Intl.StringNumericLiteral);
}

/** What a listing shows for its asking price: "Unavailable" when it has none (out of stock), never 0. */
export const NO_ASKING_PRICE = 'Unavailable';

/** A listing's current asking price, or NO_ASKING_PRICE when the API sends null. */
export function formatAskingPrice(price: MoneyLike | null | undefined): string {
  return price ? formatMoney(price) : NO_ASKING_PRICE;
}

/** The number of fraction digits a currency's minor unit has (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return moneyFormat(currency, false).resolvedOptions().maximumFractionDigits ?? 2;
}

const integer = new Intl.NumberFormat(LOCALE);

/** A count with thousands separators. */
export function formatCount(value: number): string {
  return integer.format(value);
}

const percent = new Intl.NumberFormat(LOCALE, {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

/** A relative change (0.12 → "+12%"); null when there is nothing to compare with. */
export function formatChange(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? 'n/a' : percent.format(ratio);
}

const day = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
/** A calendar day in UTC, e.g. "Jun 29, 2026". */
export function formatDay(iso: string): string {
  return day.format(new Date(iso));
}

/**
 * An instant in UTC, e.g. "2026-06-29 14:15 UTC". Built by hand rather than with Intl so
 * the server's and the browser's ICU versions cannot render it differently (a hydration
 * mismatch in client components).
 */
export function formatInstant(iso: string): string {
  const text = new Date(iso).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** How long a run took, in seconds; a dash while it has not ended (null). */
export function formatDuration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

/** The relative change from `before` to `now`, or null when `before` is zero or missing. */
export function relativeChange(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / before;
}

/**
 * Minor units as the API's exact decimal string, without floating point.
 * @example minorToAmount(-1205, 'USD') // "-12.05"
 */
export function minorToAmount(minorUnits: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minorUnits < 0 ? '-' : '';
  const text = Math.abs(Math.trunc(minorUnits))
    .toString()
    .padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
