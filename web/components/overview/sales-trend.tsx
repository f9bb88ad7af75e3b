import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { BarChart } from '@/components/charts/bar-chart';
import { formatCount, formatDay, formatMoney } from '@/lib/format';

export const SalesTrendFragment = graphql(`
  fragment SalesTrend on Query {
    trend: salesStats(
      from: $from
      to: $to
      interval: $interval
      fillGaps: true
      targetCurrency: $currency
      first: 1000
    ) {
      nodes {
        periodStart
        partial
        units
        revenue {
          amount
          currency
        }
      }
    }
  }
`);

const shortDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Revenue per day (or week, over a year) in the chosen currency. */
export function SalesTrend({
  query,
  currency,
  per,
}: {
  query: FragmentType<typeof SalesTrendFragment>;
  currency: string;
  per: 'day' | 'week';
}) {
  const { trend } = getFragmentData(SalesTrendFragment, query);
  const bars = trend.nodes.map((node) => ({
    key: node.periodStart,
    label: shortDay.format(new Date(node.periodStart)),
    value: Number(node.revenue.amount),
    partial: node.partial,
    description: `${formatDay(node.periodStart)}${node.partial ? ` (${per} partly in the period)` : ''}: ${formatMoney(node.revenue)} from ${formatCount(node.units)} units`,
  }));
  const partial = bars.some((bar) => bar.partial);
  const totalUnits = trend.nodes.reduce((sum, node) => sum + node.units, 0);
  return (
    <section className="card" aria-labelledby="trend-heading">
      <h2 id="trend-heading">Sales trend</h2>
      <p className="muted">
        Revenue per {per} in {currency}, {formatCount(totalUnits)} units in all
        {partial ? `; hatched bars are ${per}s only partly inside the period` : ''}
      </p>
      {bars.length === 0 ? (
        <p>No sales in this period.</p>
      ) : (
        <BarChart
          title={`Revenue per period in ${currency}`}
          bars={bars}
          labelEvery={Math.ceil(bars.length / 8)}
          formatTick={(value) => formatMoney({ amount: String(value), currency }, { compact: true })}
        />
      )}
    </section>
  );
}
