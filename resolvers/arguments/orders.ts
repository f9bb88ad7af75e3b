import type { SortKey } from '../../data/pagination';
import { isSalesField, type ProductListRow, type SalesWindow } from '../../data/sales-ranking';
import { utcDay } from '../../data/analytics/time';
import { productSortKey } from '../../data/sort-keys';
import { badUserInput } from '../../lib/errors';
import type { ProductOrder } from '../__generated__/resolvers-types';
import { parseCurrency, parseLimit } from './scalars';

/** Most days a sales order may rank over: ten years. */
const MAX_SALES_DAYS = 3650;

const DAY_MS = 86_400_000;
// Windows stay within years both PostgreSQL's date and an ISO day string (YYYY-MM-DD) can hold.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/**
 * Validates a product order into its sort key and, for an order by sales, the window it ranks
 * over: the `days` UTC days ending with the day of `endingAt` (now by default), that day included.
 * @example parseProductOrder({ field: 'UNITS_SOLD', days: 30, endingAt: new Date('2026-12-07T12:00:00Z') })
 *   // salesWindow { from: '2026-11-08', to: '2026-12-08' }
 */
export function parseProductOrder(order: ProductOrder | null | undefined): {
  sort: SortKey<ProductListRow>;
  salesWindow?: SalesWindow;
} {
  const field = order?.field ?? 'ID';
  const direction = order?.direction ?? 'ASC';
  if (!isSalesField(field)) return { sort: productSortKey(field, direction) };
  const days = parseLimit(order?.days ?? 90, MAX_SALES_DAYS, 'orderBy.days');
  const endingAt = order?.endingAt ?? new Date();
  const lastDay = Math.floor(endingAt.getTime() / DAY_MS) * DAY_MS;
  const from = lastDay - (days - 1) * DAY_MS;
  // The window ends the day after `lastDay` (exclusive), which must still be a four-digit year.
  if (from < EARLIEST || lastDay + DAY_MS > LATEST) {
    throw badUserInput(
      `orderBy.endingAt must keep the window of ${days} days between 1970 and 9999, got ${endingAt.toISOString()}`,
      'orderBy.endingAt',
    );
  }
  const salesWindow: SalesWindow = {
    from: utcDay(new Date(from)),
    to: utcDay(new Date(lastDay + DAY_MS)),
    currency: parseCurrency(order?.currency, 'orderBy.currency'),
  };
  return { sort: productSortKey(field, direction, salesWindow), salesWindow };
}
