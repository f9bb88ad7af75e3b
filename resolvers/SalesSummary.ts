import { averagePrice } from '../lib/money';
import type { SalesSummaryResolvers } from './__generated__/resolvers-types';

export const SalesSummary: SalesSummaryResolvers = {
  revenue: (row) => ({ minorUnits: row.revenueMinor, currency: row.currency }),
  // A summary exists only for a currency the product sold in, so units are never zero.
  averagePrice: (row) =>
    averagePrice(row.revenueMinor, row.units, row.currency) ?? { minorUnits: 0, currency: row.currency },
  minPrice: (row) => ({ minorUnits: row.minPriceMinor, currency: row.currency }),
  maxPrice: (row) => ({ minorUnits: row.maxPriceMinor, currency: row.currency }),
};
