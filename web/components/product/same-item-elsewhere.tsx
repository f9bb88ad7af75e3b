import Link from 'next/link';
import { type FragmentType, getFragmentData, graphql } from '@/__generated__';
import { ScrollRegion } from '@/components/layout/scroll-region';
import { formatDay, formatMoney, NO_ASKING_PRICE } from '@/lib/format';

export const SameItemElsewhereFragment = graphql(`
  fragment SameItemElsewhere on Product {
    currency
    sameItemElsewhere(first: 10) {
      confidence
      matchedBy
      product {
        id
        title
        marketplace {
          id
          name
        }
      }
      askingPrice {
        ...ComparedAmount
      }
      lastSale {
        ...ComparedAmount
      }
    }
  }
`);

const ComparedAmountFragment = graphql(`
  fragment ComparedAmount on ComparedPrice {
    original {
      amount
      currency
    }
    converted {
      amount
      currency
    }
    at
    rateDay
  }
`);

const MATCH_LABELS: Record<string, string> = {
  GTIN: 'GTIN',
  EPID: 'ePID',
  ASIN: 'ASIN',
  MPN_BRAND: 'MPN + brand',
  MANUAL: 'linked by hand',
};

/**
 * One compared amount: converted (with the rate's day) and as the other listing had it, with
 * its date; `none` when there is no amount.
 */
function Compared({
  value: ref,
  what,
  none,
}: {
  value: FragmentType<typeof ComparedAmountFragment> | null | undefined;
  what: string;
  none: string;
}) {
  const value = getFragmentData(ComparedAmountFragment, ref);
  if (!value) return <span className="muted">{none}</span>;
  const converted = value.converted && value.converted.currency !== value.original.currency ? value.converted : null;
  return (
    <>
      <span>{formatMoney(converted ?? value.original)}</span>
      <span className="muted compared-detail">
        {converted ? `${formatMoney(value.original)} at the ${formatDay(value.rateDay ?? value.at)} rate · ` : ''}
        {what} {formatDay(value.at)}
      </span>
    </>
  );
}

/**
 * The same item on other marketplaces (linked by GTIN, ePID, ASIN or MPN with brand), with
 * their asking and last sold prices in this listing's currency and the dates behind them.
 */
export function SameItemElsewhere({ product: ref }: { product: FragmentType<typeof SameItemElsewhereFragment> }) {
  const product = getFragmentData(SameItemElsewhereFragment, ref);
  const links = product.sameItemElsewhere;
  return (
    <section className="card" aria-labelledby="elsewhere-heading">
      <h2 id="elsewhere-heading">Same item elsewhere</h2>
      {links.length === 0 ? (
        <p className="muted">No listing on another marketplace shares an identifier with this one.</p>
      ) : (
        <ScrollRegion label="Same item on other marketplaces">
          <table>
            <caption className="visually-hidden">
              Listings of this item on other marketplaces, prices converted to {product.currency} where an exchange rate
              exists
            </caption>
            <thead>
              <tr>
                <th scope="col">Marketplace</th>
                <th scope="col">Listing</th>
                <th scope="col">Asking</th>
                <th scope="col">Last sold</th>
                <th scope="col">Match</th>
              </tr>
            </thead>
            <tbody>
              {links.map((link) => (
                <tr key={link.product.id} data-link={link.product.id}>
                  <td>{link.product.marketplace.name}</td>
                  <td>
                    <Link href={`/products/${link.product.id}`} prefetch={false}>
                      {link.product.title}
                    </Link>
                  </td>
                  <td className="compared">
                    <Compared value={link.askingPrice} what="seen" none={NO_ASKING_PRICE} />
                  </td>
                  <td className="compared">
                    <Compared value={link.lastSale} what="sold" none="never sold" />
                  </td>
                  <td>
                    {Math.round(link.confidence * 100)}%{' '}
                    <span className="muted">
                      {link.matchedBy.map((match) => MATCH_LABELS[match] ?? match).join(', ')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
