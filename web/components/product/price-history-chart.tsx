import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { linearScale, linePath, niceTicks } from '@/components/charts/scale';
import { formatDay, formatMoney } from '@/lib/format';
import { ScrollRegion } from '@/components/layout/scroll-region';

export const PriceHistoryFragment = graphql(`
  fragment PriceHistory on Product {
    currency
    priceHistory(interval: WEEK, from: $from365, to: $to) {
      periodStart
      currency
      units
      medianPrice {
        amount
      }
      minPrice {
        amount
      }
      maxPrice {
        amount
      }
    }
  }
`);

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 12, right: 12, bottom: 28, left: 64 };
const month = new Intl.DateTimeFormat('en-US', { month: 'short', year: '2-digit', timeZone: 'UTC' });

/**
 * Weekly sold prices over the last year in the listing's currency: the band spans the
 * lowest to the highest price of each week, the line is the weekly median.
 */
export function PriceHistoryChart({
  product: ref,
  from,
  to,
}: {
  product: FragmentType<typeof PriceHistoryFragment>;
  from: string;
  to: string;
}) {
  const product = getFragmentData(PriceHistoryFragment, ref);
  const currency = product.currency;
  const weeks = product.priceHistory
    .filter((bucket) => bucket.currency === currency && bucket.units > 0)
    .map((bucket) => ({
      start: bucket.periodStart,
      time: Date.parse(bucket.periodStart),
      median: bucket.medianPrice ? Number(bucket.medianPrice.amount) : null,
      min: bucket.minPrice ? Number(bucket.minPrice.amount) : null,
      max: bucket.maxPrice ? Number(bucket.maxPrice.amount) : null,
      medianText: bucket.medianPrice ? formatMoney({ amount: bucket.medianPrice.amount, currency }) : '—',
      units: bucket.units,
    }));
  const otherCurrencies = new Set(
    product.priceHistory.map((bucket) => bucket.currency).filter((code) => code !== currency),
  );
  const highest = Math.max(0, ...weeks.map((week) => week.max ?? 0));
  // The axis fits the prices rather than starting at 0, which flattened every line.
  const lows = weeks.flatMap((week) => (week.min === null ? [] : [week.min]));
  const lowest = lows.length > 0 ? Math.min(...lows) : 0;
  const ticks = niceTicks(highest, 4, lowest);
  const x = linearScale([Date.parse(from), Date.parse(to)], [PAD.left, WIDTH - PAD.right]);
  const y = linearScale([ticks[0] ?? 0, ticks[ticks.length - 1] ?? 1], [HEIGHT - PAD.bottom, PAD.top]);
  const band =
    weeks.length > 0
      ? `M${weeks.map((week) => `${x(week.time).toFixed(1)},${y(week.max ?? 0).toFixed(1)}`).join('L')}` +
        `L${[...weeks]
          .reverse()
          .map((week) => `${x(week.time).toFixed(1)},${y(week.min ?? 0).toFixed(1)}`)
          .join('L')}Z`
      : '';
  const median = linePath(weeks.map((week) => [x(week.time), week.median === null ? null : y(week.median)] as const));
  const monthTicks: number[] = [];
  for (
    let date = new Date(from);
    date.getTime() < Date.parse(to);
    date = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 2, 1))
  ) {
    monthTicks.push(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  }
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Sold-price history</h2>
      <p className="muted">Weekly, last 365 days, in {currency}</p>
      {weeks.length === 0 ? (
        <p>No sales in the last year.</p>
      ) : (
        <>
          <ScrollRegion label={`Weekly sold prices in ${currency}`} className="chart-scroll">
            <svg
              className="chart"
              viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
              role="img"
              aria-label={`Weekly median sold price in ${currency}`}
              data-testid="price-history-chart"
            >
              <title>{`Weekly sold prices in ${currency}: lowest to highest, and the median`}</title>
              {ticks.map((tick) => (
                <g key={tick} className="chart-grid">
                  <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
                  <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
                    {formatMoney({ amount: String(tick), currency }, { compact: true })}
                  </text>
                </g>
              ))}
              {monthTicks
                .filter((tick) => tick < Date.parse(to))
                .map((tick) => (
                  <text key={tick} className="chart-axis-label" x={x(tick)} y={HEIGHT - 8} textAnchor="middle">
                    {month.format(new Date(tick))}
                  </text>
                ))}
              <path className="chart-band" d={band} />
              <path className="chart-line" d={median} data-testid="median-line" />
              {weeks.map((week) =>
                week.median === null ? null : (
                  <circle key={week.start} className="chart-dot" cx={x(week.time)} cy={y(week.median)} r={3}>
                    <title>{`Week of ${formatDay(week.start)}: median ${week.medianText}, ${week.units} units`}</title>
                  </circle>
                ),
              )}
            </svg>
          </ScrollRegion>
          <div className="legend">
            <span>
              <span className="swatch" style={{ background: '#0f2f7a' }} />
              Median sold price
            </span>
            <span>
              <span className="swatch" style={{ background: '#bfd0f5' }} />
              Lowest to highest
            </span>
          </div>
        </>
      )}
      {otherCurrencies.size > 0 ? (
        <p className="muted">Sales in {[...otherCurrencies].join(', ')} are not charted.</p>
      ) : null}
    </section>
  );
}
