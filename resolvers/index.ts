import type { Resolvers } from './__generated__/resolvers-types';
import { Category } from './Category';
import { PageInfo, ProductConnection, SaleConnection } from './connections';
import { Image } from './Image';
import { Marketplace } from './Marketplace';
import { Money } from './Money';
import { Product } from './Product';
import { ProductIdentifiers } from './ProductIdentifiers';
import { Query } from './Query';
import { Sale } from './Sale';
import { SalesSummary } from './SalesSummary';
import { DateTime, SafeInt } from './scalars';

export const resolvers: Resolvers = {
  DateTime,
  SafeInt,
  Query,
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
};
