import { currencyExponent, decimalAmount } from '../../../lib/money';
import type { RawPayload } from '../../types';

/** One offset-paged eBay search (Browse or Insights) and how far it may page. */
export type SearchSpec = {
  path: string;
  listKey: 'itemSummaries' | 'itemSales';
  /** q, category_ids, sort, fieldgroups...; never `filter`, `limit` or `offset`. */
  params: Record<string, string>;
  filters: string[];
  /** Page size, at most 200. */
  limit: number;
  /** eBay serves offsets below 10,000 per result set; bigger sets are split by price band. */
  maxOffset: number;
  maxItems?: number;
  /** `priceCurrency` of the price bands: the marketplace's currency. */
  currency: string;
};

export type FetchedPage = { payload: RawPayload; json: unknown };
export type PageFetcher = (params: Record<string, string>) => Promise<FetchedPage>;

/** A price band in minor units, both ends inclusive (eBay's `price:[a..b]` is inclusive). */
type Band = { lo: number; hi?: number };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function listOf(json: unknown, key: SearchSpec['listKey']): unknown[] {
  const list = isObject(json) ? json[key] : undefined;
  return Array.isArray(list) ? list : [];
}

function totalOf(json: unknown): number {
  const total = isObject(json) ? json.total : undefined;
  return typeof total === 'number' && total >= 0 ? total : 0;
}

/** "12.345" -> minor units rounded up (so the band still includes the item), by string arithmetic. */
function ceilMinor(value: string, exponent: number): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const dropped = /[1-9]/.test(fraction.slice(exponent)) ? 1 : 0;
  return Number(`${match[1]}${kept}`) + dropped;
}

/**
 * Yields every page of a search. When `total` exceeds `maxOffset`, the result set is split
 * into price bands (the top price found with one `sort=-price` probe, then halved
 * recursively) until each band fits; a band one minor unit wide that still overflows is
 * paged to the cap and reported through `warn`.
 * @example for await (const page of searchPages(spec, fetchPage, warn)) yield page.payload;
 */
export async function* searchPages(
  spec: SearchSpec,
  fetchPage: PageFetcher,
  warn: (message: string, code?: string) => void,
  expect?: (records: number) => void,
): AsyncGenerator<FetchedPage> {
  const exponent = currencyExponent(spec.currency);
  const format = (minor: number) => decimalAmount({ minorUnits: minor, currency: spec.currency });
  let items = 0;
  const full = () => spec.maxItems !== undefined && items >= spec.maxItems;

  const params = (band: Band | undefined, offset: number, limit: number): Record<string, string> => {
    const filters = [...spec.filters];
    if (band) {
      const range = band.hi === undefined ? `${format(band.lo)}` : `${format(band.lo)}..${format(band.hi)}`;
      filters.push(`price:[${range}]`, `priceCurrency:${spec.currency}`);
    }
    return {
      ...spec.params,
      ...(filters.length > 0 ? { filter: filters.join(',') } : {}),
      limit: String(limit),
      offset: String(offset),
    };
  };

  async function* walk(band: Band | undefined): AsyncGenerator<FetchedPage> {
    const first = await fetchPage(params(band, 0, Math.min(spec.limit, spec.maxOffset)));
    items += listOf(first.json, spec.listKey).length;
    yield first;
    const total = totalOf(first.json);
    // The whole result set's size, for progress: eBay's `total`, capped by --max-items.
    if (!band) expect?.(Math.min(total, spec.maxItems ?? total));
    if (total > spec.maxOffset && !full()) {
      const lo = band?.lo ?? 0;
      let hi = band?.hi;
      if (hi === undefined) {
        const probe = await fetchPage({ ...params(band, 0, 1), sort: '-price' });
        yield probe;
        const top = listOf(probe.json, spec.listKey)[0];
        const price = isObject(top) ? (top.price ?? top.lastSoldPrice) : undefined;
        const value = isObject(price) && typeof price.value === 'string' ? price.value : undefined;
        hi = value === undefined ? undefined : ceilMinor(value, exponent);
      }
      if (hi !== undefined && hi > lo) {
        const mid = lo + Math.floor((hi - lo) / 2);
        yield* walk({ lo, hi: mid });
        if (!full()) yield* walk({ lo: mid + 1, hi });
        return;
      }
      warn(
        `${spec.path}: ${total} results ${band ? `in price band ${JSON.stringify(params(band, 0, 0).filter)}` : ''} cannot be split further; only the first ${spec.maxOffset} are reachable`,
        'EBAY_SPLIT_EXHAUSTED',
      );
    }
    const end = Math.min(total, spec.maxOffset);
    for (let offset = spec.limit; offset < end && !full(); offset += spec.limit) {
      const page = await fetchPage(params(band, offset, Math.min(spec.limit, spec.maxOffset - offset)));
      const count = listOf(page.json, spec.listKey).length;
      items += count;
      yield page;
      if (count === 0) break;
    }
  }

  yield* walk(undefined);
}
