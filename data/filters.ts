import { and, eq, gte, inArray, like, lt, lte, type SQL, sql } from 'drizzle-orm';
import { categories, products, sales } from '../db/schema';
import type { AmountRange, ProductCondition, ProductStatus, TimeRange } from './types';

/** Which products a request covers, validated, with marketplace codes resolved to ids. */
export type ProductFilter = {
  marketplaceIds?: number[];
  /** Materialized path of a category: the category and its whole subtree match. */
  categoryPath?: string;
  brands?: string[];
  conditions?: ProductCondition[];
  statuses?: ProductStatus[];
  price?: AmountRange;
  currency?: string;
  soldAt?: TimeRange;
  /** Web-search syntax over titles. */
  search?: string;
};

/** Which sales a request covers, validated. */
export type SaleFilter = {
  soldAt?: TimeRange;
  price?: AmountRange;
  currency?: string;
  productIds?: number[];
  product?: ProductFilter;
};

function timeConditions(column: typeof sales.soldAt, range: TimeRange | undefined): SQL[] {
  const conditions: SQL[] = [];
  if (range?.from) conditions.push(gte(column, range.from));
  if (range?.to) conditions.push(lt(column, range.to));
  return conditions;
}

function amountConditions(
  column: typeof sales.unitPriceMinor | typeof products.priceMinor,
  range: AmountRange | undefined,
): SQL[] {
  const conditions: SQL[] = [];
  if (range?.min !== undefined) conditions.push(gte(column, range.min));
  if (range?.max !== undefined) conditions.push(lte(column, range.max));
  return conditions;
}

/** SQL conditions on `products` for a parsed product filter. */
export function productConditions(filter: ProductFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.marketplaceIds) conditions.push(inArray(products.marketplaceId, filter.marketplaceIds));
  if (filter.categoryPath) {
    // The category's materialized path is a prefix of every descendant's path.
    const subtree = sql`select ${categories.id} from ${categories} where ${like(
      categories.path,
      `${filter.categoryPath}%`,
    )}`;
    conditions.push(sql`${products.categoryId} in (${subtree})`);
  }
  if (filter.brands) conditions.push(inArray(products.brand, filter.brands));
  if (filter.conditions) conditions.push(inArray(products.condition, filter.conditions));
  if (filter.statuses) conditions.push(inArray(products.status, filter.statuses));
  conditions.push(...amountConditions(products.priceMinor, filter.price));
  if (filter.currency) conditions.push(eq(products.currency, filter.currency));
  if (filter.soldAt) {
    const soldInRange = and(eq(sales.productId, products.id), ...timeConditions(sales.soldAt, filter.soldAt));
    conditions.push(sql`exists (select 1 from ${sales} where ${soldInRange})`);
  }
  if (filter.search) {
    // Matches the expression of the products_title_search_idx GIN index.
    conditions.push(sql`to_tsvector('simple', ${products.title}) @@ websearch_to_tsquery('simple', ${filter.search})`);
  }
  return conditions;
}

/** SQL conditions on `sales` for a parsed sale filter. */
export function saleConditions(filter: SaleFilter): SQL[] {
  const conditions: SQL[] = [
    ...timeConditions(sales.soldAt, filter.soldAt),
    ...amountConditions(sales.unitPriceMinor, filter.price),
  ];
  if (filter.currency) conditions.push(eq(sales.currency, filter.currency));
  if (filter.productIds) conditions.push(inArray(sales.productId, filter.productIds));
  if (filter.product) {
    const matching = productConditions(filter.product);
    if (matching.length > 0) {
      conditions.push(sql`${sales.productId} in (select ${products.id} from ${products} where ${and(...matching)})`);
    }
  }
  return conditions;
}
