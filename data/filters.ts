import { and, eq, gte, inArray, like, lt, lte, type SQL, sql } from 'drizzle-orm';
import { categories, products, sales } from '../db/schema';
import {
  type AmountRange,
  parseAmountRange,
  parseCurrency,
  parseId,
  parseTimeRange,
  type TimeRange,
} from '../resolvers/arguments/scalars';
import { badUserInput } from '../lib/errors';
import type {
  ProductFilter,
  ProductSalesFilter,
  SaleFilter,
} from '../resolvers/__generated__/resolvers-types';
import { type Catalog, marketplaceByCode } from './catalog';

type Condition = ProductFilter['condition'];
type Status = ProductFilter['status'];

/** A product filter after validation, with marketplace codes resolved to ids. */
export type ParsedProductFilter = {
  marketplaceIds?: number[];
  categoryPath?: string;
  brands?: string[];
  conditions?: NonNullable<Condition>;
  statuses?: NonNullable<Status>;
  price?: AmountRange;
  currency?: string;
  soldAt?: TimeRange;
  search?: string;
};

/** A filter on sales after validation. */
export type ParsedSaleFilter = {
  soldAt?: TimeRange;
  price?: AmountRange;
  currency?: string;
  productIds?: number[];
  product?: ParsedProductFilter;
};

/**
 * Validates a `ProductFilter` argument. Unknown marketplace codes and category ids are
 * refused with the valid choices rather than silently matching nothing.
 */
export function parseProductFilter(
  input: ProductFilter | null | undefined,
  catalog: Catalog,
  argument = 'filter',
): ParsedProductFilter {
  if (!input) return {};
  const parsed: ParsedProductFilter = {};
  if (input.marketplace) {
    parsed.marketplaceIds = input.marketplace.map(
      (code) => marketplaceByCode(catalog, code, `${argument}.marketplace`).id,
    );
  }
  if (input.categoryId !== null && input.categoryId !== undefined) {
    const id = parseId(input.categoryId, `${argument}.categoryId`);
    const category = catalog.categoryById.get(id);
    if (!category) {
      throw badUserInput(`${argument}.categoryId: no category has id ${id}`, `${argument}.categoryId`);
    }
    parsed.categoryPath = category.path;
  }
  if (input.brand) parsed.brands = input.brand;
  if (input.condition) parsed.conditions = input.condition;
  if (input.status) parsed.statuses = input.status;
  parsed.price = parseAmountRange(input.price, `${argument}.price`);
  parsed.currency = parseCurrency(input.currency, `${argument}.currency`);
  parsed.soldAt = parseTimeRange(input.soldAt, `${argument}.soldAt`);
  const search = input.search?.trim();
  if (search) parsed.search = search;
  return parsed;
}

/** Validates a `SaleFilter` or `ProductSalesFilter` argument. */
export function parseSaleFilter(
  input: SaleFilter | ProductSalesFilter | null | undefined,
  catalog: Catalog,
  argument = 'filter',
): ParsedSaleFilter {
  if (!input) return {};
  const parsed: ParsedSaleFilter = {
    soldAt: parseTimeRange(input.soldAt, `${argument}.soldAt`),
    price: parseAmountRange(input.price, `${argument}.price`),
    currency: parseCurrency(input.currency, `${argument}.currency`),
  };
  if ('productId' in input && input.productId) {
    parsed.productIds = input.productId.map((id) => parseId(id, `${argument}.productId`));
  }
  if ('product' in input && input.product) {
    parsed.product = parseProductFilter(input.product, catalog, `${argument}.product`);
  }
  return parsed;
}

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
export function productConditions(filter: ParsedProductFilter): SQL[] {
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
    conditions.push(
      sql`to_tsvector('simple', ${products.title}) @@ websearch_to_tsquery('simple', ${filter.search})`,
    );
  }
  return conditions;
}

/** SQL conditions on `sales` for a parsed sale filter. */
export function saleConditions(filter: ParsedSaleFilter): SQL[] {
  const conditions: SQL[] = [
    ...timeConditions(sales.soldAt, filter.soldAt),
    ...amountConditions(sales.unitPriceMinor, filter.price),
  ];
  if (filter.currency) conditions.push(eq(sales.currency, filter.currency));
  if (filter.productIds) conditions.push(inArray(sales.productId, filter.productIds));
  if (filter.product) {
    const matching = productConditions(filter.product);
    if (matching.length > 0) {
      conditions.push(
        sql`${sales.productId} in (select ${products.id} from ${products} where ${and(...matching)})`,
      );
    }
  }
  return conditions;
}
