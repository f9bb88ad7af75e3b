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
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

/** Whether `code` is an ISO-4217 code the runtime knows, e.g. `USD`. */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

/**
 * Formats minor units as an exact decimal string, without floating point.
 * @example decimalAmount({ minorUnits: -1205, currency: 'USD' }) // "-12.05"
 */
export function decimalAmount({ minorUnits, currency }: MoneyValue): string {
  const exponent = currencyExponent(currency);
  const digits = Math.abs(minorUnits).toString().padStart(exponent + 1, '0');
  const sign = minorUnits < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Revenue per unit, rounded half away from zero to the minor unit; null without units.
 * @example averagePrice(1001, 2, 'USD') // { minorUnits: 501, currency: 'USD' }
 */
export function averagePrice(revenueMinor: number, units: number, currency: string): MoneyValue | null {
  return units > 0 ? { minorUnits: Math.round(revenueMinor / units), currency } : null;
}
