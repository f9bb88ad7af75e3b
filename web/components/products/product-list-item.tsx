import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { ProductImage } from '@/components/product/product-image';
import { formatAskingPrice, formatCount } from '@/lib/format';
import { CONDITION_LABELS } from '@/lib/product-query';

export const ProductListItemFragment = graphql(`
  fragment ProductListItem on Product {
    id
    title
    brand
    condition
    status
    availableQuantity
    price {
      amount
      currency
    }
    marketplace {
      id
      name
    }
    category {
      id
      name
    }
    images(first: 1) {
      id
      url
    }
    recentSales: salesSummary(from: $soldFrom) {
      currency
      units
    }
  }
`);

/** One product in the list: thumbnail, title, facts, asking price, recent units sold and units left. */
export function ProductListItem({ product: ref }: { product: FragmentType<typeof ProductListItemFragment> }) {
  const product = getFragmentData(ProductListItemFragment, ref);
  const image = product.images[0];
  const unitsSold = product.recentSales.reduce((sum, summary) => sum + summary.units, 0);
  return (
    <li className="card product-row" data-product-id={product.id}>
      {image ? <ProductImage url={image.url} alt="" size={72} /> : <span className="thumb-empty" />}
      <div>
        <h2>
          {/* No prefetch: the product page has no loading boundary (so a missing product is a real
                404), and prefetching it would run its whole query for every listed product. */}
          <Link href={`/products/${product.id}`} prefetch={false}>
            {product.title}
          </Link>
        </h2>
        <div className="product-meta">
          <span>{product.marketplace.name}</span>
          {product.category ? <span>{product.category.name}</span> : null}
          {product.brand ? <span>{product.brand}</span> : null}
          <span>{CONDITION_LABELS[product.condition]}</span>
          <span className="badge">{product.status.toLowerCase()}</span>
        </div>
      </div>
      <div className="num price-cell">
        <div className={product.price ? 'price' : 'price unavailable'}>{formatAskingPrice(product.price)}</div>
        <div className="muted">{formatCount(unitsSold)} sold in 90 days</div>
        {product.availableQuantity === null ? null : (
          <div className="muted">{formatCount(product.availableQuantity)} available</div>
        )}
      </div>
    </li>
  );
}
