import { graphql } from '@/__generated__';
import { getClient } from './apollo/server-client';

const DataAnchorQuery = graphql(`
  query DataAnchor {
    sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) {
      nodes {
        soldAt
      }
    }
  }
`);

const TTL_MS = 5 * 60_000;
let cached: { latest: Date; expires: number } | undefined;

/**
 * When the newest sale happened: the dashboard's "now". Demo data is anchored at the day it
 * was seeded, so periods end at the data instead of the wall clock. Cached for five minutes
 * per server process, so page loads make one GraphQL request each, not two; with no sales
 * at all it is the current time.
 */
export async function latestSaleAt(): Promise<Date> {
  const now = Date.now();
  if (cached && cached.expires > now) return cached.latest;
  const { data } = await getClient().query({ query: DataAnchorQuery });
  const soldAt = data?.sales.nodes[0]?.soldAt;
  const latest = soldAt ? new Date(soldAt) : new Date(now);
  cached = { latest, expires: now + TTL_MS };
  return latest;
}
