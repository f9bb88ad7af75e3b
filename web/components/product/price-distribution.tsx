import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { BarChart } from '@/components/charts/bar-chart';
import { currencyDigits, formatCount, formatMoney, minorToAmount } from '@/lib/format';

export const PriceDistributionFragment = graphql(`
  fragment PriceDistributionSample on Product {
    price { currency }
    distributionSales: sales(first: 100, filter: { soldAt: { from: $from365, to: $to } }) {
      totalCount
      nodes { id quantity price { minorUnits currency } }
    }
  }
`);

const BARS = 12;

/**
 * How the listing's sold prices spread over the last year, in its currency. The histogram
 * counts the newest 100 sales at most (the API's page limit) and says so when there are more.
 */
export function PriceDistribution({ product: ref }: { product: FragmentType<typeof PriceDistributionFragment> }) {
  const product = getFragmentData(PriceDistributionFragment, ref);
  const currency = product.price.currency;
  const sales = product.distributionSales.nodes.filter((sale) => sale.price.currency === currency);
  const prices = sales.map((sale) => sale.price.minorUnits);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const width = Math.max(1, Math.ceil((high - low + 1) / BARS));
  const counts = Array.from({ length: BARS }, () => 0);
  for (const sale of sales) {
    const index = Math.min(BARS - 1, Math.floor((sale.price.minorUnits - low) / width));
    counts[index] = (counts[index] ?? 0) + sale.quantity;
  }
  const compact = high >= 10_000 * 10 ** currencyDigits(currency);
  const major = (minor: number) => formatMoney({ amount: minorToAmount(minor, currency), currency }, { compact });
  const bars = counts.map((units, index) => {
    const lower = low + index * width;
    return {
      key: String(lower),
      label: major(lower),
      value: units,
      description: `${major(lower)} to ${major(lower + width)}: ${formatCount(units)} units`,
    };
  });
  const total = product.distributionSales.totalCount;
  return (
    <section className="card" aria-labelledby="distribution-heading">
      <h2 id="distribution-heading">Price distribution</h2>
      <p className="muted">
        Units by sold price in {currency}, last 365 days
        {total > sales.length ? ` (newest ${formatCount(sales.length)} of ${formatCount(total)} sales)` : ''}
      </p>
      {sales.length === 0 ? (
        <p>No sales in the last year.</p>
      ) : (
        <BarChart title={`Units sold by price in ${currency}`} bars={bars} labelEvery={3} height={200} formatTick={(value) => formatCount(value)} />
      )}
    </section>
  );
}
