import type { StatsFilter } from '../../data/analytics/stats';
import type { Catalog } from '../../data/catalog';
import { canonicalReach } from '../../data/taxonomy';
import type { ProductFilter, SaleFilter } from '../../data/filters';
import type { IngestRunFilter } from '../../data/ingest-runs';
import type { MarketplaceRow } from '../../db/schema';
import { badUserInput } from '../../lib/errors';
import type {
  IngestRunFilter as IngestRunFilterInput,
  ProductFilter as ProductFilterInput,
  ProductSalesFilter as ProductSalesFilterInput,
  SaleFilter as SaleFilterInput,
  SalesStatsFilter as SalesStatsFilterInput,
} from '../__generated__/resolvers-types';
import { parseAmountRange, parseCurrency, parseId, parseTimeRange } from './scalars';

/** The marketplace with `code`, or a BAD_USER_INPUT for `argument` listing the known codes. */
export function parseMarketplace(catalog: Catalog, code: string, argument: string): MarketplaceRow {
  const marketplace = catalog.marketplaceByCode.get(code);
  if (!marketplace) {
    const known = [...catalog.marketplaceByCode.keys()].join(', ');
    throw badUserInput(
      `${argument}: unknown marketplace code ${JSON.stringify(code)}; known codes: ${known}`,
      argument,
    );
  }
  return marketplace;
}

/**
 * The canonical nodes the categories of the marketplaces with these codes reach (see
 * `canonicalReach`); undefined, meaning every node, without codes.
 */
export function reachOf(
  catalog: Catalog,
  codes: readonly string[] | null | undefined,
  argument: string,
): Set<number> | undefined {
  if (!codes) return undefined;
  return canonicalReach(
    catalog,
    codes.map((code) => parseMarketplace(catalog, code, argument).id),
  );
}

/** The materialized path of the category with `id`, or a BAD_USER_INPUT when there is none. */
function categoryPath(catalog: Catalog, value: string | number, argument: string): string {
  const id = parseId(value, argument);
  const category = catalog.categoryById.get(id);
  if (!category) throw badUserInput(`${argument}: no category has id ${id}`, argument);
  return category.path;
}

/** The materialized path of the canonical category with `id`, or a BAD_USER_INPUT when there is none. */
function canonicalCategoryPath(catalog: Catalog, value: string | number, argument: string): string {
  const id = parseId(value, argument);
  const node = catalog.canonicalById.get(id);
  if (!node) throw badUserInput(`${argument}: no canonical category has id ${id}`, argument);
  return node.path;
}

/**
 * Validates a `ProductFilter` argument. Unknown marketplace codes and category ids are
 * refused with the valid choices rather than silently matching nothing.
 */
export function parseProductFilter(
  input: ProductFilterInput | null | undefined,
  catalog: Catalog,
  argument = 'filter',
): ProductFilter {
  if (!input) return {};
  const parsed: ProductFilter = {};
  if (input.marketplace) {
    parsed.marketplaceIds = input.marketplace.map(
      (code) => parseMarketplace(catalog, code, `${argument}.marketplace`).id,
    );
  }
  if (input.categoryId !== null && input.categoryId !== undefined) {
    parsed.categoryPath = categoryPath(catalog, input.categoryId, `${argument}.categoryId`);
  }
  if (input.canonicalCategoryId !== null && input.canonicalCategoryId !== undefined) {
    parsed.canonicalCategoryPath = canonicalCategoryPath(
      catalog,
      input.canonicalCategoryId,
      `${argument}.canonicalCategoryId`,
    );
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
  input: SaleFilterInput | ProductSalesFilterInput | null | undefined,
  catalog: Catalog,
  argument = 'filter',
): SaleFilter {
  if (!input) return {};
  const parsed: SaleFilter = {
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

/** Validates a `SalesStatsFilter`; shares the product filter's checks for the fields they share. */
export function parseStatsFilter(
  input: SalesStatsFilterInput | null | undefined,
  catalog: Catalog,
  argument = 'filter',
): StatsFilter {
  if (!input) return {};
  const product = parseProductFilter(
    {
      marketplace: input.marketplace,
      categoryId: input.categoryId,
      canonicalCategoryId: input.canonicalCategoryId,
      brand: input.brand,
      condition: input.condition,
    },
    catalog,
    argument,
  );
  const filter: StatsFilter = {
    marketplaceIds: product.marketplaceIds,
    categoryPath: product.categoryPath,
    canonicalCategoryPath: product.canonicalCategoryPath,
    brands: product.brands,
    conditions: product.conditions,
    currency: parseCurrency(input.currency, `${argument}.currency`),
    price: parseAmountRange(input.price, `${argument}.price`),
  };
  if (input.productId) filter.productIds = input.productId.map((id) => parseId(id, `${argument}.productId`));
  return filter;
}

/** Validates `ingestRuns(filter:)`; sources are free text (a source that never ran matches nothing). */
export function parseRunFilter(input: IngestRunFilterInput | null | undefined): IngestRunFilter {
  return {
    sources: input?.source ?? undefined,
    scopes: input?.scope ?? undefined,
    statuses: input?.status ?? undefined,
  };
}
