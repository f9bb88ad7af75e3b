/**
 * A local fake of the eBay APIs Soldgraph uses: OAuth client credentials, Browse
 * `item_summary/search` and `item/{id}`, Marketplace Insights `item_sales/search`. It serves
 * the documented response shapes from an in-memory catalog, enforces the offset cap (400
 * past it, as eBay does), counts requests and token mints, and serves injected faults.
 * @example
 *   const ebay = await startFakeEbay({ items: fakeEbayItems(30) });
 *   ebay.inject('search', { kind: '429', retryAfter: '2' }, { kind: '500' });
 *   // EBAY_BASE_URL=ebay.url, EBAY_CLIENT_ID=FAKE_EBAY_CLIENT_ID, EBAY_CLIENT_SECRET=FAKE_EBAY_CLIENT_SECRET
 */
import { type Fault, type FakeReply, type FakeRequest, faultReply, FaultQueue, startJsonServer } from './server';

export const FAKE_EBAY_CLIENT_ID = 'fake-app-id';
export const FAKE_EBAY_CLIENT_SECRET = 'fake-cert-id';

type Amount = { value: string; currency: string };

/** A listing as getItem returns it; search summaries are the same minus the detail fields. */
export type FakeEbayItem = {
  itemId: string;
  legacyItemId?: string;
  title: string;
  price: Amount;
  marketingPrice?: { originalPrice: Amount };
  currentBidPrice?: Amount;
  condition?: string;
  conditionId?: string;
  /** Root first, e.g. [{ categoryId: '15032', categoryName: 'Cell Phones & Accessories' }, ...]. */
  categoryPath: { categoryId: string; categoryName: string }[];
  image?: { imageUrl: string; width?: number; height?: number };
  additionalImages?: { imageUrl: string; width?: number; height?: number }[];
  itemCreationDate: string;
  itemEndDate?: string;
  itemWebUrl: string;
  listingMarketplaceId?: string;
  brand?: string;
  mpn?: string;
  gtin?: string;
  epid?: string;
};

export type FakeEbaySoldItem = FakeEbayItem & {
  totalSoldQuantity: number;
  lastSoldDate: string;
  lastSoldPrice: Amount;
};

export type FakeEbayTarget = 'token' | 'search' | 'item' | 'insights';

export type FakeEbay = {
  url: string;
  /** Queues faults for the next requests to `target`, in order. */
  inject(target: FakeEbayTarget, ...faults: Fault[]): void;
  /** Requests per target, faults included. */
  readonly requests: Record<FakeEbayTarget, number>;
  readonly mints: number;
  /** Every request (path, query, marketplace header), for asserting what was asked. */
  readonly log: { target: FakeEbayTarget; path: string; query: Record<string, string>; marketplaceId?: string }[];
  items: FakeEbayItem[];
  sold: FakeEbaySoldItem[];
  close(): Promise<void>;
};

export type FakeEbayOptions = {
  items?: FakeEbayItem[];
  sold?: FakeEbaySoldItem[];
  /** eBay serves results below offset 10,000 only; lower it to test splitting with a small catalog. */
  offsetCap?: number;
  tokenLifetimeSeconds?: number;
};

const errorBody = (status: number, message: string) => ({
  errors: [{ errorId: status === 429 ? 2001 : 10001, domain: 'API_BROWSE', category: 'REQUEST', message }],
});

/**
 * Deterministic listings: prices spread from 1.00 upward so price bands split them, creation
 * dates one hour apart (newest last), two images each (the second without pixel size).
 */
export function fakeEbayItems(
  count: number,
  options: { currency?: string; marketplaceId?: string; start?: string } = {},
): FakeEbayItem[] {
  const currency = options.currency ?? 'USD';
  const start = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const legacy = String(110_000_000_000 + i * 7919);
    const cents = 100 + ((i * 7_331) % 50_000);
    return {
      itemId: `v1|${legacy}|0`,
      legacyItemId: legacy,
      title: `Fake phone ${i} ${i % 2 === 0 ? 'blue' : 'black'} 128GB`,
      price: { value: (cents / 100).toFixed(2), currency },
      ...(i % 5 === 0
        ? { marketingPrice: { originalPrice: { value: ((cents + 500) / 100).toFixed(2), currency } } }
        : {}),
      condition: i % 3 === 0 ? 'New' : 'Used',
      conditionId: i % 3 === 0 ? '1000' : '3000',
      categoryPath: [
        { categoryId: '15032', categoryName: 'Cell Phones & Accessories' },
        { categoryId: '9355', categoryName: 'Cell Phones & Smartphones' },
      ],
      image: { imageUrl: `https://i.ebayimg.com/images/g/fake${i}/s-l1600.jpg`, width: 1600, height: 1200 },
      additionalImages: [{ imageUrl: `https://i.ebayimg.com/images/g/fake${i}b/s-l1600.jpg` }],
      itemCreationDate: new Date(start + i * 3_600_000).toISOString(),
      itemWebUrl: `https://www.ebay.com/itm/${legacy}`,
      listingMarketplaceId: options.marketplaceId ?? 'EBAY_US',
      brand: 'Fakephone',
      mpn: `FP-${i}`,
      gtin: '0885909950805',
      epid: String(2_000_000 + i),
    };
  });
}

/** Sold rows for the first `count` fake items: `i + 1` units, the last sold `i` hours after creation. */
export function fakeEbaySoldItems(items: FakeEbayItem[]): FakeEbaySoldItem[] {
  return items.map((item, i) => ({
    ...item,
    totalSoldQuantity: i + 1,
    lastSoldDate: new Date(Date.parse(item.itemCreationDate) + i * 3_600_000).toISOString(),
    lastSoldPrice: item.price,
  }));
}

function summary(item: FakeEbayItem): Record<string, unknown> {
  const { categoryPath, brand: _brand, mpn: _mpn, gtin: _gtin, ...rest } = item;
  return {
    ...rest,
    // Search summaries list the leaf category first, then its ancestors.
    categories: [...categoryPath].reverse(),
    leafCategoryIds: categoryPath.slice(-1).map((c) => c.categoryId),
    itemHref: `/buy/browse/v1/item/${encodeURIComponent(item.itemId)}`,
    buyingOptions: item.currentBidPrice ? ['AUCTION'] : ['FIXED_PRICE'],
    seller: { username: 'fake_seller', feedbackPercentage: '99.5', feedbackScore: 1234 },
    itemLocation: { postalCode: '951**', country: 'US' },
  };
}

function detail(item: FakeEbayItem): Record<string, unknown> {
  const { categoryPath, ...rest } = item;
  return {
    ...rest,
    categoryId: categoryPath.at(-1)?.categoryId,
    categoryPath: categoryPath.map((c) => c.categoryName).join('|'),
    categoryIdPath: categoryPath.map((c) => c.categoryId).join('|'),
    estimatedAvailabilities: [{ estimatedAvailabilityStatus: 'IN_STOCK', estimatedAvailableQuantity: 3 }],
  };
}

type Filter = {
  priceMin?: number;
  priceMax?: number;
  since?: string;
  sinceField?: 'itemCreationDate' | 'lastSoldDate';
  conditionIds?: string[];
};

/** eBay's `filter` syntax: comma-separated clauses, ranges in [a..b], sets in {a|b}. */
function parseFilter(raw: string | null): Filter {
  const filter: Filter = {};
  if (!raw) return filter;
  for (const clause of raw.split(/,(?![^[{]*[\]}])/)) {
    const [name, value = ''] = clause.split(/:(.*)/s);
    const inner = /^\[(.*)\]$/.exec(value)?.[1];
    const range = inner === undefined ? undefined : inner.split('..');
    if (name === 'price' && range) {
      if (range[0]) filter.priceMin = Number(range[0]);
      if (range[1]) filter.priceMax = Number(range[1]);
    } else if ((name === 'itemStartDate' || name === 'lastSoldDate') && range?.[0]) {
      filter.since = range[0];
      filter.sinceField = name === 'itemStartDate' ? 'itemCreationDate' : 'lastSoldDate';
    } else if (name === 'conditionIds') {
      filter.conditionIds = value.replace(/[{}]/g, '').split('|');
    }
  }
  return filter;
}

function matches<T extends FakeEbayItem>(item: T, request: FakeRequest, filter: Filter): boolean {
  const q = request.query.get('q');
  if (
    q &&
    !q
      .toLowerCase()
      .split(/\s+/)
      .every((word) => item.title.toLowerCase().includes(word))
  )
    return false;
  const category = request.query.get('category_ids');
  if (category && !item.categoryPath.some((c) => c.categoryId === category)) return false;
  const price = Number(
    ('lastSoldPrice' in item ? (item as unknown as FakeEbaySoldItem).lastSoldPrice : item.price).value,
  );
  if (filter.priceMin !== undefined && price < filter.priceMin) return false;
  if (filter.priceMax !== undefined && price > filter.priceMax) return false;
  if (filter.since && filter.sinceField) {
    const at = (item as unknown as Record<string, unknown>)[filter.sinceField];
    if (typeof at !== 'string' || Date.parse(at) < Date.parse(filter.since)) return false;
  }
  if (filter.conditionIds && !filter.conditionIds.includes(item.conditionId ?? '')) return false;
  return true;
}

function sorted<T extends FakeEbayItem>(items: T[], sort: string | null): T[] {
  const price = (item: T) =>
    Number(('lastSoldPrice' in item ? (item as unknown as FakeEbaySoldItem).lastSoldPrice : item.price).value);
  const copy = [...items];
  if (sort === 'price') copy.sort((a, b) => price(a) - price(b) || a.itemId.localeCompare(b.itemId));
  else if (sort === '-price') copy.sort((a, b) => price(b) - price(a) || a.itemId.localeCompare(b.itemId));
  else if (sort === 'newlyListed') copy.sort((a, b) => b.itemCreationDate.localeCompare(a.itemCreationDate));
  return copy;
}

const BAD_RECORDS = [{ title: 'an item without an id', price: { value: '1.00', currency: 'USD' } }, 'not an object'];

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeEbay(options: FakeEbayOptions = {}): Promise<FakeEbay> {
  const faults = new FaultQueue<FakeEbayTarget>();
  const requests: Record<FakeEbayTarget, number> = { token: 0, search: 0, item: 0, insights: 0 };
  const log: FakeEbay['log'] = [];
  const validTokens = new Set<string>();
  const offsetCap = options.offsetCap ?? 10_000;
  let mints = 0;
  const state = { items: options.items ?? [], sold: options.sold ?? [] };

  const targetOf = (request: FakeRequest): FakeEbayTarget | undefined => {
    if (request.method === 'POST' && request.path === '/identity/v1/oauth2/token') return 'token';
    if (request.path === '/buy/browse/v1/item_summary/search') return 'search';
    if (request.path.startsWith('/buy/browse/v1/item/')) return 'item';
    if (request.path === '/buy/marketplace_insights/v1_beta/item_sales/search') return 'insights';
    return undefined;
  };

  function token(request: FakeRequest): FakeReply {
    const expected = `Basic ${Buffer.from(`${FAKE_EBAY_CLIENT_ID}:${FAKE_EBAY_CLIENT_SECRET}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials' || !form.get('scope')) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'grant_type client_credentials and a scope are required' },
      };
    }
    mints += 1;
    const accessToken = `fake-token-${mints}`;
    validTokens.add(accessToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: options.tokenLifetimeSeconds ?? 7200,
        token_type: 'Application Access Token',
      },
    };
  }

  function page<T extends FakeEbayItem>(
    request: FakeRequest,
    items: T[],
    key: 'itemSummaries' | 'itemSales',
    shape: (item: T) => unknown,
    bad: boolean,
  ): FakeReply {
    const limit = Number(request.query.get('limit') ?? '50');
    const offset = Number(request.query.get('offset') ?? '0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      return {
        status: 400,
        body: { errors: [{ errorId: 12002, message: `The 'limit' value ${limit} is not valid (1..200)` }] },
      };
    }
    if (offset + limit > offsetCap) {
      return {
        status: 400,
        body: {
          errors: [
            {
              errorId: key === 'itemSales' ? 100021 : 12023,
              message: `The 'offset' value ${offset} with limit ${limit} exceeds the maximum of ${offsetCap}`,
            },
          ],
        },
      };
    }
    const filter = parseFilter(request.query.get('filter'));
    const found = sorted(
      items.filter((item) => matches(item, request, filter)),
      request.query.get('sort'),
    );
    const slice: unknown[] = found.slice(offset, offset + limit).map(shape);
    if (bad) slice.push(...BAD_RECORDS);
    const href = (at: number) =>
      `${request.path}?${new URLSearchParams({ ...Object.fromEntries(request.query), offset: String(at) })}`;
    return {
      status: 200,
      body: {
        href: href(offset),
        total: found.length,
        limit,
        offset,
        ...(offset + limit < found.length ? { next: href(offset + limit) } : {}),
        ...(offset > 0 ? { prev: href(Math.max(0, offset - limit)) } : {}),
        ...(slice.length > 0 ? { [key]: slice } : {}),
      },
    };
  }

  const server = await startJsonServer((request) => {
    const target = targetOf(request);
    if (!target)
      return { status: 404, body: { errors: [{ errorId: 404, message: `no such resource ${request.path}` }] } };
    requests[target] += 1;
    log.push({
      target,
      path: request.path,
      query: Object.fromEntries(request.query),
      marketplaceId:
        typeof request.headers['x-ebay-c-marketplace-id'] === 'string'
          ? request.headers['x-ebay-c-marketplace-id']
          : undefined,
    });
    const fault = faults.take(target);
    if (fault?.kind === 'expired-token') validTokens.clear();
    const replaced = fault && faultReply(fault, errorBody);
    if (replaced) return replaced;
    if (target === 'token') return token(request);

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !validTokens.has(bearer)) {
      return {
        status: 401,
        body: { errors: [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token' }] },
      };
    }
    const bad = fault?.kind === 'bad-record';
    if (target === 'search') return page(request, state.items, 'itemSummaries', summary, bad);
    if (target === 'insights') return page(request, state.sold, 'itemSales', summary, bad);
    const id = request.path.slice('/buy/browse/v1/item/'.length);
    const item = state.items.find((candidate) => candidate.itemId === id);
    if (!item)
      return {
        status: 404,
        body: { errors: [{ errorId: 11001, message: `The specified item ID ${id} was not found.` }] },
      };
    return { status: 200, body: bad ? { ...detail(item), title: 42 } : detail(item) };
  });

  return {
    url: server.url,
    inject: (target, ...list) => faults.push(target, list),
    requests,
    get mints() {
      return mints;
    },
    log,
    get items() {
      return state.items;
    },
    set items(items) {
      state.items = items;
    },
    get sold() {
      return state.sold;
    },
    set sold(sold) {
      state.sold = sold;
    },
    close: server.close,
  };
}
