import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatChange, formatCount, formatMoney, relativeChange } from '@/lib/format';

export const OverviewKpisFragment = graphql(`
  fragment OverviewKpis on Query {
    current: salesStats(from: $from, to: $to, targetCurrency: $currency, compareWith: $compareWith) {
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
    previousMedian: salesStats(from: $comparedFrom, to: $comparedTo, targetCurrency: $currency) {
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
    sellingBefore: products(filter: { status: [ACTIVE], soldAt: { from: $comparedFrom, to: $comparedTo } }, first: 0) {
      totalCount
    }
  }
`);

type Kpi = { label: string; value: string; change: number | null; note?: string };

function Change({ ratio, versus }: { ratio: number | null; versus: string }) {
  const direction = ratio === null ? 'flat' : ratio > 0 ? 'up' : ratio < 0 ? 'down' : 'flat';
  return (
    <span className={`change change-${direction}`}>
      <span aria-hidden="true">{direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : ''}</span>
      {formatChange(ratio)} <span className="muted change-versus">vs {versus}</span>
    </span>
  );
}

/**
 * The period's headline numbers, each against what `versus` names: the days of equal length
 * before it, or the same days a year before.
 */
export function KpiCards({
  query,
  days,
  versus,
}: {
  query: FragmentType<typeof OverviewKpisFragment>;
  days: number;
  versus: string;
}) {
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
            <Change ratio={kpi.change} versus={versus} />
            {kpi.note ? <span className="muted kpi-note">{kpi.note}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
