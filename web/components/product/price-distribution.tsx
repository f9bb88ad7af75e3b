import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { BarChart } from '@/components/charts/bar-chart';
import { currencyDigits, formatCount, formatMoney, minorToAmount } from '@/lib/format';

export const PriceDistributionFragment = graphql(`
  fragment ProductPriceDistribution on Product {
    priceDistribution(from: $from365, to: $to, bucketCount: 12) {
      currency
      sampleSize
      max {
        minorUnits
      }
      buckets {
        lower {
          minorUnits
        }
        upper {
          minorUnits
        }
        units
      }
    }
  }
`);

/**
 * How the listing's sold prices spread over the last year, in its currency: units per price
 * bar, over every sale in the year (the gateway counts them).
 */
export function PriceDistribution({ product: ref }: { product: FragmentType<typeof PriceDistributionFragment> }) {
  const { priceDistribution: histogram } = getFragmentData(PriceDistributionFragment, ref);
  const currency = histogram.currency;
  const compact = (histogram.max?.minorUnits ?? 0) >= 10_000 * 10 ** currencyDigits(currency);
  const major = (minor: number) => formatMoney({ amount: minorToAmount(minor, currency), currency }, { compact });
  const bars = histogram.buckets.map((bucket) => ({
    key: String(bucket.lower.minorUnits),
    label: major(bucket.lower.minorUnits),
    value: bucket.units,
    description: `${major(bucket.lower.minorUnits)} to ${major(bucket.upper.minorUnits)}: ${formatCount(bucket.units)} units`,
  }));
  return (
    <section className="card" aria-labelledby="distribution-heading">
      <h2 id="distribution-heading">Price distribution</h2>
      <p className="muted">
        Units by sold price in {currency}, last 365 days ({formatCount(histogram.sampleSize)} sales)
      </p>
      {histogram.sampleSize === 0 ? (
        <p>No sales in the last year.</p>
      ) : (
        <BarChart
          title={`Units sold by price in ${currency}`}
          bars={bars}
          labelEvery={3}
          height={200}
          formatTick={(value) => formatCount(value)}
        />
      )}
    </section>
  );
}
