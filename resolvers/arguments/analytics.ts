import { createHash } from 'node:crypto';
import { parseAmountRange, parseCurrency, parseId, parseTimeRange } from './scalars';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import { badUserInput } from '../../lib/errors';
import type { Catalog } from '../../data/catalog';
import { parseProductFilter } from '../../data/filters';
import type { SalesStatsFilter } from '../__generated__/resolvers-types';
import type { StatsFilter } from '../../data/analytics/stats';

/** Validates a `SalesStatsFilter`; shares the product filter's checks for the fields they share. */
export function parseStatsFilter(
  input: SalesStatsFilter | null | undefined,
  catalog: Catalog,
  argument = 'filter',
): StatsFilter {
  if (!input) return {};
  const product = parseProductFilter(
    { marketplace: input.marketplace, categoryId: input.categoryId, brand: input.brand, condition: input.condition },
    catalog,
    argument,
  );
  const filter: StatsFilter = {
    marketplaceIds: product.marketplaceIds,
    categoryPath: product.categoryPath,
    brands: product.brands,
    conditions: product.conditions ?? undefined,
    currency: parseCurrency(input.currency, `${argument}.currency`),
    price: parseAmountRange(input.price, `${argument}.price`),
  };
  if (input.productId) filter.productIds = input.productId.map((id) => parseId(id, `${argument}.productId`));
  return filter;
}

/** Validates a required `from`/`to` pair given as separate arguments. */
export function parseRequiredRange(from: Date, to: Date): { from: Date; to: Date } {
  parseTimeRange({ from, to }, 'from');
  if (from.getTime() === to.getTime()) {
    throw badUserInput(`from and to are both ${from.toISOString()}: the range is empty`, 'from');
  }
  return { from, to };
}

/**
 * Statistics pages are positions in a computed list: cursors carry the offset, tagged with
 * a digest of the request so a cursor from another request is refused.
 */
export function statsCursorTag(request: unknown): string {
  return `stats:${createHash('sha1').update(JSON.stringify(request)).digest('base64url').slice(0, 16)}`;
}

export function encodeStatsCursor(tag: string, offset: number): string {
  return encodeCursor(tag, { value: offset, id: offset });
}

export function decodeStatsCursor(tag: string, cursor: string | null | undefined): number {
  if (!cursor) return 0;
  const { value } = decodeCursor(cursor, tag);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badUserInput('after is not a valid cursor: its position is malformed', 'after');
  }
  return value + 1;
}
