import type { PriceBucketResolvers, PriceDistributionResolvers } from './__generated__/resolvers-types';

export const PriceDistribution: PriceDistributionResolvers = {
  min: (d) => (d.minMinor === null ? null : { minorUnits: d.minMinor, currency: d.currency }),
  max: (d) => (d.maxMinor === null ? null : { minorUnits: d.maxMinor, currency: d.currency }),
  bucketWidth: (d) => ({ minorUnits: d.bucketWidthMinor, currency: d.currency }),
  buckets: (d) => d.bars.map((bar) => ({ ...bar, currency: d.currency })),
};

export const PriceBucket: PriceBucketResolvers = {
  lower: (bar) => ({ minorUnits: bar.lowerMinor, currency: bar.currency }),
  upper: (bar) => ({ minorUnits: bar.upperMinor, currency: bar.currency }),
};
