import { systemClock } from '../../http/clock';
import type { FetchContext, ParsedPayload, RawPayload, Source } from '../../types';
import {
  connectEbay,
  EBAY_DEFAULT_LIMITS,
  type EbayConnection,
  type EbaySourceConfig,
  lazyLimiter,
} from './connection';
import { memoryTokenStore } from './oauth';
import {
  ebaySearchScope,
  type EbaySearchOptions,
  type ParsedEbaySearchOptions,
  parseEbaySearchOptions,
} from './options';
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
  /** The date incremental sync advances by: Browse `itemCreationDate`, Insights `lastSoldDate`. */
  watermarkField: string;
  /** The sort incremental runs force (Browse: newest first), if any. */
  incrementalSort?: string;
  /**
   * Whether a complete search lists every live listing of its scope (Browse), so the listings
   * it missed may be marked unseen and ended. Insights lists items sold in 90 days: leaving it
   * says nothing about whether a listing is still offered.
   */
  tracksPresence: boolean;
  /** Extra payloads to fetch after a page (Browse: getItem per item when asked). */
  afterPage?(page: FetchedPage, options: ParsedEbaySearchOptions, ebay: EbayConnection): AsyncIterable<RawPayload>;
};

/** How long a Browse listing may be missing from complete searches of its scope before it is ENDED: 48 hours. */
export const EBAY_END_UNSEEN_AFTER_MS = 48 * 3_600_000;

/** Builds a Source for an offset-paged eBay search API (Browse, Insights). */
export function createEbaySearchSource(api: EbaySearchApi, config: EbaySourceConfig): Source<EbaySearchOptions> {
  const limiter = lazyLimiter();
  const tokenStore = config.tokenStore ?? memoryTokenStore(config.clock ?? systemClock);
  return {
    name: api.name,
    limits: config.limits ?? EBAY_DEFAULT_LIMITS,
    scope: (options) => ebaySearchScope(api.name, config.marketplaceId, parseEbaySearchOptions(api.name, options)),
    ...(api.tracksPresence ? { presence: { endAfterMs: config.endUnseenAfterMs ?? EBAY_END_UNSEEN_AFTER_MS } } : {}),
    async *fetch(rawOptions, context: FetchContext): AsyncIterable<RawPayload> {
      const options = parseEbaySearchOptions(api.name, rawOptions);
      const ebay = connectEbay(api.name, { ...config, tokenStore }, api.oauthScope, context, limiter);
      const filters = [...(options.filter ?? [])];
      let sort = options.sort;
      if (options.incremental) {
        sort = api.incrementalSort ?? sort;
        // Inclusive bound: the newest item of the last run comes again and is upserted unchanged.
        if (context.watermark) filters.push(api.sinceFilter(filterTimestamp(context.watermark)));
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
      // One payload is held back so the last one can carry the fetch's watermark.
      let held: RawPayload | undefined;
      let newest: string | undefined;
      let capped = false;
      const warn = (message: string, code?: string) => {
        if (code === 'EBAY_SPLIT_EXHAUSTED') capped = true;
        context.warn(message, code);
      };
      for await (const page of searchPages(spec, (p) => ebay.get(api.path, p), warn, context.expect)) {
        newest = newestDate(page.json, api.listKey, api.watermarkField, newest);
        const payloads = [page.payload];
        if (api.afterPage) for await (const extra of api.afterPage(page, options, ebay)) payloads.push(extra);
        for (const payload of payloads) {
          if (held) yield held;
          held = payload;
        }
      }
      // Every page of the scope, unless only new items were asked for or a limit or eBay's cap cut
      // it short. A search with filters is never complete: they select by what a live listing can
      // change (its price, its condition), so leaving it proves nothing.
      const filtered = Boolean(options.filter?.length);
      if (!options.incremental && options.maxItems === undefined && !capped && !filtered) context.scopeComplete?.();
      if (!held) return;
      // A run cut short by maxItems saw only part of the window: it must not move the watermark.
      yield newest && options.maxItems === undefined
        ? { ...held, request: { ...held.request, watermark: newest } }
        : held;
    },
    parse: (payload): ParsedPayload => parseEbayPayload(payload, api.name),
  };
}

function newestDate(
  json: unknown,
  listKey: SearchSpec['listKey'],
  field: string,
  newest: string | undefined,
): string | undefined {
  const list = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[listKey] : undefined;
  if (!Array.isArray(list)) return newest;
  let best = newest;
  for (const item of list) {
    const value = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) continue;
    const iso = new Date(value).toISOString();
    if (!best || iso > best) best = iso;
  }
  return best;
}

/** eBay's filter examples use whole seconds (`2018-11-14T07:47:48Z`); flooring keeps the bound inclusive. */
function filterTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
