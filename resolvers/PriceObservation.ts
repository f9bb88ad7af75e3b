import type { PriceObservationResolvers } from './__generated__/resolvers-types';

export const PriceObservation: PriceObservationResolvers = {
  price: (observation) => ({ minorUnits: observation.amountMinor, currency: observation.currency }),
};
