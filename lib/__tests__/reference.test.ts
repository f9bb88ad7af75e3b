import { gs1CheckDigit, isValidGtin } from '../reference';

describe('GTIN check digits', () => {
  it('accepts known GTINs and refuses a wrong check digit', () => {
    // EAN-13 4006381333931 and UPC-A 036000291452, as GTIN-14.
    expect(isValidGtin('04006381333931')).toBe(true);
    expect(isValidGtin('00036000291452')).toBe(true);
    expect(gs1CheckDigit('0003600029145')).toBe(2);
    expect(isValidGtin('00036000291453')).toBe(false);
  });

  it('refuses anything but 8 to 14 digits', () => {
    expect(isValidGtin('1234567')).toBe(false);
    expect(isValidGtin('0400638133393a')).toBe(false);
    expect(isValidGtin('004006381333931')).toBe(false);
  });
});
