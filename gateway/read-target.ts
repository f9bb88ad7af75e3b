import type { Db } from '../db/client';

/** Where one request's data client reads, and what that means for the freshness of its answer. */
export type ReadTarget = {
  db: Db;
  /** `primary`, or the replica's name (`replica-1`, ...). */
  name: string;
  /** A replica's lag at its last probe. */
  lagSeconds?: number;
  lagBytes?: number;
  /** A replica holds every transaction the primary committed before this time (ms since the epoch). */
  consistentAt?: number;
  /** Why a request reads from the primary while replicas are configured. */
  reason?: string;
};

/** `extensions.freshness.readFrom`: where an answer's data was read. */
export type ReadFrom =
  | { target: 'primary'; reason?: string }
  | { target: 'replica'; replica: string; lagSeconds: number; lagBytes: number; consistentAsOf: string };

/** Reading from the primary, for no particular reason (no replicas, or before routing). */
export const primaryTarget = (db: Db): ReadTarget => ({ db, name: 'primary' });

/** What an answer read from `target` says about where its data came from. */
export function readFromOf(target: ReadTarget): ReadFrom {
  if (target.consistentAt === undefined) {
    return { target: 'primary', ...(target.reason ? { reason: target.reason } : {}) };
  }
  return {
    target: 'replica',
    replica: target.name,
    lagSeconds: target.lagSeconds ?? 0,
    lagBytes: target.lagBytes ?? 0,
    consistentAsOf: new Date(target.consistentAt).toISOString(),
  };
}
