/** An amount in integer minor units of an ISO-4217 currency; how money travels through the code. */
export type MoneyValue = { minorUnits: number; currency: string };

const exponents = new Map<string, number>();

/**
 * Digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for BHD),
 * taken from the runtime's ICU data so no table needs maintaining.
 */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

let knownCurrencies: Set<string> | undefined;

/** Whether `code` is an ISO-4217 code the runtime knows, e.g. `USD`. */
export function isCurrencyCode(code: string): boolean {
  // Built once: ingest checks every record, and supportedValuesOf allocates a fresh list per call.
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}

/**
 * Formats minor units as an exact decimal string, without floating point.
 * @example decimalAmount({ minorUnits: -1205, currency: 'USD' }) // "-12.05"
 */
export function decimalAmount({ minorUnits, currency }: MoneyValue): string {
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minorUnits)
    .toString()
    .padStart(exponent + 1, '0');
  const sign = minorUnits < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Parses a decimal string in major units into integer minor units of `currency`, digit by
 * digit (never through floating point). Throws a RangeError naming the problem for anything
 * that is not a plain non-negative decimal with at most the currency's digits, or that
 * exceeds the safe integer range.
 * @example minorUnitsFromDecimal('12.5', 'USD') // 1250
 * @example minorUnitsFromDecimal('129800', 'JPY') // 129800
 */
export function minorUnitsFromDecimal(decimal: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!match) throw new RangeError(`expected a decimal amount such as "12.50", got ${JSON.stringify(decimal)}`);
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw new RangeError(`${currency} has ${exponent} decimal digits, got ${JSON.stringify(decimal)}`);
  }
  const digits = `${match[1] ?? ''}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${JSON.stringify(decimal)} is too large`);
  return minor;
}

/**
 * Revenue per unit, rounded half away from zero to the minor unit; null without units.
 * @example averagePrice(1001, 2, 'USD') // { minorUnits: 501, currency: 'USD' }
 */
export function averagePrice(revenueMinor: number, units: number, currency: string): MoneyValue | null {
  return units > 0 ? { minorUnits: Math.round(revenueMinor / units), currency } : null;
}
