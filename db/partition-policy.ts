/**
 * Months of history partitions made ahead of the current one (db/partitions.ts), so a month's
 * first writes land in a partition of its own. Apart from the statements so that
 * `npm run db:partitions -- --help` can print it without loading Drizzle.
 */
export const PARTITION_MONTHS_AHEAD = 3;
