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

/** The one tracked eBay site priced in `currency`, or undefined when none or several are. */
export function ebaySiteByCurrency(currency: string): string | undefined {
  const sites = Object.values(MARKETPLACE_CODES).filter((site) => site.currency === currency);
  return sites.length === 1 ? sites[0]?.code : undefined;
}
