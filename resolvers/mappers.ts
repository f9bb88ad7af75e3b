// What each GraphQL type's resolvers receive as `parent` (codegen's `mappers`): database
// rows where a type is backed by a table, small value objects elsewhere.
import type { IngestQuarantineRow, IngestRunRow, ProductRow, SaleRow } from '../db/schema';
import type { PriceBar } from '../data/analytics/price-distribution';
import type { StatsBucket } from '../data/analytics/sales-stats';
import type { Edge, Page } from '../data/pagination';

export type { CanonicalCategoryRow, CategoryRow, ImageRow, MarketplaceRow, ProductRow, SaleRow } from '../db/schema';
export type { MoneyValue } from '../lib/money';
export type { SalesSummaryRow } from '../data/sales-summary';
export type { ComparedAmount, ProductLinkRow } from '../data/product-links';
export type { Distribution } from '../data/analytics/price-distribution';
export type { PreviousMeasures, StatsBucket } from '../data/analytics/sales-stats';
export type {
  IngestQuarantineRow,
  IngestRunRow,
  IngestWatermarkRow,
  PriceObservationRow,
  SalesRankObservationRow,
} from '../db/schema';
export type { IngestScopeValue, IngestSourceValue } from '../data/ingest-sources';

export type ProductPage = Page<ProductRow>;
export type ProductEdgeValue = Edge<ProductRow>;
export type SalePage = Page<SaleRow>;
export type SaleEdgeValue = Edge<SaleRow>;
export type IngestRunPage = Page<IngestRunRow>;
export type IngestRunEdgeValue = Edge<IngestRunRow>;
export type QuarantinePage = Page<IngestQuarantineRow>;
export type QuarantineEdgeValue = Edge<IngestQuarantineRow>;
/** PageInfo resolves from the page it describes. */
export type PageInfoValue = Page<unknown>;
/** A statistics page plus how it was computed, for the connection's own fields. */
export type StatsConnectionValue = Page<StatsBucket> & {
  source: 'MART' | 'RAW';
  timeZone: string;
  targetCurrency: string | null;
};
export type StatsEdgeValue = Edge<StatsBucket>;
/** A histogram bar knows its currency so its bounds can be Money. */
export type PriceBarValue = PriceBar & { currency: string };
