import type { Resolvers } from './__generated__/resolvers-types';
import { analyticsQuery } from './AnalyticsQuery';
import { Category } from './Category';
import { PageInfo, ProductConnection, SaleConnection } from './connections';
import { Image } from './Image';
import { Marketplace } from './Marketplace';
import { Money } from './Money';
import { Product } from './Product';
import { ProductIdentifiers } from './ProductIdentifiers';
import { Query } from './Query';
import { Sale } from './Sale';
import { PriceBucket, PriceDistribution } from './PriceDistribution';
import { SalesChange } from './SalesChange';
import { SalesMeasures } from './SalesMeasures';
import { SalesStatsBucket } from './SalesStatsBucket';
import { SalesStatsConnection } from './SalesStatsConnection';
import { SalesSummary } from './SalesSummary';
import { DateTime, SafeInt } from './scalars';

export const resolvers: Resolvers = {
  DateTime,
  SafeInt,
  Query: { ...Query, ...analyticsQuery },
  Marketplace,
  Category,
  Product,
  ProductIdentifiers,
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
};
