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

/** The ten top-level categories with the most revenue, each once across marketplaces. */
export function CategoryBreakdown({ query }: { query: FragmentType<typeof CategoryBreakdownFragment> }) {
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
      caption="Top-level categories by revenue"
      groupLabel="Category"
      rows={rows}
    />
  );
}
