import type { ProductCondition, ProductFilter, ProductOrder } from '@/__generated__/graphql';
import { currencyDigits } from './format';
import { allParams, firstParam, type SearchParams } from './search-params';

/** Labels for every normalized condition; the generated union keeps this list complete. */
export const CONDITION_LABELS: Record<ProductCondition, string> = {
  NEW: 'New',
  OPEN_BOX: 'Open box',
  REFURBISHED: 'Refurbished',
  USED: 'Used',
  FOR_PARTS: 'For parts',
  UNKNOWN: 'Not stated',
};

/** The product list's sort choices, as they appear in the URL. */
export const SORTS = {
  id: { label: 'Oldest listings first', order: { field: 'ID', direction: 'ASC' } },
  newest: { label: 'Newest listings first', order: { field: 'FIRST_SEEN_AT', direction: 'DESC' } },
  'price-asc': { label: 'Price: low to high', order: { field: 'PRICE', direction: 'ASC' } },
  'price-desc': { label: 'Price: high to low', order: { field: 'PRICE', direction: 'DESC' } },
  title: { label: 'Title A–Z', order: { field: 'TITLE', direction: 'ASC' } },
  seen: { label: 'Recently seen', order: { field: 'LAST_SEEN_AT', direction: 'DESC' } },
  units: { label: 'Most sold, 90 days', order: { field: 'UNITS_SOLD', direction: 'DESC', days: 90 } },
  revenue: { label: 'Top revenue, 90 days', order: { field: 'REVENUE', direction: 'DESC', days: 90 } },
  'sell-through': {
    label: 'Sell-through, 90 days',
    order: { field: 'SELL_THROUGH', direction: 'DESC', days: 90 },
  },
} as const satisfies Record<string, { label: string; order: ProductOrder }>;

export type SortKey = keyof typeof SORTS;

/** Amounts a revenue order converts to when the list is not narrowed to one currency. */
const REVENUE_CURRENCY = 'USD';

/**
 * The GraphQL order of a list state. Orders by sales rank the 90 days ending with the newest
 * sale's day (`latest`), the days each card's "sold in 90 days" counts, and revenue in the
 * list's currency filter, else in USD.
 */
export function productOrderOf(state: ProductListState, latest: Date): ProductOrder {
  const { order } = SORTS[state.sort];
  if (!('days' in order)) return order;
  return {
    ...order,
    endingAt: latest.toISOString(),
    ...(order.field === 'REVENUE' ? { currency: state.currency || REVENUE_CURRENCY } : {}),
  };
}

/** Everything the Products page shows, read from its URL so a link reproduces the view. */
export type ProductListState = {
  search: string;
  marketplaces: string[];
  /** A canonical category id (the same category on every marketplace). */
  categoryId: string;
  brand: string;
  conditions: ProductCondition[];
  currency: string;
  minPrice: string;
  maxPrice: string;
  sort: SortKey;
  /** Cursor the current page starts after; empty on the first page. */
  after: string;
  /** Where each earlier page started ('-' for the first), for the Previous link. */
  trail: string[];
};

function isSortKey(value: string | undefined): value is SortKey {
  return value !== undefined && Object.hasOwn(SORTS, value);
}

function isCondition(value: string): value is ProductCondition {
  return Object.hasOwn(CONDITION_LABELS, value);
}

/** Reads the list state from search parameters; unusable values fall back to defaults. */
export function readProductListState(params: SearchParams): ProductListState {
  const sort = firstParam(params, 'sort');
  return {
    search: firstParam(params, 'q')?.trim() ?? '',
    marketplaces: allParams(params, 'marketplace'),
    // Ids are whole numbers: anything else in a hand-edited URL is dropped, not sent to fail.
    categoryId: /^\d{1,9}$/.test(firstParam(params, 'category') ?? '') ? (firstParam(params, 'category') ?? '') : '',
    brand: firstParam(params, 'brand')?.trim() ?? '',
    conditions: allParams(params, 'condition').filter(isCondition),
    currency: (firstParam(params, 'currency') ?? '').toUpperCase(),
    minPrice: firstParam(params, 'min') ?? '',
    maxPrice: firstParam(params, 'max') ?? '',
    sort: isSortKey(sort) ? sort : 'id',
    after: firstParam(params, 'after') ?? '',
    trail: allParams(params, 'trail'),
  };
}

/**
 * A price typed in major units ("12.50") as minor units of the currency (1250), or
 * undefined when it is not a non-negative amount.
 */
export function toMinorUnits(value: string, currency: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const digits = currencyDigits(currency || 'USD');
  const [whole = '0', fraction = ''] = value.trim().split('.');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0').slice(0, digits) || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** The GraphQL filter for a list state. */
export function productFilterOf(state: ProductListState): ProductFilter {
  const min = toMinorUnits(state.minPrice, state.currency);
  const max = toMinorUnits(state.maxPrice, state.currency);
  return {
    ...(state.search ? { search: state.search } : {}),
    ...(state.marketplaces.length > 0 ? { marketplace: state.marketplaces } : {}),
    ...(state.categoryId ? { canonicalCategoryId: state.categoryId } : {}),
    ...(state.brand ? { brand: [state.brand] } : {}),
    ...(state.conditions.length > 0 ? { condition: state.conditions } : {}),
    ...(state.currency ? { currency: state.currency } : {}),
    ...(min !== undefined || max !== undefined ? { price: { min, max } } : {}),
  };
}

/** The URL of the same view at another page, keeping every filter. */
export function pageHref(state: ProductListState, page: { after: string; trail: string[] }): string {
  const params = new URLSearchParams();
  if (state.search) params.set('q', state.search);
  for (const code of state.marketplaces) params.append('marketplace', code);
  if (state.categoryId) params.set('category', state.categoryId);
  if (state.brand) params.set('brand', state.brand);
  for (const condition of state.conditions) params.append('condition', condition);
  if (state.currency) params.set('currency', state.currency);
  if (state.minPrice) params.set('min', state.minPrice);
  if (state.maxPrice) params.set('max', state.maxPrice);
  if (state.sort !== 'id') params.set('sort', state.sort);
  if (page.after) params.set('after', page.after);
  for (const start of page.trail) params.append('trail', start);
  const query = params.toString();
  return query ? `/products?${query}` : '/products';
}
