import { currencyExponent, decimalAmount, isCurrencyCode, minorUnitsFromDecimal } from '../money';

describe('money', () => {
  it.each([
    [1205, 'USD', '12.05'],
    [-1205, 'USD', '-12.05'],
    [5, 'EUR', '0.05'],
    [0, 'GBP', '0.00'],
    [129800, 'JPY', '129800'],
    [1234, 'BHD', '1.234'],
    [9007199254740991, 'USD', '90071992547409.91'],
  ])('formats %i %s as %s', (minorUnits, currency, expected) => {
    expect(decimalAmount({ minorUnits, currency })).toBe(expected);
  });

  it("knows each currency's digits and which codes exist", () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('USD')).toBe(2);
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
  });

  it.each([
    ['12.50', 'USD', 1250],
    ['12.5', 'USD', 1250],
    ['0.07', 'EUR', 7],
    ['129800', 'JPY', 129800],
    ['129800.00', 'JPY', 129800],
    ['1.234', 'BHD', 1234],
    ['19.', 'GBP', 1900],
    ['0.1', 'USD', 10],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('parses %s %s as %i minor units', (decimal, currency, expected) => {
    expect(minorUnitsFromDecimal(decimal, currency)).toBe(expected);
    expect(decimalAmount({ minorUnits: expected, currency })).toBe(
      decimalAmount({ minorUnits: minorUnitsFromDecimal(decimal, currency), currency }),
    );
  });

  it.each([
    ['12.505', 'USD', 'USD has 2 decimal digits, got "12.505"'],
    ['100.5', 'JPY', 'JPY has 0 decimal digits, got "100.5"'],
    ['-1.00', 'USD', 'expected a decimal amount such as "12.50", got "-1.00"'],
    ['1e3', 'USD', 'expected a decimal amount such as "12.50", got "1e3"'],
    ['', 'USD', 'expected a decimal amount such as "12.50", got ""'],
    ['90071992547409.92', 'USD', 'amount "90071992547409.92" is too large'],
  ])('refuses %j %s', (decimal, currency, message) => {
    expect(() => minorUnitsFromDecimal(decimal, currency)).toThrow(message);
  });
});
