import { graphql } from '@/__generated__';
import { getClient } from './apollo/server-client';

const DataAnchorQuery = graphql(`
  query DataAnchor {
    sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) {
      nodes {
        soldAt
      }
    }
    convertibleCurrencies
  }
`);

const TTL_MS = 5 * 60_000;

/** What every page needs before its own query: "now" in the data, and the currencies with rates. */
export type DataAnchor = { latest: Date; currencies: string[] };

let cached: { anchor: DataAnchor; expires: number } | undefined;

/**
 * The newest sale's time (the dashboard's "now": demo data is anchored at the day it was
 * seeded, so periods end at the data instead of the wall clock; with no sales at all it is the
 * current time) and the currencies amounts can be converted to. Cached for five minutes per
 * server process, so page loads make one GraphQL request each, not two.
 */
export async function dataAnchor(): Promise<DataAnchor> {
  const now = Date.now();
  if (cached && cached.expires > now) return cached.anchor;
  const { data } = await getClient().query({ query: DataAnchorQuery });
  const soldAt = data?.sales.nodes[0]?.soldAt;
  const anchor = { latest: soldAt ? new Date(soldAt) : new Date(now), currencies: data?.convertibleCurrencies ?? [] };
  cached = { anchor, expires: now + TTL_MS };
  return anchor;
}

/** The newest sale's time: see dataAnchor. */
export async function latestSaleAt(): Promise<Date> {
  return (await dataAnchor()).latest;
}
