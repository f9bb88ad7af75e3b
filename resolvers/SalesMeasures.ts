import type { SalesMeasuresResolvers } from './__generated__/resolvers-types';

export const SalesMeasures: SalesMeasuresResolvers = {
  revenue: (measures) => ({ minorUnits: measures.revenueMinor, currency: measures.currency }),
  averagePrice: (measures) =>
    measures.units > 0
      ? { minorUnits: Math.round(measures.revenueMinor / measures.units), currency: measures.currency }
      : null,
};
