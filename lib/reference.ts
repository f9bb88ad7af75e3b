/**
 * Reference data: the marketplaces Soldgraph knows, the normalized item conditions, and the
 * GS1 check digit. Production code reads it (ingestion validates against it, the schema's
 * condition enum is built from it); the demo seed adds its own weights on top.
 */

/** Item condition normalized across marketplaces; the marketplace's own words are kept beside it. */
export const PRODUCT_CONDITIONS = ['NEW', 'OPEN_BOX', 'REFURBISHED', 'USED', 'FOR_PARTS', 'UNKNOWN'] as const;
export type ProductCondition = (typeof PRODUCT_CONDITIONS)[number];

/**
 * Which asked price an observation is: the listing's current price, the crossed-out original
 * (strike-through) price, the current auction bid, Amazon's buy box, the lowest new/used
 * third-party offer, or Amazon itself as the seller (Keepa).
 */
export const PRICE_KINDS = ['LIST', 'ORIGINAL', 'BID', 'BUY_BOX', 'NEW_OFFER', 'USED_OFFER', 'AMAZON'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];

/** The family a marketplace belongs to: decides id formats, image sizes and URLs. */
export type MarketplaceKind = 'ebay' | 'amazon' | 'etsy';

/** A marketplace as Soldgraph names it: `code` is its stable public name in the API. */
export type Marketplace = {
  code: string;
  name: string;
  /** ISO-4217 code listings are priced in unless they say otherwise. */
  currency: string;
  kind: MarketplaceKind;
  /** Listing URL without the external id. */
  listingUrlPrefix: string;
};

export const MARKETPLACES: readonly Marketplace[] = [
  {
    code: 'ebay-us',
    name: 'eBay United States',
    currency: 'USD',
    kind: 'ebay',
    listingUrlPrefix: 'https://www.ebay.com/itm/',
  },
  {
    code: 'ebay-de',
    name: 'eBay Deutschland',
    currency: 'EUR',
    kind: 'ebay',
    listingUrlPrefix: 'https://www.ebay.de/itm/',
  },
  {
    code: 'ebay-uk',
    name: 'eBay United Kingdom',
    currency: 'GBP',
    kind: 'ebay',
    listingUrlPrefix: 'https://www.ebay.co.uk/itm/',
  },
  {
    code: 'amazon-us',
    name: 'Amazon.com',
    currency: 'USD',
    kind: 'amazon',
    listingUrlPrefix: 'https://www.amazon.com/dp/',
  },
  {
    code: 'amazon-jp',
    name: 'Amazon.co.jp',
    currency: 'JPY',
    kind: 'amazon',
    listingUrlPrefix: 'https://www.amazon.co.jp/dp/',
  },
  { code: 'etsy', name: 'Etsy', currency: 'USD', kind: 'etsy', listingUrlPrefix: 'https://www.etsy.com/listing/' },
];

/**
 * GS1 check digit for the digits of a GTIN before its check digit: weights 3,1,3,... from the right.
 * @example gs1CheckDigit('400638133393') // 1, so 4006381333931 is a valid EAN-13
 */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `gtin` is 8 to 14 digits and its last digit is the GS1 check digit of the rest. */
export function isValidGtin(gtin: string): boolean {
  if (!/^\d{8,14}$/.test(gtin)) return false;
  return gs1CheckDigit(gtin.slice(0, -1)) === Number(gtin.slice(-1));
}
