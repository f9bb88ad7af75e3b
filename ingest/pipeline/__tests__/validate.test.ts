import type { ListingRecord, SaleRecord, SoldSnapshotRecord } from '../../types';
import { normalizeCondition } from '../conditions';
import { validateRecord } from '../validate';

const listing = (overrides: Partial<ListingRecord> = {}): ListingRecord => ({
  kind: 'listing',
  locator: 'line 2',
  marketplace: 'ebay-us',
  externalId: '1155',
  title: 'Apple iPhone 15',
  observedAt: '2026-05-01T08:00:00Z',
  ...overrides,
});

const sale = (overrides: Partial<SaleRecord> = {}): SaleRecord => ({
  kind: 'sale',
  locator: 'line 3',
  marketplace: 'ebay-us',
  externalId: '1155',
  sourceKey: 'order-1',
  soldAt: '2026-05-02T10:00:00Z',
  unitPrice: { decimal: '12.50', currency: 'USD' },
  quantity: 1,
  granularity: 'TRANSACTION',
  ...overrides,
});

function issueOf(record: Parameters<typeof validateRecord>[0]) {
  const result = validateRecord(record);
  if (result.ok) throw new Error(`expected ${record.locator} to fail validation`);
  return result.issue;
}

function valueOf(record: Parameters<typeof validateRecord>[0]) {
  const result = validateRecord(record);
  if (!result.ok) throw new Error(`expected success, got ${result.issue.code}: ${result.issue.reason}`);
  return result.value;
}

describe('validateRecord', () => {
  it('reads the placeholders marketplaces use for a missing identifier as none, keeping the record', () => {
    for (const placeholder of ['Does not apply', 'Does Not Apply', 'N/A', 'not applicable', '-']) {
      const value = valueOf(listing({ brand: placeholder, mpn: placeholder, gtin: placeholder }));
      expect(value).toMatchObject({ kind: 'listing', brand: null, mpn: null, gtin: null });
    }
    // A real brand that merely contains such a word stays.
    expect(valueOf(listing({ brand: 'Unbranded', mpn: 'NA-1000' }))).toMatchObject({
      brand: 'Unbranded',
      mpn: 'NA-1000',
    });
  });

  it('normalizes a listing: GTIN-14, minor units, condition enum with raw words kept, Dates', () => {
    const value = valueOf(
      listing({
        gtin: '194253111115',
        conditionRaw: ' Pre-owned ',
        conditionId: '3000',
        price: { decimal: '689.99', currency: 'usd' },
        images: [
          { url: 'https://i.example/a.jpg' },
          { url: 'https://i.example/b.jpg', width: 800, height: 600 },
          { url: 'https://i.example/a.jpg' },
        ],
        category: {
          path: [
            { externalId: '15032', name: 'Phones' },
            { externalId: '9355', name: 'Smartphones' },
          ],
        },
      }),
    );
    expect(value).toMatchObject({
      kind: 'listing',
      gtin: '00194253111115',
      condition: 'USED',
      conditionRaw: 'Pre-owned',
      priceMinor: 68999,
      currency: 'USD',
      observedAt: new Date('2026-05-01T08:00:00Z'),
      images: [
        { url: 'https://i.example/a.jpg', width: null, height: null },
        { url: 'https://i.example/b.jpg', width: 800, height: 600 },
      ],
      category: [
        { externalId: '15032', name: 'Phones' },
        { externalId: '9355', name: 'Smartphones' },
      ],
    });
  });

  it('converts by each currency exponent and reads zoneless shop timestamps as UTC', () => {
    expect(valueOf(sale({ unitPrice: { decimal: '49800', currency: 'JPY' } }))).toMatchObject({
      unitPriceMinor: 49800,
      currency: 'JPY',
    });
    expect(valueOf(sale({ unitPrice: { minor: 1999, currency: 'EUR' } }))).toMatchObject({ unitPriceMinor: 1999 });
    expect(valueOf(sale({ soldAt: '2026-05-04 11:00:00' }))).toMatchObject({
      soldAt: new Date('2026-05-04T11:00:00Z'),
    });
    expect(valueOf(sale({ soldAt: '2026-05-02T10:00:00+02:00' }))).toMatchObject({
      soldAt: new Date('2026-05-02T08:00:00Z'),
    });
  });

  it.each([
    [
      'UNKNOWN_CURRENCY',
      listing({ price: { decimal: '1.00', currency: 'USX' } }),
      'price: currency must be an ISO-4217 code such as USD, got "USX"',
    ],
    [
      'INVALID_PRICE',
      listing({ price: { decimal: '12.999', currency: 'USD' } }),
      'price: USD has 2 decimal digits, got "12.999"',
    ],
    [
      'INVALID_PRICE',
      sale({ unitPrice: { minor: -5, currency: 'USD' } }),
      'unitPrice: minor units must be a non-negative integer, got -5',
    ],
    [
      'INVALID_PRICE',
      sale({ shipping: { decimal: '1.00', currency: 'EUR' } }),
      'shipping is in EUR but the unit price in USD; one sale holds one currency',
    ],
    [
      'UNKNOWN_MARKETPLACE',
      listing({ marketplace: 'ebay-mars' }),
      'marketplace must be one of ebay-us, ebay-de, ebay-uk, amazon-us, amazon-jp, etsy, got "ebay-mars"',
    ],
    [
      'INVALID_TIMESTAMP',
      sale({ soldAt: '2026-02-30T10:00:00Z' }),
      'soldAt must be an ISO-8601 timestamp such as 2026-05-01T12:00:00Z, got "2026-02-30T10:00:00Z"',
    ],
    [
      'INVALID_TIMESTAMP',
      sale({ soldAt: 'yesterday' }),
      'soldAt must be an ISO-8601 timestamp such as 2026-05-01T12:00:00Z, got "yesterday"',
    ],
    ['INVALID_QUANTITY', sale({ quantity: 0 }), 'quantity must be a positive integer, got 0'],
    ['INVALID_QUANTITY', sale({ quantity: 1.5 }), 'quantity must be a positive integer, got 1.5'],
    ['MISSING_FIELD', listing({ title: '  ' }), 'title is required and was empty'],
    ['MISSING_FIELD', sale({ sourceKey: '' }), 'sourceKey is required and was empty'],
    ['INVALID_TEXT', listing({ title: 'bad\u0000title' }), 'title contains a NUL character (\\u0000)'],
  ] as const)('quarantines %s: %s', (code, record, reason) => {
    expect(issueOf(record)).toEqual({ locator: record.locator, code, reason, record });
  });

  it.each([
    ['gtin', 'INVALID_GTIN', { gtin: '194253111116' }, 'gtin 194253111116 fails its check digit'],
    ['gtin', 'INVALID_GTIN', { gtin: '12345678901' }, 'gtin must have 8, 12, 13 or 14 digits, got "12345678901"'],
    [
      'images',
      'INVALID_URL',
      { images: [{ url: 'ftp://x/y.jpg' }] },
      'images[0].url must be an http(s) URL, got "ftp://x/y.jpg"',
    ],
  ] as ['gtin' | 'images', string, Partial<ListingRecord>, string][])(
    'drops only a bad %s (%s), keeps the listing and notes why',
    (field, code, bad, reason) => {
      const record = listing({
        ...bad,
        brand: 'Apple',
        mpn: 'MTP03',
        galleryComplete: true,
        ...(field === 'images' ? {} : { images: [{ url: 'https://i.example/a.jpg' }] }),
      });
      const result = validateRecord(record);
      if (!result.ok) throw new Error(`expected ${record.locator} to be kept`);
      expect(result.value).toMatchObject({ brand: 'Apple', mpn: 'MTP03', [field]: null });
      // A gallery that failed is no statement about the gallery: nothing stored is deleted.
      if (field === 'images') expect(result.value).toMatchObject({ galleryComplete: false });
      expect(result.notes).toEqual([
        {
          locator: `line 2:${field}`,
          code,
          reason: `${reason}; the listing is stored without its ${field}`,
          record: bad[field],
        },
      ]);
    },
  );

  it('keeps units available up to 2^31 - 1 and drops a count past it with a note, keeping the listing', () => {
    expect(valueOf(listing({ availableQuantity: 2_147_483_647 }))).toMatchObject({ availableQuantity: 2_147_483_647 });
    const result = validateRecord(listing({ availableQuantity: 2_147_483_648 }));
    if (!result.ok) throw new Error('expected the listing to be kept');
    expect(result.value).toMatchObject({ title: 'Apple iPhone 15', availableQuantity: null });
    expect(result.notes).toEqual([
      {
        locator: 'line 2:availableQuantity',
        code: 'INVALID_QUANTITY',
        reason:
          'availableQuantity must be a whole number from 0 to 2147483647, got 2147483648; the listing is stored without its availableQuantity',
        record: 2_147_483_648,
      },
    ]);
  });

  it('tells a listing with no current price (out of stock) from one that says nothing about its price', () => {
    expect(valueOf(listing({ noCurrentPrice: true }))).toMatchObject({ priceMinor: null, noCurrentPrice: true });
    expect(valueOf(listing())).toMatchObject({ priceMinor: null, noCurrentPrice: false });
    // A price wins over the flag.
    const priced = listing({ noCurrentPrice: true, price: { minor: 999, currency: 'USD' } });
    expect(valueOf(priced)).toMatchObject({ priceMinor: 999, noCurrentPrice: false });
  });

  it('validates sold snapshots: totals are non-negative integers', () => {
    const snapshot: SoldSnapshotRecord = {
      kind: 'soldSnapshot',
      locator: 'item 1',
      marketplace: 'ebay-us',
      externalId: '1155',
      observedAt: '2026-05-01T00:00:00Z',
      totalSoldQuantity: -1,
    };
    expect(issueOf(snapshot).code).toBe('INVALID_QUANTITY');
    expect(
      valueOf({ ...snapshot, totalSoldQuantity: 4, lastSoldPrice: { decimal: '10', currency: 'GBP' } }),
    ).toMatchObject({
      totalSoldQuantity: 4,
      lastSoldPriceMinor: 1000,
      currency: 'GBP',
      lastSoldAt: null,
    });
  });
});

describe('normalizeCondition', () => {
  it.each([
    ['1000', null, 'NEW'],
    ['1500', 'New other (see details)', 'OPEN_BOX'],
    ['1750', null, 'OPEN_BOX'],
    ['2000', null, 'REFURBISHED'],
    ['2500', null, 'REFURBISHED'],
    ['3000', null, 'USED'],
    ['6000', null, 'USED'],
    ['7000', null, 'FOR_PARTS'],
    [null, 'Brand New', 'NEW'],
    [null, 'Neu: Sonstige (siehe Artikelbeschreibung)', 'OPEN_BOX'],
    [null, 'Used - Like New', 'OPEN_BOX'],
    [null, 'Renewed Premium', 'REFURBISHED'],
    [null, 'Vom Verkäufer generalüberholt', 'REFURBISHED'],
    [null, 'Gebraucht', 'USED'],
    [null, '中古品 - ほぼ新品', 'OPEN_BOX'],
    [null, '中古品 - 良い', 'USED'],
    [null, '新品', 'NEW'],
    [null, 'Als Ersatzteil / defekt', 'FOR_PARTS'],
    [null, 'Handmade', 'NEW'],
    [null, 'Vintage', 'USED'],
    [null, 'mint-ish', 'UNKNOWN'],
    ['9999', null, 'UNKNOWN'],
    [null, null, null],
  ] as const)('maps id %s / %s to %s', (id, words, expected) => {
    expect(normalizeCondition(id, words)).toBe(expected);
  });
});
