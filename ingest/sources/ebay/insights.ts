import type { Source } from '../../types';
import type { EbaySourceConfig } from './connection';
import { EBAY_INSIGHTS_SCOPE } from './oauth';
import type { EbaySearchOptions } from './options';
import { INSIGHTS_SEARCH_PATH } from './parse';
import { createEbaySearchSource } from './search-source';

const EBAY_INSIGHTS_SOURCE = 'ebay-insights';

/**
 * eBay Marketplace Insights (`item_sales/search`, Limited Release): sold items of the last 90
 * days, one row per item with `totalSoldQuantity`, `lastSoldDate` and `lastSoldPrice`. Each
 * row becomes a SoldSnapshotRecord plus the listing; the pipeline derives AGGREGATE_DERIVED
 * sales from snapshot to snapshot. Incremental runs ask for `lastSoldDate` since the watermark.
 * @example await runIngest({ db }, createEbayInsightsSource(config), { categoryIds: '9355' });
 */
export function createEbayInsightsSource(config: EbaySourceConfig): Source<EbaySearchOptions> {
  return createEbaySearchSource(
    {
      name: EBAY_INSIGHTS_SOURCE,
      oauthScope: EBAY_INSIGHTS_SCOPE,
      path: INSIGHTS_SEARCH_PATH,
      watermarkField: 'lastSoldDate',
      listKey: 'itemSales',
      sinceFilter: (watermark) => `lastSoldDate:[${watermark}..]`,
      tracksPresence: false,
    },
    config,
  );
}
