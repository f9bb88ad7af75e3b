import { SourceRequestError } from '../../http/errors';

/** eBay marketplace ids (`X-EBAY-C-MARKETPLACE-ID`) and the marketplace codes records carry. */
const MARKETPLACE_CODES: Readonly<Record<string, { code: string; currency: string }>> = {
  EBAY_US: { code: 'ebay-us', currency: 'USD' },
  EBAY_DE: { code: 'ebay-de', currency: 'EUR' },
  EBAY_GB: { code: 'ebay-uk', currency: 'GBP' },
};

/**
 * The Soldgraph marketplace code for an eBay marketplace id.
 * @example ebayMarketplace('EBAY_GB') // { code: 'ebay-uk', currency: 'GBP' }
 */
export function ebayMarketplace(marketplaceId: string): { code: string; currency: string } {
  const found = MARKETPLACE_CODES[marketplaceId];
  if (!found) {
    throw new SourceRequestError(
      'SOURCE_CONFIG',
      `eBay marketplace ${marketplaceId} has no Soldgraph marketplace; expected one of ${Object.keys(MARKETPLACE_CODES).join(', ')}`,
    );
  }
  return found;
}

/** The marketplace code for an id, or undefined when Soldgraph does not know it. */
export function ebayMarketplaceCode(marketplaceId: string): string | undefined {
  return MARKETPLACE_CODES[marketplaceId]?.code;
}

/** The currency listings on a tracked eBay site are priced in, by Soldgraph marketplace code. */
export function ebaySiteCurrency(code: string): string | undefined {
  return Object.values(MARKETPLACE_CODES).find((site) => site.code === code)?.currency;
}

/**
 * The currency of every eBay site (X-EBAY-C-MARKETPLACE-ID), tracked or not: a converted price's
 * own currency names a home site only when no other eBay site uses it (GBP is only EBAY_GB;
 * EUR is also EBAY_FR, EBAY_IT, ...).
 */
const EBAY_SITE_CURRENCIES: Readonly<Record<string, string>> = {
  EBAY_AT: 'EUR',
  EBAY_AU: 'AUD',
  EBAY_BE: 'EUR',
  EBAY_CA: 'CAD',
  EBAY_CH: 'CHF',
  EBAY_DE: 'EUR',
  EBAY_ES: 'EUR',
  EBAY_FR: 'EUR',
  EBAY_GB: 'GBP',
  EBAY_HK: 'HKD',
  EBAY_IE: 'EUR',
  EBAY_IN: 'INR',
  EBAY_IT: 'EUR',
  EBAY_MY: 'MYR',
  EBAY_NL: 'EUR',
  EBAY_PH: 'PHP',
  EBAY_PL: 'PLN',
  EBAY_SG: 'SGD',
  EBAY_US: 'USD',
};

/**
 * The tracked eBay site a currency names: the one eBay site priced in it, when Soldgraph tracks
 * it; undefined when several sites use the currency (EUR) or the one that does is not tracked.
 */
export function ebaySiteByCurrency(currency: string): string | undefined {
  const sites = Object.entries(EBAY_SITE_CURRENCIES).filter(([, code]) => code === currency);
  return sites.length === 1 && sites[0] ? ebayMarketplaceCode(sites[0][0]) : undefined;
}
