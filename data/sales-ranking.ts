import { type SQL, sql } from 'drizzle-orm';
import { productMetricsDaily, products, type ProductRow } from '../db/schema';
import { conversion } from './analytics/conversion';
import type { SortKey } from './pagination';
import { type OrderDirection, type ProductOrderField, PRODUCT_SALES_FIELDS, type ProductSalesField } from './types';

/**
 * The UTC days a sales order ranks over, [from, to) as YYYY-MM-DD, and the currency REVENUE
 * is converted to (each product's own when absent).
 */
export type SalesWindow = { from: string; to: string; currency?: string };

/** A product as a list returns it: under a sales order, with the value it was ranked by. */
export type ProductListRow = ProductRow & { sortValue?: number };

/** Whether a product order ranks by sales, and so needs a window. */
export function isSalesField(field: ProductOrderField): field is ProductSalesField {
  return (PRODUCT_SALES_FIELDS as readonly string[]).includes(field);
}

const inWindow = (window: SalesWindow) => sql`m.day >= ${window.from}::date and m.day < ${window.to}::date`;

/** Units each product sold in the window, as `s.units`; products without sales find no row. */
function unitsJoin(window: SalesWindow): SQL {
  return sql` left join (
      select m.product_id, sum(m.units) as units from ${productMetricsDaily} m
      where ${inWindow(window)} group by m.product_id) s on s.product_id = ${products.id}`;
}

/**
 * Revenue of each product in the window, as `s.revenue`, converted at each day's rate as
 * `salesStats` converts it, so the order agrees with `topProducts(by: REVENUE)`.
 */
function revenueJoin(window: SalesWindow): SQL {
  const { factor, joins } = conversion(
    sql`m.day`,
    sql`m.currency`,
    window.currency ? sql`${window.currency}` : sql`t.currency`,
  );
  const ownCurrency = window.currency ? sql`` : sql` join ${products} t on t.id = m.product_id`;
  return sql` left join (
      select m.product_id, round(sum(m.revenue_minor * ${factor}))::int8 as revenue
      from ${productMetricsDaily} m${ownCurrency}${joins}
      where ${inWindow(window)} group by m.product_id) s on s.product_id = ${products.id}`;
}

/**
 * The keyset sort key ranking products by their sales in `window`, summed from
 * mart.product_metrics_daily in the page's one statement. Products without sales in the
 * window count 0. Sell-through is units sold ÷ (units sold + units available); without a
 * known `available_quantity` (or with nothing sold and nothing left) it is unknown, and such
 * products come last in either direction: the key maps them past the ends of [0, 1]. The
 * cursor tag names the window and currency, so a cursor from another one is refused.
 */
export function salesSortKey(
  field: ProductSalesField,
  direction: OrderDirection,
  window: SalesWindow,
): SortKey<ProductListRow> {
  const currency = field === 'REVENUE' ? (window.currency ?? 'OWN') : undefined;
  const tag = `products:${field}:${direction}:${window.from}..${window.to}${currency ? `:${currency}` : ''}`;
  const valueOf = (row: ProductListRow) => {
    if (row.sortValue === undefined) throw new Error(`a row ordered by ${field} came without its sortValue`);
    return row.sortValue;
  };
  const base = { tag, id: products.id, direction, valueOf };
  const units = sql`coalesce(s.units, 0)`;
  switch (field) {
    case 'UNITS_SOLD':
      return { ...base, kind: 'integer', column: units, join: unitsJoin(window) };
    case 'REVENUE':
      return { ...base, kind: 'integer', column: sql`coalesce(s.revenue, 0)`, join: revenueJoin(window) };
    case 'SELL_THROUGH': {
      const unknown = sql.raw(direction === 'ASC' ? '2' : '-1');
      const ratio = sql`${units}::float8 / nullif(${units} + ${products.availableQuantity}, 0)`;
      return { ...base, kind: 'number', column: sql`coalesce(${ratio}, ${unknown})`, join: unitsJoin(window) };
    }
  }
}
