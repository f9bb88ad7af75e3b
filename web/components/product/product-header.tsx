import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatAskingPrice } from '@/lib/format';
import { CONDITION_LABELS } from '@/lib/product-query';

export const ProductHeaderFragment = graphql(`
  fragment ProductHeader on Product {
    title
    brand
    condition
    conditionLabel
    status
    price {
      amount
      currency
    }
    marketplace {
      id
      code
      name
    }
    category {
      id
      path {
        id
        name
        canonical {
          id
        }
      }
    }
  }
`);

/** Breadcrumbs, title, asking price and the listing's condition and status. */
export function ProductHeader({ product: ref }: { product: FragmentType<typeof ProductHeaderFragment> }) {
  const product = getFragmentData(ProductHeaderFragment, ref);
  return (
    <header className="stack">
      <nav aria-label="Breadcrumb">
        <ol className="product-meta breadcrumbs">
          <li>
            <Link href="/products">Products</Link>
          </li>
          <li>{product.marketplace.name}</li>
          {product.category?.path.map((category) => (
            <li key={category.id}>
              {category.canonical ? (
                // This marketplace's listings in the category: its canonical node, scoped to the marketplace.
                <Link
                  href={`/products?marketplace=${encodeURIComponent(product.marketplace.code)}&category=${encodeURIComponent(category.canonical.id)}`}
                >
                  {category.name}
                </Link>
              ) : (
                category.name
              )}
            </li>
          ))}
        </ol>
      </nav>
      <h1>{product.title}</h1>
      <div className="product-meta">
        <span className={product.price ? 'price' : 'price unavailable'} data-testid="asking-price">
          {formatAskingPrice(product.price)}
        </span>
        <span>{product.price ? 'asking price' : 'no current price (out of stock)'}</span>
        {product.brand ? <span>{product.brand}</span> : null}
        <span>
          {CONDITION_LABELS[product.condition]}
          {product.conditionLabel ? ` (“${product.conditionLabel}”)` : ''}
        </span>
        <span className="badge">{product.status.toLowerCase()}</span>
      </div>
    </header>
  );
}
