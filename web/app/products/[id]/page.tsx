import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { graphql } from '@/__generated__';
import { GatewayErrors } from '@/components/layout/gateway-errors';
import { ImageGallery } from '@/components/product/image-gallery';
import { PriceDistribution } from '@/components/product/price-distribution';
import { PriceHistoryChart } from '@/components/product/price-history-chart';
import { ProductFacts } from '@/components/product/product-facts';
import { ProductHeader } from '@/components/product/product-header';
import { ProductKpis } from '@/components/product/product-kpis';
import { SalesTable } from '@/components/product/sales-table';
import { SameItemElsewhere } from '@/components/product/same-item-elsewhere';
import { runPageQuery } from '@/lib/apollo/page-query';
import { ApolloProvider } from '@/lib/apollo/provider';
import { query } from '@/lib/apollo/server-client';
import { latestSaleAt } from '@/lib/data-anchor';
import { isIntegerId } from '@/lib/ids';
import { periodEndingAt } from '@/lib/periods';

const SALES_PAGE_SIZE = 20;

const ProductPageQuery = graphql(`
  query ProductPage(
    $id: ID!
    $from30: DateTime!
    $from90: DateTime!
    $from365: DateTime!
    $to: DateTime!
    $salesPageSize: Int!
  ) {
    product(id: $id) {
      id
      title
      ...ProductHeader
      ...ImageGallery
      ...ProductKpis
      ...ProductFacts
      ...PriceHistory
      ...ProductPriceDistribution
      ...SalesTable
      ...SameItemElsewhere
    }
  }
`);

/**
 * The page's one GraphQL request, shared by generateMetadata and the page within a request
 * (React's cache), or undefined for an id that cannot name a product.
 */
const loadProduct = cache(async (id: string) => {
  if (!isIntegerId(id)) return undefined;
  const latest = await latestSaleAt();
  const year = periodEndingAt(latest, 365);
  const variables = {
    id,
    from30: periodEndingAt(latest, 30).from,
    from90: periodEndingAt(latest, 90).from,
    from365: year.from,
    to: year.to,
    salesPageSize: SALES_PAGE_SIZE,
  };
  const result = await runPageQuery(() => query({ query: ProductPageQuery, variables }));
  return { result, year };
});

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const loaded = await loadProduct((await params).id);
  if (!loaded?.result.ok) return loaded ? {} : { title: 'Product not found' };
  return { title: loaded.result.data.product?.title ?? 'Product not found' };
}

export default async function ProductPage({ params }: Params) {
  // This route has no loading boundary, so notFound() answers before anything streams: a real 404.
  const loaded = await loadProduct((await params).id);
  if (!loaded) notFound();
  const { result, year } = loaded;
  if (!result.ok) return <GatewayErrors problems={result.problems} />;
  const product = result.data.product;
  if (!product) notFound();
  return (
    <div className="stack">
      <ProductHeader product={product} />
      <div className="product-layout">
        <div className="stack">
          <ImageGallery product={product} />
          <ProductFacts product={product} />
        </div>
        <div className="stack">
          <ProductKpis product={product} />
          <PriceHistoryChart product={product} from={year.from} to={year.to} />
          <PriceDistribution product={product} />
        </div>
      </div>
      <SameItemElsewhere product={product} />
      {/* Only this leaf queries from the browser, so only this route ships Apollo Client. */}
      <ApolloProvider>
        <SalesTable product={product} pageSize={SALES_PAGE_SIZE} />
      </ApolloProvider>
    </div>
  );
}
