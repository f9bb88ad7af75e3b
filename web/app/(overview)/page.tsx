import { graphql } from '@/__generated__';
import { GatewayErrors } from '@/components/layout/gateway-errors';
import { PageTitle } from '@/components/layout/page-title';
import { CategoryBreakdown } from '@/components/overview/category-breakdown';
import { KpiCards } from '@/components/overview/kpi-cards';
import { MarketplaceBreakdown } from '@/components/overview/marketplace-breakdown';
import { PeriodPicker } from '@/components/overview/period-picker';
import { SalesTrend } from '@/components/overview/sales-trend';
import { TopProducts } from '@/components/overview/top-products';
import { runPageQuery } from '@/lib/apollo/page-query';
import { query } from '@/lib/apollo/server-client';
import { dataAnchor } from '@/lib/data-anchor';
import { formatDay } from '@/lib/format';
import { comparedRange, comparisonLabel, parseComparison, parsePeriodDays, periodEndingAt } from '@/lib/periods';
import { firstParam, type SearchParams } from '@/lib/search-params';

// Every fragment the page's components declare, in one request.
const OverviewPageQuery = graphql(`
  query OverviewPage(
    $from: DateTime!
    $to: DateTime!
    $comparedFrom: DateTime!
    $comparedTo: DateTime!
    $compareWith: StatsComparison!
    $currency: String!
    $interval: StatsInterval!
  ) {
    ...OverviewKpis
    ...SalesTrend
    ...MarketplaceBreakdown
    ...CategoryBreakdown
    ...TopProducts
  }
`);

const DEFAULT_CURRENCY = 'USD';

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const days = parsePeriodDays(firstParam(params, 'days'), 30);
  const anchor = await dataAnchor();
  // Only a currency with exchange rates can be converted to; any other falls back, and says so.
  const requested = firstParam(params, 'currency')?.toUpperCase();
  // USD is always offered: amounts already in it need no rate.
  const currencies = [...new Set([...anchor.currencies, DEFAULT_CURRENCY])].sort();
  const usable = requested !== undefined && currencies.includes(requested);
  const currency = usable ? requested : DEFAULT_CURRENCY;
  const period = periodEndingAt(anchor.latest, days);
  const comparison = parseComparison(firstParam(params, 'compare'));
  const compared = comparedRange(period, comparison);
  const versus = comparisonLabel(days, comparison);
  const interval = days > 90 ? 'WEEK' : 'DAY';
  const result = await runPageQuery(() =>
    query({
      query: OverviewPageQuery,
      variables: {
        from: period.from,
        to: period.to,
        comparedFrom: compared.from,
        comparedTo: compared.to,
        compareWith: comparison === 'year' ? 'PREVIOUS_YEAR' : 'PREVIOUS_PERIOD',
        currency,
        interval,
      },
    }),
  );
  const lastDay = new Date(Date.parse(period.to) - 1).toISOString();
  return (
    <>
      <PageTitle
        title="Overview"
        subtitle={`${formatDay(period.from)} – ${formatDay(lastDay)} (UTC) against ${versus}; amounts converted to ${currency} at each sale's daily rate`}
        actions={<PeriodPicker days={days} comparison={comparison} currency={currency} currencies={currencies} />}
      />
      {requested !== undefined && !usable ? (
        <p className="card notice" role="status">
          {`There are no exchange rates for “${requested}”, so amounts are shown in ${currency}. Amounts can be shown in ${currencies.join(', ')}.`}
        </p>
      ) : null}
      {!result.ok ? (
        <GatewayErrors problems={result.problems} />
      ) : (
        <div className="stack">
          <KpiCards query={result.data} days={days} versus={versus} />
          <SalesTrend query={result.data} currency={currency} per={interval === 'WEEK' ? 'week' : 'day'} />
          <div className="two-columns">
            <MarketplaceBreakdown query={result.data} versus={versus} />
            <CategoryBreakdown query={result.data} versus={versus} />
          </div>
          <TopProducts query={result.data} />
        </div>
      )}
    </>
  );
}
