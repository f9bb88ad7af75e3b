import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { BreakdownCard } from './breakdown-card';

export const MarketplaceBreakdownFragment = graphql(`
  fragment MarketplaceBreakdown on Query {
    byMarketplace: salesStats(
      from: $from
      to: $to
      groupBy: [MARKETPLACE]
      targetCurrency: $currency
      compareWith: $compareWith
      orderBy: { field: REVENUE, direction: DESC }
    ) {
      nodes {
        marketplace {
          id
          code
          name
        }
        units
        revenue {
          amount
          currency
        }
        change {
          revenue
        }
      }
    }
  }
`);

/** Units and revenue per marketplace, largest revenue first, with the change against `versus`. */
export function MarketplaceBreakdown({
  query,
  versus,
}: {
  query: FragmentType<typeof MarketplaceBreakdownFragment>;
  versus: string;
}) {
  const { byMarketplace } = getFragmentData(MarketplaceBreakdownFragment, query);
  const rows = byMarketplace.nodes.map((node) => ({
    key: node.marketplace?.code ?? 'unknown',
    name: node.marketplace?.name ?? 'Unknown marketplace',
    units: node.units,
    revenue: node.revenue,
    change: node.change?.revenue ?? null,
  }));
  return (
    <BreakdownCard
      id="marketplace"
      title="By marketplace"
      caption={`Sales by marketplace, revenue change against ${versus}`}
      groupLabel="Marketplace"
      rows={rows}
    />
  );
}
