'use client';

import { skipToken, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { getFragmentData, type FragmentType } from '@/__generated__/fragment-masking';
import { ProductSalesPageDocument, SalesTableFragmentDoc, SalesTablePageFragmentDoc } from '@/__generated__/graphql';
import { formatCount, formatInstant, formatMoney } from '@/lib/format';
import { ScrollRegion } from '@/components/layout/scroll-region';

/**
 * The listing's sales, newest first. The first page arrives with the page's one request;
 * Next and Previous fetch other pages in the browser, keeping the cursors they passed.
 */
export function SalesTable({
  product: ref,
  pageSize,
}: {
  product: FragmentType<typeof SalesTableFragmentDoc>;
  pageSize: number;
}) {
  const product = getFragmentData(SalesTableFragmentDoc, ref);
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const fetched = useQuery(
    ProductSalesPageDocument,
    after === undefined ? skipToken : { variables: { id: product.id, first: pageSize, after } },
  );
  const shown =
    after === undefined ? product.sales : (fetched.data?.product?.sales ?? fetched.previousData?.product?.sales);
  const page = shown ? getFragmentData(SalesTablePageFragmentDoc, shown) : undefined;
  const pageNumber = cursors.length + 1;
  return (
    <section className="card" aria-labelledby="sales-heading" aria-busy={fetched.loading}>
      <h2 id="sales-heading">Sales</h2>
      {fetched.error ? (
        <p role="alert" className="error-panel">
          {fetched.error.message}
        </p>
      ) : null}
      <ScrollRegion label="Sales">
        <table className="table" data-testid="sales-table">
          <caption>
            {page ? `${formatCount(page.totalCount)} sales, newest first — page ${pageNumber}` : 'Loading sales…'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Sold</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Unit price
              </th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Shipping
              </th>
            </tr>
          </thead>
          <tbody>
            {page?.nodes.map((sale) => (
              <tr key={sale.id}>
                <td>
                  <span className="nowrap">{formatInstant(sale.soldAt)}</span>
                  {sale.granularity === 'AGGREGATE_DERIVED' ? (
                    <span className="muted"> (from sold counter)</span>
                  ) : null}
                </td>
                <td className="num">{formatCount(sale.quantity)}</td>
                <td className="num">{formatMoney(sale.price)}</td>
                <td className="num">{formatMoney(sale.total)}</td>
                <td className="num">{formatMoney(sale.shipping)}</td>
              </tr>
            ))}
            {page && page.nodes.length === 0 ? (
              <tr>
                <td colSpan={5}>No sales yet.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollRegion>
      <nav className="pager" aria-label="Sales pages">
        <button
          type="button"
          className="button secondary"
          disabled={cursors.length === 0}
          onClick={() => setCursors((list) => list.slice(0, -1))}
        >
          ← Newer
        </button>
        <span className="muted">Page {pageNumber}</span>
        <button
          type="button"
          className="button"
          disabled={!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor || fetched.loading}
          onClick={() => {
            const next = page?.pageInfo.endCursor;
            if (next) setCursors((list) => [...list, next]);
          }}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
