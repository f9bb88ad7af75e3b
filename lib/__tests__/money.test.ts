import { currencyExponent, decimalAmount, isCurrencyCode } from '../money';

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

  it('knows each currency\'s digits and which codes exist', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('USD')).toBe(2);
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('XYZ')).toBe(false);
  });
});
