import { and, eq, gte, inArray, like, lt, lte, type SQL, sql } from 'drizzle-orm';
import { canonicalCategories, categories, products, sales } from '../db/schema';
import type { AmountRange, ProductCondition, ProductStatus, TimeRange } from './types';

/** Which products a request covers, validated, with marketplace codes resolved to ids. */
export type ProductFilter = {
  marketplaceIds?: number[];
  /** Materialized path of a marketplace category: the category and its whole subtree match. */
  categoryPath?: string;
  /** Materialized path of a canonical category: every category mapped into its subtree matches. */
  canonicalCategoryPath?: string;
  brands?: string[];
  conditions?: ProductCondition[];
  statuses?: ProductStatus[];
  price?: AmountRange;
  currency?: string;
  soldAt?: TimeRange;
  /** Words to find in titles (web-search syntax); see titleSearch. */
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

/** The values lowercased by PostgreSQL, as an array to compare `lower(column)` with. */
export function lowered(values: readonly string[]): SQL {
  return sql`array(select lower(v) from unnest(${sql.param([...values])}::text[]) v)`;
}

/** Below this word similarity (pg_trgm) a title is no typo-tolerant match: "iphnoe" is 0.43 to "iphone". */
const TYPO_SIMILARITY = 0.4;

/**
 * Which products a title search finds, ignoring case and accents ("pokemon" finds "Pokémon").
 * A query of plain words finds titles holding each word or a word it begins ("iph" finds
 * "iPhone"); one with web-search operators (quotes, `-word`, `or`) is read as such. When no
 * title at all matches that way, titles similar to the query match instead ("iphnoe" finds
 * "iPhone"), so a typo never silently finds nothing. The exact branch runs over the
 * products_title_search_idx GIN index; the fallback scans titles only when it is needed.
 */
export function titleSearch(search: string): SQL {
  const words = search.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const plain = !/["()]|(^|\s)-|\bor\b/i.test(search) && words.length > 0;
  const vector = (title: SQL) => sql`to_tsvector('simple', soldgraph_unaccent(${title}))`;
  // Plain words go through PostgreSQL's own parser, so "3.5mm" is the lexemes '3.5' and 'mm'
  // as the index holds them, each then matched as a word beginning.
  const query = plain
    ? sql`(select to_tsquery('simple', string_agg(quote_literal(lexeme) || ':*', ' & '))
           from unnest(to_tsvector('simple', soldgraph_unaccent(${search}))))`
    : sql`websearch_to_tsquery('simple', soldgraph_unaccent(${search}))`;
  const exact = (alias: string) => sql`${vector(sql.raw(`${alias}.title`))} @@ ${query}`;
  const similar = sql`word_similarity(soldgraph_unaccent(lower(${search})), soldgraph_unaccent(lower(f.title))) >= ${TYPO_SIMILARITY}`;
  return sql`${products.id} in (
    select e.id from ${products} e where ${exact('e')}
    union all
    select f.id from ${products} f
    where not exists (select 1 from ${products} x where ${exact('x')}) and ${similar})`;
}

/** Ids of the marketplace categories in the subtree at `path`: a prefix of every descendant's path. */
export function categorySubtree(path: string): SQL {
  return sql`select ${categories.id} from ${categories} where ${like(categories.path, `${path}%`)}`;
}

/** Ids of the marketplace categories, on every marketplace, mapped into the canonical subtree at `path`. */
export function canonicalSubtree(path: string): SQL {
  return sql`select ${categories.id} from ${categories}
    join ${canonicalCategories} on ${canonicalCategories.id} = ${categories.canonicalCategoryId}
    where ${like(canonicalCategories.path, `${path}%`)}`;
}

/** SQL conditions on `products` for a parsed product filter. */
export function productConditions(filter: ProductFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.marketplaceIds) conditions.push(inArray(products.marketplaceId, filter.marketplaceIds));
  if (filter.categoryPath) conditions.push(sql`${products.categoryId} in (${categorySubtree(filter.categoryPath)})`);
  if (filter.canonicalCategoryPath) {
    conditions.push(sql`${products.categoryId} in (${canonicalSubtree(filter.canonicalCategoryPath)})`);
  }
  if (filter.brands) {
    // Case-insensitive ("apple" finds "Apple"), over products_brand_lower_idx; both sides
    // folded by PostgreSQL, so they agree whatever the database's collation.
    conditions.push(sql`lower(${products.brand}) = any(${lowered(filter.brands)})`);
  }
  if (filter.conditions) conditions.push(inArray(products.condition, filter.conditions));
  if (filter.statuses) conditions.push(inArray(products.status, filter.statuses));
  conditions.push(...amountConditions(products.priceMinor, filter.price));
  if (filter.currency) conditions.push(eq(products.currency, filter.currency));
  if (filter.soldAt) {
    const soldInRange = and(eq(sales.productId, products.id), ...timeConditions(sales.soldAt, filter.soldAt));
    conditions.push(sql`exists (select 1 from ${sales} where ${soldInRange})`);
  }
  if (filter.search) conditions.push(titleSearch(filter.search));
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
