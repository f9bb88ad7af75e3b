import type { RawPayload } from '../../../types';
import { BROWSE_SEARCH_PATH, INSIGHTS_SEARCH_PATH, parseEbayPayload } from '../parse';

const fetchedAt = '2026-03-01T10:00:00.000Z';
const request = { marketplaceId: 'EBAY_US', fetchedAt, params: { q: 'iphone', limit: '200', offset: '0' } };

function payload(endpoint: string, body: unknown, overrides: Partial<RawPayload> = {}): RawPayload {
  return { endpoint, request, status: 200, body: typeof body === 'string' ? body : JSON.stringify(body), ...overrides };
}

// Shaped like a real item_summary/search answer (fields as in eBay's Browse spec and samples).
const searchPage = {
  href: 'https://api.ebay.com/buy/browse/v1/item_summary/search?q=iphone&limit=200&offset=0',
  total: 2,
  limit: 200,
  offset: 0,
  itemSummaries: [
    {
      itemId: 'v1|325512345678|0',
      legacyItemId: '325512345678',
      title: 'Apple iPhone 13 128GB Blue Unlocked',
      price: { value: '389.99', currency: 'USD' },
      marketingPrice: { originalPrice: { value: '429.00', currency: 'USD' }, discountPercentage: '9' },
      buyingOptions: ['FIXED_PRICE', 'BEST_OFFER'],
      condition: 'Used',
      conditionId: '3000',
      epid: '19056296445',
      categories: [
        { categoryId: '9355', categoryName: 'Cell Phones & Smartphones' },
        { categoryId: '15032', categoryName: 'Cell Phones & Accessories' },
      ],
      leafCategoryIds: ['9355'],
      image: { imageUrl: 'https://i.ebayimg.com/images/g/abc/s-l225.jpg' },
      additionalImages: [
        { imageUrl: 'https://i.ebayimg.com/images/g/def/s-l225.jpg', width: 1600, height: 1200 },
        { imageUrl: 'https://i.ebayimg.com/images/g/abc/s-l225.jpg' },
      ],
      itemLocation: { postalCode: '432**', country: 'US' },
      seller: { username: 'seller1', feedbackPercentage: '99.9', feedbackScore: 31327 },
      itemCreationDate: '2026-02-20T03:37:02.000Z',
      itemOriginDate: '2026-02-20T03:37:02.000Z',
      itemWebUrl: 'https://www.ebay.com/itm/325512345678',
      listingMarketplaceId: 'EBAY_US',
    },
    {
      itemId: 'v1|204411112222|0',
      title: 'iPhone 12 mini auction',
      price: { value: '120.00', currency: 'USD' },
      currentBidPrice: { value: '120.00', currency: 'USD' },
      buyingOptions: ['AUCTION'],
      condition: 'For parts or not working',
      conditionId: '7000',
      categories: [{ categoryId: '9355', categoryName: 'Cell Phones & Smartphones' }],
      itemCreationDate: '2026-02-25T00:00:00.000Z',
      itemEndDate: '2026-02-28T00:00:00.000Z',
      itemWebUrl: 'https://www.ebay.com/itm/204411112222',
    },
  ],
};

describe('eBay Browse search parser', () => {
  it('turns item summaries into listings with images, categories and price observations', () => {
    const parsed = parseEbayPayload(payload(BROWSE_SEARCH_PATH, searchPage), 'ebay-browse');
    expect(parsed.rejects).toEqual([]);
    const [first, ...rest] = parsed.records;
    expect(first).toEqual({
      kind: 'listing',
      locator: `${BROWSE_SEARCH_PATH}#itemSummaries[0]:v1|325512345678|0`,
      marketplace: 'ebay-us',
      externalId: 'v1|325512345678|0',
      title: 'Apple iPhone 13 128GB Blue Unlocked',
      observedAt: fetchedAt,
      conditionRaw: 'Used',
      conditionId: '3000',
      url: 'https://www.ebay.com/itm/325512345678',
      homeStated: true,
      price: { decimal: '389.99', currency: 'USD' },
      epid: '19056296445',
      status: 'ACTIVE',
      // Leaf first in a summary, read leaf last; partial: a summary may skip ancestors.
      category: {
        path: [
          { externalId: '15032', name: 'Cell Phones & Accessories' },
          { externalId: '9355', name: 'Cell Phones & Smartphones' },
        ],
        partial: true,
      },
      // One picture per key, at its largest size; dimensions of the small size do not carry over.
      images: [
        { url: 'https://i.ebayimg.com/images/g/abc/s-l1600.jpg', width: null, height: null },
        { url: 'https://i.ebayimg.com/images/g/def/s-l1600.jpg', width: null, height: null },
      ],
    });
    // A summary never claims brand, MPN or GTIN: only getItem knows them.
    expect(first).not.toHaveProperty('brand');
    expect(
      rest
        .filter((r) => r.kind === 'priceObservation')
        .map((r) => r.kind === 'priceObservation' && [r.externalId, r.priceKind, r.price]),
    ).toEqual([
      ['v1|325512345678|0', 'LIST', { decimal: '389.99', currency: 'USD' }],
      ['v1|325512345678|0', 'ORIGINAL', { decimal: '429.00', currency: 'USD' }],
      ['v1|204411112222|0', 'LIST', { decimal: '120.00', currency: 'USD' }],
      ['v1|204411112222|0', 'BID', { decimal: '120.00', currency: 'USD' }],
    ]);
    const ended = parsed.records.find((r) => r.kind === 'listing' && r.externalId === 'v1|204411112222|0');
    expect(ended).toMatchObject({ status: 'ENDED', images: [] });
    expect(parsed.watermark).toBeUndefined();
  });

  it('passes on the watermark the fetch put on its last payload', () => {
    const last = payload(BROWSE_SEARCH_PATH, searchPage, {
      request: { ...request, watermark: '2026-02-25T00:00:00Z' },
    });
    expect(parseEbayPayload(last, 'ebay-browse').watermark).toBe('2026-02-25T00:00:00.000Z');
  });

  const parseOne = (item: Record<string, unknown>) =>
    parseEbayPayload(payload(BROWSE_SEARCH_PATH, { total: 1, itemSummaries: [item] }), 'ebay-browse');
  const converted = { value: '130.00', currency: 'USD', convertedFromValue: '102.50', convertedFromCurrency: 'GBP' };

  it('files a listing of another site under its home site, with both sides of the converted price', () => {
    const parsed = parseOne({ ...searchPage.itemSummaries[1], price: converted, listingMarketplaceId: 'EBAY_GB' });
    expect(parsed.records[0]).toMatchObject({
      marketplace: 'ebay-uk',
      homeStated: true,
      price: { decimal: '102.50', currency: 'GBP' },
      convertedPrice: { decimal: '130.00', currency: 'USD', at: fetchedAt },
    });
    // The observations are the listing's own prices too: one currency per listing.
    expect(parsed.records.filter((r) => r.kind === 'priceObservation')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ marketplace: 'ebay-uk', price: { decimal: '102.50', currency: 'GBP' } }),
      ]),
    );
    // Without listingMarketplaceId, GBP names ebay-uk: no other eBay site is priced in it.
    expect(parseOne({ ...searchPage.itemSummaries[1], price: converted }).records[0]).toMatchObject({
      marketplace: 'ebay-uk',
      homeStated: true,
    });
  });

  it('quarantines a price whose currency contradicts the site, and listings of untracked sites', () => {
    const gbpOnUs = parseOne({ ...searchPage.itemSummaries[1], price: { value: '99.00', currency: 'GBP' } });
    expect(gbpOnUs.records).toEqual([]);
    expect(gbpOnUs.rejects.map((r) => [r.code, r.reason])).toEqual([
      [
        'EBAY_CURRENCY_MISMATCH',
        'item v1|204411112222|0 on ebay-us is priced in GBP, not USD, and carries no conversion',
      ],
    ]);
    const australian = parseOne({ ...searchPage.itemSummaries[1], listingMarketplaceId: 'EBAY_AU' });
    expect(australian.rejects.map((r) => r.code)).toEqual(['EBAY_UNTRACKED_SITE']);
    // AUD is one untracked site; EUR is several eBay sites, ebay-de among them: neither names a home.
    for (const currency of ['AUD', 'EUR']) {
      const unnamed = parseOne({
        ...searchPage.itemSummaries[1],
        price: { value: '130.00', currency: 'USD', convertedFromValue: '120.00', convertedFromCurrency: currency },
      });
      expect(unnamed.rejects.map((r) => r.code)).toEqual(['EBAY_UNTRACKED_SITE']);
    }
  });

  it('marks the searched site as only where a listing was seen when the item does not name its home', () => {
    const { listingMarketplaceId: _home, ...withoutHome } = searchPage.itemSummaries[0] as Record<string, unknown>;
    expect(parseOne(withoutHome).records[0]).toMatchObject({ marketplace: 'ebay-us', homeStated: false });
  });

  it('reads thumbnails and other sizes of one picture as that picture at 1600', () => {
    const parsed = parseOne({
      ...searchPage.itemSummaries[1],
      image: { imageUrl: 'https://i.ebayimg.com/thumbs/images/g/Kx0AAOSw~1/s-l225.webp' },
      additionalImages: [
        { imageUrl: 'https://i.ebayimg.com/images/g/Kx0AAOSw~1/s-l500.jpg' },
        { imageUrl: 'https://i.ebayimg.com/images/g/Zz9AAOSw~2/s-l1600.jpg', width: 1200, height: 1600 },
        { imageUrl: 'https://example.com/own-host/picture.jpg', width: 800, height: 600 },
      ],
    });
    expect(parsed.records[0]).toMatchObject({
      images: [
        { url: 'https://i.ebayimg.com/images/g/Kx0AAOSw~1/s-l1600.jpg', width: null, height: null },
        { url: 'https://i.ebayimg.com/images/g/Zz9AAOSw~2/s-l1600.jpg', width: 1200, height: 1600 },
        { url: 'https://example.com/own-host/picture.jpg', width: 800, height: 600 },
      ],
    });
  });

  it('sets malformed items aside with stable codes and keeps the rest', () => {
    const body = {
      total: 5,
      offset: 200,
      itemSummaries: [
        'oops',
        { title: 'no id', price: { value: '1.00', currency: 'USD' } },
        { itemId: 'v1|1|0', price: { value: '1.00', currency: 'USD' } },
        { itemId: 'v1|2|0', title: 'bad price', price: { value: 12.5 } },
        searchPage.itemSummaries[0],
      ],
    };
    const parsed = parseEbayPayload(payload(BROWSE_SEARCH_PATH, body), 'ebay-browse');
    expect(parsed.rejects.map((r) => [r.locator, r.code])).toEqual([
      [`${BROWSE_SEARCH_PATH}#itemSummaries[200]`, 'EBAY_ITEM_NOT_OBJECT'],
      [`${BROWSE_SEARCH_PATH}#itemSummaries[201]`, 'EBAY_ITEM_NO_ID'],
      [`${BROWSE_SEARCH_PATH}#itemSummaries[202]:v1|1|0`, 'EBAY_ITEM_NO_TITLE'],
      [`${BROWSE_SEARCH_PATH}#itemSummaries[203]:v1|2|0`, 'EBAY_ITEM_BAD_PRICE'],
    ]);
    expect(parsed.rejects[3]?.record).toEqual(body.itemSummaries[3]);
    expect(parsed.records.filter((r) => r.kind === 'listing')).toHaveLength(1);
  });

  it('reads an empty page (no itemSummaries) as no records', () => {
    expect(parseEbayPayload(payload(BROWSE_SEARCH_PATH, { total: 0, limit: 200, offset: 0 }), 'ebay-browse')).toEqual({
      records: [],
      rejects: [],
    });
  });

  it('quarantines a page that is not JSON as one reject instead of throwing', () => {
    const parsed = parseEbayPayload(payload(BROWSE_SEARCH_PATH, '{"itemSummaries": ['), 'ebay-browse');
    expect(parsed.records).toEqual([]);
    expect(parsed.rejects).toEqual([
      {
        locator: BROWSE_SEARCH_PATH,
        code: 'EBAY_MALFORMED_JSON',
        reason: expect.stringMatching(/^the payload is not JSON/),
      },
    ]);
  });

  it('needs the marketplace and fetch time in the request', () => {
    const parsed = parseEbayPayload(
      payload(BROWSE_SEARCH_PATH, searchPage, { request: { params: {} } }),
      'ebay-browse',
    );
    expect(parsed.rejects.map((r) => r.code)).toEqual(['EBAY_REQUEST_INCOMPLETE']);
  });
});

describe('eBay getItem parser', () => {
  const item = {
    itemId: 'v1|325512345678|0',
    title: 'Apple iPhone 13 128GB Blue Unlocked',
    price: { value: '389.99', currency: 'USD' },
    brand: 'Apple',
    mpn: 'MLMT3LL/A',
    gtin: '194252707272',
    epid: '19056296445',
    condition: 'Used',
    conditionId: '3000',
    categoryPath: 'Cell Phones & Accessories|Cell Phones & Smartphones',
    categoryIdPath: '15032|9355',
    image: { imageUrl: 'https://i.ebayimg.com/images/g/abc/s-l1600.jpg', width: 1600, height: 1600 },
    additionalImages: [{ imageUrl: 'https://i.ebayimg.com/images/g/def/s-l1600.jpg' }],
    itemWebUrl: 'https://www.ebay.com/itm/325512345678',
  };

  it('adds identifiers, every image and the category path', () => {
    const parsed = parseEbayPayload(payload('/buy/browse/v1/item/v1|325512345678|0', item), 'ebay-browse');
    expect(parsed.records[0]).toMatchObject({
      kind: 'listing',
      externalId: 'v1|325512345678|0',
      brand: 'Apple',
      mpn: 'MLMT3LL/A',
      gtin: '194252707272',
      epid: '19056296445',
      category: {
        path: [
          { externalId: '15032', name: 'Cell Phones & Accessories' },
          { externalId: '9355', name: 'Cell Phones & Smartphones' },
        ],
      },
      images: [
        { url: 'https://i.ebayimg.com/images/g/abc/s-l1600.jpg', width: 1600, height: 1600 },
        { url: 'https://i.ebayimg.com/images/g/def/s-l1600.jpg', width: null, height: null },
      ],
    });
  });

  it('reads the units available from the first estimate that states them, and none from a threshold alone', () => {
    const parse = (estimatedAvailabilities: unknown) =>
      parseEbayPayload(payload('/buy/browse/v1/item/v1|1|0', { ...item, estimatedAvailabilities }), 'ebay-browse')
        .records[0];
    const threshold = {
      estimatedAvailabilityStatus: 'IN_STOCK',
      availabilityThresholdType: 'MORE_THAN',
      availabilityThreshold: 10,
    };
    expect(
      parse([threshold, { estimatedAvailabilityStatus: 'IN_STOCK', estimatedAvailableQuantity: 7 }]),
    ).toMatchObject({
      availableQuantity: 7,
    });
    expect(parse([{ estimatedAvailabilityStatus: 'OUT_OF_STOCK', estimatedAvailableQuantity: 0 }])).toMatchObject({
      availableQuantity: 0,
    });
    expect(parse([threshold])).not.toHaveProperty('availableQuantity');
    expect(parse(undefined)).not.toHaveProperty('availableQuantity');
  });
});

describe('eBay Marketplace Insights parser', () => {
  const sales = {
    total: 2,
    itemSales: [
      {
        itemId: 'v1|110588014268|0',
        title: 'Apple iPhone 11 64GB',
        condition: 'Used',
        conditionId: '3000',
        buyingOptions: ['FIXED_PRICE'],
        categories: [{ categoryId: '9355' }],
        image: { imageUrl: 'https://i.ebayimg.com/images/g/x/s-l225.jpg', width: 225, height: 225 },
        lastSoldDate: '2026-02-27T18:04:11.000Z',
        lastSoldPrice: { value: '154.00', currency: 'USD' },
        totalSoldQuantity: 3,
        itemWebUrl: 'https://www.ebay.com/itm/110588014268',
      },
      { itemId: 'v1|2|0', title: 'no quantity', lastSoldPrice: { value: '1.00', currency: 'USD' } },
    ],
  };

  it('turns sold items into listings and sold snapshots', () => {
    const parsed = parseEbayPayload(payload(INSIGHTS_SEARCH_PATH, sales), 'ebay-insights');
    expect(parsed.records).toHaveLength(2);
    // Nameless categories are left out rather than named by their id. Insights names no
    // home site: the searched one is only where the sale was seen.
    expect(parsed.records[0]).toMatchObject({
      kind: 'listing',
      externalId: 'v1|110588014268|0',
      title: 'Apple iPhone 11 64GB',
      homeStated: false,
    });
    expect(parsed.records[0]).not.toHaveProperty('category');
    expect(parsed.records[0]).not.toHaveProperty('price');
    expect(parsed.records[1]).toEqual({
      kind: 'soldSnapshot',
      locator: `${INSIGHTS_SEARCH_PATH}#itemSales[0]:v1|110588014268|0:sold`,
      marketplace: 'ebay-us',
      externalId: 'v1|110588014268|0',
      observedAt: fetchedAt,
      totalSoldQuantity: 3,
      lastSoldAt: '2026-02-27T18:04:11.000Z',
      lastSoldPrice: { decimal: '154.00', currency: 'USD' },
      windowDays: 90,
    });
    expect(parsed.rejects.map((r) => r.code)).toEqual(['EBAY_SALE_BAD_QUANTITY']);
  });

  it('reads lifetime totals without a window when told so (the demo source)', () => {
    const parsed = parseEbayPayload(payload(INSIGHTS_SEARCH_PATH, sales), 'demo', { soldTotals: 'lifetime' });
    expect(parsed.records[1]).toMatchObject({ kind: 'soldSnapshot', totalSoldQuantity: 3, windowDays: null });
  });
});
