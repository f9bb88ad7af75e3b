import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { BreakdownCard } from './breakdown-card';

export const CategoryBreakdownFragment = graphql(`
  fragment CategoryBreakdown on Query {
    byCategory: salesStats(
      from: $from
      to: $to
      groupBy: [CATEGORY]
      categoryLevel: 0
      targetCurrency: $currency
      compareWith: $compareWith
      orderBy: { field: REVENUE, direction: DESC }
      first: 10
    ) {
      nodes {
        canonicalCategory {
          id
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

/** The ten top-level categories with the most revenue, each once across marketplaces, with the change against `versus`. */
export function CategoryBreakdown({
  query,
  versus,
}: {
  query: FragmentType<typeof CategoryBreakdownFragment>;
  versus: string;
}) {
  const { byCategory } = getFragmentData(CategoryBreakdownFragment, query);
  const rows = byCategory.nodes.map((node, index) => ({
    key: node.canonicalCategory?.id ?? `uncategorized-${index}`,
    name: node.canonicalCategory?.name ?? 'Uncategorized',
    units: node.units,
    revenue: node.revenue,
    change: node.change?.revenue ?? null,
  }));
  return (
    <BreakdownCard
      id="category"
      title="Top categories"
      caption={`Top-level categories by revenue, revenue change against ${versus}`}
      groupLabel="Category"
      rows={rows}
    />
  );
}
