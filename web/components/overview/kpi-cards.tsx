import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatChange, formatCount, formatMoney, relativeChange } from '@/lib/format';

export const OverviewKpisFragment = graphql(`
  fragment OverviewKpis on Query {
    current: salesStats(from: $from, to: $to, targetCurrency: $currency) {
      nodes {
        units
        revenue {
          amount
          currency
        }
        averagePrice {
          amount
          currency
        }
        medianPrice {
          amount
          currency
        }
        change {
          units
          revenue
          averagePrice
        }
      }
    }
    previousMedian: salesStats(from: $previousFrom, to: $from, targetCurrency: $currency) {
      nodes {
        medianPrice {
          amount
        }
      }
    }
    activeListings: products(filter: { status: [ACTIVE] }, first: 0) {
      totalCount
    }
    sellingListings: products(filter: { status: [ACTIVE], soldAt: { from: $from, to: $to } }, first: 0) {
      totalCount
    }
    sellingBefore: products(filter: { status: [ACTIVE], soldAt: { from: $previousFrom, to: $from } }, first: 0) {
      totalCount
    }
  }
`);

type Kpi = { label: string; value: string; change: number | null; note?: string };

function Change({ ratio }: { ratio: number | null }) {
  const direction = ratio === null ? 'flat' : ratio > 0 ? 'up' : ratio < 0 ? 'down' : 'flat';
  return (
    <span className={`change change-${direction}`}>
      <span aria-hidden="true">{direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}</span>
      {formatChange(ratio)} <span className="visually-hidden">versus the previous period</span>
    </span>
  );
}

/** The period's headline numbers, each against the period of equal length before it. */
export function KpiCards({ query, days }: { query: FragmentType<typeof OverviewKpisFragment>; days: number }) {
  const data = getFragmentData(OverviewKpisFragment, query);
  const totals = data.current.nodes[0];
  const previousMedian = data.previousMedian.nodes[0]?.medianPrice?.amount;
  const median = totals?.medianPrice ?? null;
  const kpis: Kpi[] = [
    { label: 'Units sold', value: formatCount(totals?.units ?? 0), change: totals?.change?.units ?? null },
    { label: 'Revenue', value: formatMoney(totals?.revenue), change: totals?.change?.revenue ?? null },
    {
      label: 'Average sold price',
      value: formatMoney(totals?.averagePrice),
      change: totals?.change?.averagePrice ?? null,
    },
    {
      label: 'Median sold price',
      value: formatMoney(median),
      change: relativeChange(median ? Number(median.amount) : null, previousMedian ? Number(previousMedian) : null),
    },
    {
      label: 'Active listings selling',
      value: formatCount(data.sellingListings.totalCount),
      change: relativeChange(data.sellingListings.totalCount, data.sellingBefore.totalCount),
      note: `of ${formatCount(data.activeListings.totalCount)} active listings`,
    },
  ];
  return (
    <section aria-labelledby="kpi-heading">
      <h2 id="kpi-heading" className="visually-hidden">
        Key figures for the last {days} days
      </h2>
      <ul className="kpi-grid">
        {kpis.map((kpi) => (
          <li key={kpi.label} className="card kpi" data-kpi={kpi.label}>
            <span className="kpi-label">{kpi.label}</span>
            <span className="kpi-value">{kpi.value}</span>
            <Change ratio={kpi.change} />
            {kpi.note ? <span className="muted kpi-note">{kpi.note}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
