import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatCount } from '@/lib/format';
import { pageHref, type ProductListState } from '@/lib/product-query';
import { ProductListItem } from './product-list-item';

export const ProductResultsFragment = graphql(`
  fragment ProductResults on ProductConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        ...ProductListItem
      }
    }
  }
`);

/** A page of matching products with Previous / Next links that keep every filter. */
export function ProductResults({
  connection,
  state,
  pageSize,
}: {
  connection: FragmentType<typeof ProductResultsFragment>;
  state: ProductListState;
  pageSize: number;
}) {
  const { totalCount, pageInfo, edges } = getFragmentData(ProductResultsFragment, connection);
  const pageNumber = state.trail.length + 1;
  const firstShown = (pageNumber - 1) * pageSize + 1;
  const previousStart = state.trail[state.trail.length - 1];
  const previous =
    previousStart === undefined
      ? null
      : pageHref(state, { after: previousStart === '-' ? '' : previousStart, trail: state.trail.slice(0, -1) });
  const next =
    pageInfo.hasNextPage && pageInfo.endCursor
      ? pageHref(state, { after: pageInfo.endCursor, trail: [...state.trail, state.after || '-'] })
      : null;
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" className="visually-hidden">
        Results
      </h2>
      <p aria-live="polite" data-testid="result-count">
        {totalCount === 0
          ? 'No products match.'
          : `${formatCount(firstShown)}–${formatCount(firstShown + edges.length - 1)} of ${formatCount(totalCount)} products`}
      </p>
      <ul className="product-grid">
        {edges.map((edge) => (
          <ProductListItem key={edge.node.id} product={edge.node} />
        ))}
      </ul>
      <nav className="pager" aria-label="Pages">
        {previous ? (
          <Link className="button secondary" href={previous} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span className="button secondary" aria-disabled="true">
            ← Previous
          </span>
        )}
        <span className="muted">Page {pageNumber}</span>
        {next ? (
          <Link className="button" href={next} rel="next">
            Next →
          </Link>
        ) : (
          <span className="button" aria-disabled="true">
            Next →
          </span>
        )}
      </nav>
    </section>
  );
}
