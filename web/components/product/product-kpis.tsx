import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatCount, formatMoney } from '@/lib/format';
import { ScrollRegion } from '@/components/layout/scroll-region';

const SummaryFieldsFragment = graphql(`
  fragment ProductSummaryFields on SalesSummary {
    currency
    saleCount
    units
    revenue {
      amount
      currency
    }
    averagePrice {
      amount
      currency
    }
    minPrice {
      amount
      currency
    }
    maxPrice {
      amount
      currency
    }
  }
`);

export const ProductKpisFragment = graphql(`
  fragment ProductKpis on Product {
    last30: salesSummary(from: $from30, to: $to) {
      ...ProductSummaryFields
    }
    last90: salesSummary(from: $from90, to: $to) {
      ...ProductSummaryFields
    }
    last365: salesSummary(from: $from365, to: $to) {
      ...ProductSummaryFields
    }
  }
`);

/** Units, revenue and prices over the last 30, 90 and 365 days, per currency sold in. */
export function ProductKpis({ product: ref }: { product: FragmentType<typeof ProductKpisFragment> }) {
  const product = getFragmentData(ProductKpisFragment, ref);
  const windows = [
    { days: 30, summaries: product.last30 },
    { days: 90, summaries: product.last90 },
    { days: 365, summaries: product.last365 },
  ];
  return (
    <section className="card" aria-labelledby="product-kpi-heading">
      <h2 id="product-kpi-heading">Sales</h2>
      <ScrollRegion label="Sales by period">
        <table className="table">
          <caption>Sold units and prices up to the newest sale in the data</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col" className="num">
                Revenue
              </th>
              <th scope="col" className="num">
                Average
              </th>
              <th scope="col" className="num">
                Range
              </th>
            </tr>
          </thead>
          <tbody>
            {windows.map((window) => {
              const summaries = window.summaries.map((summary) => getFragmentData(SummaryFieldsFragment, summary));
              if (summaries.length === 0) {
                return (
                  <tr key={window.days} data-window={window.days}>
                    <th scope="row">{window.days} days</th>
                    <td className="num">0</td>
                    <td className="num" colSpan={3}>
                      No sales
                    </td>
                  </tr>
                );
              }
              return summaries.map((summary) => (
                <tr key={`${window.days}-${summary.currency}`} data-window={window.days}>
                  <th scope="row">{window.days} days</th>
                  <td className="num">{formatCount(summary.units)}</td>
                  <td className="num">{formatMoney(summary.revenue)}</td>
                  <td className="num">{formatMoney(summary.averagePrice)}</td>
                  <td className="num">
                    {formatMoney(summary.minPrice)} – {formatMoney(summary.maxPrice)}
                  </td>
                </tr>
              ));
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
