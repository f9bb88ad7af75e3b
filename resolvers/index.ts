import type { Resolvers } from './__generated__/resolvers-types';
import { analyticsQuery } from './AnalyticsQuery';
import { CanonicalCategory } from './CanonicalCategory';
import { Category } from './Category';
import {
  IngestRunConnection,
  PageInfo,
  ProductConnection,
  QuarantinedRecordConnection,
  SaleConnection,
  SalesStatsConnection,
} from './connections';
import { Image } from './Image';
import { ingestQuery } from './IngestQuery';
import { IngestRun } from './IngestRun';
import { IngestScope, IngestSource } from './IngestSource';
import { Marketplace } from './Marketplace';
import { Money } from './Money';
import { Product } from './Product';
import { ProductIdentifiers } from './ProductIdentifiers';
import { ComparedPrice, ProductLink } from './ProductLink';
import { Query } from './Query';
import { Sale } from './Sale';
import { PriceBucket, PriceDistribution } from './PriceDistribution';
import { PriceObservation } from './PriceObservation';
import { QuarantinedRecord } from './QuarantinedRecord';
import { SalesChange } from './SalesChange';
import { SalesMeasures } from './SalesMeasures';
import { SalesStatsBucket } from './SalesStatsBucket';
import { SalesSummary } from './SalesSummary';
import { DateTime, SafeInt } from './scalars';

export const resolvers: Resolvers = {
  DateTime,
  SafeInt,
  Query: { ...Query, ...analyticsQuery, ...ingestQuery },
  Marketplace,
  Category,
  CanonicalCategory,
  Product,
  ProductIdentifiers,
  ProductLink,
  ComparedPrice,
  ProductConnection,
  PageInfo,
  Sale,
  SaleConnection,
  SalesSummary,
  Image,
  Money,
  SalesStatsConnection,
  SalesStatsBucket,
  SalesMeasures,
  SalesChange,
  PriceDistribution,
  PriceBucket,
  PriceObservation,
  IngestRun,
  IngestRunConnection,
  QuarantinedRecord,
  QuarantinedRecordConnection,
  IngestSource,
  IngestScope,
};
