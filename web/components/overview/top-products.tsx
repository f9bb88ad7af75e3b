import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { ProductImage } from '@/components/product/product-image';
import { formatCount, formatMoney } from '@/lib/format';

export const TopProductsFragment = graphql(`
  fragment TopProducts on Query {
    topProducts(from: $from, to: $to, by: REVENUE, targetCurrency: $currency, first: 10) {
      product {
        id
        title
        marketplace {
          id
          name
        }
        images(first: 1) {
          id
          url
        }
      }
      units
      revenue {
        amount
        currency
      }
    }
  }
`);

/** The ten products with the most revenue in the period. */
export function TopProducts({ query }: { query: FragmentType<typeof TopProductsFragment> }) {
  const { topProducts } = getFragmentData(TopProductsFragment, query);
  return (
    <section className="card" aria-labelledby="top-heading">
      <h2 id="top-heading">Top products by revenue</h2>
      {topProducts.length === 0 ? <p>No sales in this period.</p> : null}
      <ol className="top-list">
        {topProducts.map((entry, index) => {
          const product = entry.product;
          if (!product) return null;
          const image = product.images[0];
          return (
            <li key={product.id} className="top-item">
              <span className="rank" aria-hidden="true">
                {index + 1}
              </span>
              {image ? <ProductImage url={image.url} alt="" size={48} /> : <span className="thumb-empty" />}
              <span className="top-text">
                {/* No prefetch: the product page has no loading boundary (so a missing product is a real
                404), and prefetching it would run its whole query for every listed product. */}
                <Link href={`/products/${product.id}`} prefetch={false}>
                  {product.title}
                </Link>
                <span className="muted">
                  {product.marketplace.name} · {formatCount(entry.units)} units
                </span>
              </span>
              <span className="num">{formatMoney(entry.revenue)}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
