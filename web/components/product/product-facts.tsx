import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { formatInstant } from '@/lib/format';

export const ProductFactsFragment = graphql(`
  fragment ProductFacts on Product {
    externalId
    url
    firstSeenAt
    lastSeenAt
    marketplace {
      id
      name
    }
    identifiers {
      gtin
      mpn
      epid
    }
  }
`);

/** Identifiers that tie the listing to catalogs, when Soldgraph saw it, and the listing itself. */
export function ProductFacts({ product: ref }: { product: FragmentType<typeof ProductFactsFragment> }) {
  const product = getFragmentData(ProductFactsFragment, ref);
  const facts: [string, string | null][] = [
    ['Listing id', product.externalId],
    ['GTIN', product.identifiers.gtin ?? null],
    ['MPN', product.identifiers.mpn ?? null],
    ['ePID', product.identifiers.epid ?? null],
    ['First seen', formatInstant(product.firstSeenAt)],
    ['Last seen', formatInstant(product.lastSeenAt)],
  ];
  return (
    <section className="card" aria-labelledby="facts-heading">
      <h2 id="facts-heading">Identifiers</h2>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>{value ?? <span className="muted">not given</span>}</dd>
          </div>
        ))}
      </dl>
      {product.url ? (
        <p style={{ marginTop: '0.75rem' }}>
          <a className="button secondary" href={product.url} rel="noopener noreferrer external" target="_blank">
            View the listing on {product.marketplace.name}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </p>
      ) : null}
    </section>
  );
}
