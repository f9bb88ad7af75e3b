import type { SalesChangeResolvers } from './__generated__/resolvers-types';

/** (now - before) / before, or null when there is nothing to compare against. */
const relative = (now: number, before: number): number | null => (before === 0 ? null : (now - before) / before);

const average = (revenue: number, units: number) => (units > 0 ? revenue / units : 0);

export const SalesChange: SalesChangeResolvers = {
  saleCount: (bucket) => relative(bucket.saleCount, bucket.previous?.saleCount ?? 0),
  units: (bucket) => relative(bucket.units, bucket.previous?.units ?? 0),
  revenue: (bucket) => relative(bucket.revenueMinor, bucket.previous?.revenueMinor ?? 0),
  averagePrice: (bucket) =>
    relative(
      average(bucket.revenueMinor, bucket.units),
      average(bucket.previous?.revenueMinor ?? 0, bucket.previous?.units ?? 0),
    ),
};
