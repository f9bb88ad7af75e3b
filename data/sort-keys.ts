import { products, type ProductRow, type SaleRow, sales } from '../db/schema';
import type { SortKey } from './pagination';
import type { OrderDirection, ProductOrderField, SaleOrderField } from './types';

/** The keyset sort key for a product ordering; defaults to id ascending. */
export function productSortKey(
  field: ProductOrderField = 'ID',
  direction: OrderDirection = 'ASC',
): SortKey<ProductRow> {
  const tag = `products:${field}:${direction}`;
  const base = { tag, id: products.id, direction };
  switch (field) {
    case 'ID':
      return { ...base, column: products.id, kind: 'integer', valueOf: (row) => row.id };
    case 'TITLE':
      return { ...base, column: products.title, kind: 'text', valueOf: (row) => row.title };
    case 'PRICE':
      return { ...base, column: products.priceMinor, kind: 'integer', valueOf: (row) => row.priceMinor };
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

/** The keyset sort key for a sale ordering; defaults to newest first. */
export function saleSortKey(field: SaleOrderField = 'SOLD_AT', direction: OrderDirection = 'DESC'): SortKey<SaleRow> {
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
