import { averagePrice } from '../lib/money';
import type { SalesMeasuresResolvers } from './__generated__/resolvers-types';

export const SalesMeasures: SalesMeasuresResolvers = {
  revenue: (measures) => ({ minorUnits: measures.revenueMinor, currency: measures.currency }),
  averagePrice: (measures) => averagePrice(measures.revenueMinor, measures.units, measures.currency),
};
