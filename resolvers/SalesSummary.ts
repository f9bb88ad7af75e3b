import type { SalesSummaryResolvers } from './__generated__/resolvers-types';

export const SalesSummary: SalesSummaryResolvers = {
  revenue: (row) => ({ minorUnits: row.revenueMinor, currency: row.currency }),
  // Average per unit, rounded half away from zero to the currency's minor unit.
  averagePrice: (row) => ({
    minorUnits: row.units === 0 ? 0 : Math.round(row.revenueMinor / row.units),
    currency: row.currency,
  }),
  minPrice: (row) => ({ minorUnits: row.minPriceMinor, currency: row.currency }),
  maxPrice: (row) => ({ minorUnits: row.maxPriceMinor, currency: row.currency }),
};
