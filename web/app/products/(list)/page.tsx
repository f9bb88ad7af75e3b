import type { Metadata } from 'next';
import { graphql } from '@/__generated__';
import { PageErrors } from '@/components/layout/page-errors';
import { PageTitle } from '@/components/layout/page-title';
import { ProductFilters } from '@/components/products/product-filters';
import { ProductResults } from '@/components/products/product-results';
import { runPageQuery } from '@/lib/apollo/page-query';
import { query } from '@/lib/apollo/server-client';
import { latestSaleAt } from '@/lib/data-anchor';
import { periodEndingAt } from '@/lib/periods';
import { pageHref, productFilterOf, productOrderOf, readProductListState } from '@/lib/product-query';
import type { SearchParams } from '@/lib/search-params';

export const metadata: Metadata = { title: 'Products' };

const PAGE_SIZE = 24;

const ProductsPageQuery = graphql(`
  query ProductsPage(
    $filter: ProductFilter
    $orderBy: ProductOrder
    $first: Int!
    $after: String
    $soldFrom: DateTime!
    $brandsFrom: DateTime!
    $brandsTo: DateTime!
    $categoryMarketplaces: [String!]
    $category: ID!
    $hasCategory: Boolean!
  ) {
    ...ProductFilters
    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      ...ProductResults
    }
  }
`);

export default async function ProductsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const state = readProductListState(await searchParams);
  const latest = await latestSaleAt();
  const quarter = periodEndingAt(latest, 90);
  const year = periodEndingAt(latest, 365);
  const result = await runPageQuery(() =>
    query({
      query: ProductsPageQuery,
      variables: {
        filter: productFilterOf(state),
        orderBy: productOrderOf(state, latest),
        first: PAGE_SIZE,
        after: state.after || null,
        soldFrom: quarter.from,
        brandsFrom: year.from,
        brandsTo: year.to,
        categoryMarketplaces: state.marketplaces.length > 0 ? state.marketplaces : null,
        // Skipped without a category; the id is only a placeholder then.
        category: state.categoryId || '0',
        hasCategory: state.categoryId !== '',
      },
    }),
  );
  // The first page of this view: where a refused cursor leads, and the form's key, so the form
  // remounts when the filters in the URL change (back, forward, a link) and its fields show them.
  const firstPage = pageHref(state, { after: '', trail: [] });
  return (
    <>
      <PageTitle title="Products" subtitle="Listings on every marketplace; filters and pages are part of the URL." />
      {!result.ok ? (
        <PageErrors problems={result.problems} firstPage={firstPage} />
      ) : (
        <>
          <ProductFilters key={firstPage} query={result.data} state={state} />
          <ProductResults connection={result.data.products} state={state} pageSize={PAGE_SIZE} />
        </>
      )}
    </>
  );
}
