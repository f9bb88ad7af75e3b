import type { Source } from '../../types';
import type { EbaySourceConfig } from './connection';
import { EBAY_API_SCOPE } from './oauth';
import type { EbaySearchOptions } from './options';
import { BROWSE_ITEM_PATH, BROWSE_SEARCH_PATH } from './parse';
import { createEbaySearchSource } from './search-source';

const EBAY_BROWSE_SOURCE = 'ebay-browse';

/**
 * eBay Browse API: active listings from `item_summary/search` (offset paging, result sets
 * above the 10,000 cap split by price band), optionally `getItem` per item for brand, MPN,
 * GTIN, every image and the category path. Incremental runs sort by `newlyListed` and ask
 * only for items started since the watermark.
 * @example
 *   const source = createEbayBrowseSource(ebayConfigFromEnv(env, { tokenStore: cache }));
 *   await runIngest({ db }, source, { q: 'iphone 15', categoryIds: '9355', details: true });
 */
export function createEbayBrowseSource(config: EbaySourceConfig): Source<EbaySearchOptions> {
  return createEbaySearchSource(
    {
      name: EBAY_BROWSE_SOURCE,
      oauthScope: EBAY_API_SCOPE,
      path: BROWSE_SEARCH_PATH,
      watermarkField: 'itemCreationDate',
      listKey: 'itemSummaries',
      sinceFilter: (watermark) => `itemStartDate:[${watermark}..]`,
      incrementalSort: 'newlyListed',
      tracksPresence: true,
      async *afterPage(page, options, ebay) {
        if (!options.details) return;
        for (const itemId of itemIds(page.json)) yield (await ebay.get(`${BROWSE_ITEM_PATH}${itemId}`, {})).payload;
      },
    },
    config,
  );
}

function itemIds(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return [];
  const items = (json as { itemSummaries?: unknown }).itemSummaries;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const id = typeof item === 'object' && item !== null ? (item as { itemId?: unknown }).itemId : undefined;
    return typeof id === 'string' && id !== '' ? [id] : [];
  });
}
