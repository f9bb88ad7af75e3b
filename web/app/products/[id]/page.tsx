import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { graphql } from '@/__generated__';
import { GatewayErrors } from '@/components/layout/gateway-errors';
import { ImageGallery } from '@/components/product/image-gallery';
import { PriceDistribution } from '@/components/product/price-distribution';
import { PriceHistoryChart } from '@/components/product/price-history-chart';
import { ProductFacts } from '@/components/product/product-facts';
import { ProductHeader } from '@/components/product/product-header';
import { ProductKpis } from '@/components/product/product-kpis';
import { SalesTable } from '@/components/product/sales-table';
import { runPageQuery } from '@/lib/apollo/page-query';
import { query } from '@/lib/apollo/server-client';
import { latestSaleAt } from '@/lib/data-anchor';
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
      ...PriceDistributionSample
      ...SalesTable
    }
  }
`);

type ProductPageProps = { params: Promise<{ id: string }> };

async function loadProduct(id: string) {
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
  return { year, result: await runPageQuery(() => query({ query: ProductPageQuery, variables })) };
}

export async function generateMetadata({ params }: ProductPageProps): Promise<Metadata> {
  // The same variables as the page, so Apollo's per-request cache answers without a second request.
  const { result } = await loadProduct((await params).id);
  return { title: result.ok && result.data.product ? result.data.product.title : 'Product' };
}

export default async function ProductPage({ params }: ProductPageProps) {
  const { year, result } = await loadProduct((await params).id);
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
      <SalesTable product={product} pageSize={SALES_PAGE_SIZE} />
    </div>
  );
}
