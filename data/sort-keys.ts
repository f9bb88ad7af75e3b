import { NO_PRICE_ORDER_VALUE, priceOrderValue, products, type ProductRow, type SaleRow, sales } from '../db/schema';
import type { SortKey } from './pagination';
import { isSalesField, type ProductListRow, salesSortKey, type SalesWindow } from './sales-ranking';
import type { OrderDirection, ProductOrderField, ProductSalesField, SaleOrderField } from './types';

/** Sort keys are made once per ordering and shared: a page asks for one per product it lists. */
function once<Field extends string, Row>(
  make: (field: Field, direction: OrderDirection) => SortKey<Row>,
): (field: Field, direction: OrderDirection) => SortKey<Row> {
  const made = new Map<string, SortKey<Row>>();
  return (field, direction) => {
    const name = `${field}:${direction}`;
    let key = made.get(name);
    if (!key) {
      key = make(field, direction);
      made.set(name, key);
    }
    return key;
  };
}

const productSortKeys = once(makeProductSortKey);
const saleSortKeys = once(makeSaleSortKey);

/**
 * The keyset sort key for a product ordering; defaults to id ascending. Orders by sales rank
 * over `window`, and are made per request since windows move with the day.
 */
export function productSortKey(
  field: ProductOrderField = 'ID',
  direction: OrderDirection = 'ASC',
  window?: SalesWindow,
): SortKey<ProductListRow> {
  if (!isSalesField(field)) return productSortKeys(field, direction);
  if (!window) throw new Error(`ordering products by ${field} needs a window of days`);
  return salesSortKey(field, direction, window);
}

/** The keyset sort key for a sale ordering; defaults to newest first. */
export function saleSortKey(field: SaleOrderField = 'SOLD_AT', direction: OrderDirection = 'DESC'): SortKey<SaleRow> {
  return saleSortKeys(field, direction);
}

function makeProductSortKey(
  field: Exclude<ProductOrderField, ProductSalesField>,
  direction: OrderDirection,
): SortKey<ProductRow> {
  const tag = `products:${field}:${direction}`;
  const base = { tag, id: products.id, direction };
  switch (field) {
    case 'ID':
      return { ...base, column: products.id, kind: 'integer', valueOf: (row) => row.id };
    case 'TITLE':
      return { ...base, column: products.title, kind: 'text', valueOf: (row) => row.title };
    case 'PRICE': {
      // Listings without a price come last either way, as a value past the end (db/schema/products.ts).
      const none = NO_PRICE_ORDER_VALUE[direction];
      const column = priceOrderValue(products.priceMinor, direction);
      return { ...base, column, kind: 'integer', valueOf: (row) => row.priceMinor ?? none };
    }
    case 'FIRST_SEEN_AT':
      return {
        ...base,
        column: products.firstSeenAt,
        kind: 'timestamptz',
        valueOf: (row) => row.firstSeenAt.toISOString(),
      };
    case 'LAST_SEEN_AT':
      return {
        ...base,
        column: products.lastSeenAt,
        kind: 'timestamptz',
        valueOf: (row) => row.lastSeenAt.toISOString(),
      };
  }
}

function makeSaleSortKey(field: SaleOrderField, direction: OrderDirection): SortKey<SaleRow> {
  const tag = `sales:${field}:${direction}`;
  const base = { tag, id: sales.id, direction };
  switch (field) {
    case 'SOLD_AT':
      return {
        ...base,
        column: sales.soldAt,
        kind: 'timestamptz',
        valueOf: (row) => row.soldAt.toISOString(),
      };
    case 'PRICE':
      return { ...base, column: sales.unitPriceMinor, kind: 'integer', valueOf: (row) => row.unitPriceMinor };
  }
}
