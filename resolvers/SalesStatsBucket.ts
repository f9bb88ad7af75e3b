import { averagePrice, type MoneyValue } from '../lib/money';
import type { SalesStatsBucketResolvers } from './__generated__/resolvers-types';

const money = (minorUnits: number | null, currency: string): MoneyValue | null =>
  minorUnits === null ? null : { minorUnits, currency };

export const SalesStatsBucket: SalesStatsBucketResolvers = {
  // marketplace and category were attached by attachGroups: the default resolvers read them.
  product: (bucket, _args, { data }) => (bucket.productId === null ? null : data.product(bucket.productId)),
  revenue: (bucket) => ({ minorUnits: bucket.revenueMinor, currency: bucket.currency }),
  averagePrice: (bucket) => averagePrice(bucket.revenueMinor, bucket.units, bucket.currency),
  minPrice: (bucket) => money(bucket.minPriceMinor, bucket.currency),
  maxPrice: (bucket) => money(bucket.maxPriceMinor, bucket.currency),
  medianPrice: (bucket) => money(bucket.medianPriceMinor, bucket.currency),
  p25Price: (bucket) => money(bucket.p25PriceMinor, bucket.currency),
  p75Price: (bucket) => money(bucket.p75PriceMinor, bucket.currency),
  sampleSize: (bucket) => bucket.saleCount,
  // salesStats and topProducts compute `previous` whenever the operation selects it or `change`.
  previous: (bucket) => bucket.previous ?? null,
  change: (bucket) => (bucket.previous ? bucket : null),
};
