import { systemClock } from '../../http/clock';
import type { FetchContext, ParsedPayload, RawPayload, Source } from '../../types';
import { connectEbay, EBAY_DEFAULT_LIMITS, type EbayConnection, type EbaySourceConfig, lazyLimiter } from './connection';
import { memoryTokenStore } from './oauth';
import { ebaySearchScope, type EbaySearchOptions, type ParsedEbaySearchOptions, parseEbaySearchOptions } from './options';
import { parseEbayPayload } from './parse';
import { type FetchedPage, type SearchSpec, searchPages } from './search';

/** What distinguishes one eBay search API from another. */
export type EbaySearchApi = {
  name: string;
  oauthScope: string;
  path: string;
  listKey: SearchSpec['listKey'];
  /** The filter clause that asks only for items past the watermark. */
  sinceFilter(watermark: string): string;
  /** The sort incremental runs force (Browse: newest first), if any. */
  incrementalSort?: string;
  /** Extra payloads to fetch after a page (Browse: getItem per item when asked). */
  afterPage?(page: FetchedPage, options: ParsedEbaySearchOptions, ebay: EbayConnection): AsyncIterable<RawPayload>;
};

/** Builds a Source for an offset-paged eBay search API (Browse, Insights). */
export function createEbaySearchSource(api: EbaySearchApi, config: EbaySourceConfig): Source<EbaySearchOptions> {
  const limiter = lazyLimiter();
  const tokenStore = config.tokenStore ?? memoryTokenStore(config.clock ?? systemClock);
  return {
    name: api.name,
    limits: config.limits ?? EBAY_DEFAULT_LIMITS,
    scope: (options) => ebaySearchScope(api.name, config.marketplaceId, parseEbaySearchOptions(api.name, options)),
    async *fetch(rawOptions, context: FetchContext): AsyncIterable<RawPayload> {
      const options = parseEbaySearchOptions(api.name, rawOptions);
      const ebay = connectEbay(api.name, { ...config, tokenStore }, api.oauthScope, context, limiter);
      const filters = [...(options.filter ?? [])];
      let sort = options.sort;
      if (options.incremental) {
        sort = api.incrementalSort ?? sort;
        // Inclusive bound: the newest item of the last run comes again and is upserted unchanged.
        if (context.watermark) filters.push(api.sinceFilter(context.watermark));
      }
      const params: Record<string, string> = {};
      if (options.q) params.q = options.q;
      if (options.categoryIds) params.category_ids = options.categoryIds;
      if (sort) params.sort = sort;
      const spec: SearchSpec = {
        path: api.path,
        listKey: api.listKey,
        params,
        filters,
        limit: options.limit,
        maxOffset: config.maxOffset ?? 10_000,
        maxItems: options.maxItems,
        currency: ebay.marketplace.currency,
      };
      for await (const page of searchPages(spec, (p) => ebay.get(api.path, p), context.warn)) {
        yield page.payload;
        if (api.afterPage) yield* api.afterPage(page, options, ebay);
      }
    },
    parse: (payload): ParsedPayload => parseEbayPayload(payload, api.name),
  };
}
