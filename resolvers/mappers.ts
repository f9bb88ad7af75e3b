// What each GraphQL type's resolvers receive as `parent` (codegen's `mappers`): database
// rows where a type is backed by a table, small value objects elsewhere.
import type { ProductRow, SaleRow } from '../db/schema';
import type { Edge, Page } from '../loaders/pagination';

export type { CategoryRow, ImageRow, MarketplaceRow, ProductRow, SaleRow } from '../db/schema';
export type { MoneyValue } from '../lib/money';
export type { SalesSummaryRow } from '../loaders/sales-summary';

export type ProductPage = Page<ProductRow>;
export type ProductEdgeValue = Edge<ProductRow>;
export type SalePage = Page<SaleRow>;
export type SaleEdgeValue = Edge<SaleRow>;
/** PageInfo resolves from the page it describes. */
export type PageInfoValue = Page<unknown>;
