/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query OverviewPage(\n    $from: DateTime!\n    $to: DateTime!\n    $previousFrom: DateTime!\n    $currency: String!\n    $interval: StatsInterval!\n  ) {\n    ...PeriodPicker\n    ...OverviewKpis\n    ...SalesTrend\n    ...MarketplaceBreakdown\n    ...CategoryBreakdown\n    ...TopProducts\n  }\n": typeof types.OverviewPageDocument,
    "\n  query PipelinePage($after: String) {\n    ...SourceFreshness\n    ingestRuns(first: 20, after: $after) { ...RunList }\n  }\n": typeof types.PipelinePageDocument,
    "\n  query ProductPage(\n    $id: ID!\n    $from30: DateTime!\n    $from90: DateTime!\n    $from365: DateTime!\n    $to: DateTime!\n    $salesPageSize: Int!\n  ) {\n    product(id: $id) {\n      id\n      title\n      ...ProductHeader\n      ...ImageGallery\n      ...ProductKpis\n      ...ProductFacts\n      ...PriceHistory\n      ...PriceDistributionSample\n      ...SalesTable\n    }\n  }\n": typeof types.ProductPageDocument,
    "\n  query ProductsPage(\n    $filter: ProductFilter\n    $orderBy: ProductOrder\n    $first: Int!\n    $after: String\n    $soldFrom: DateTime!\n    $brandsFrom: DateTime!\n    $brandsTo: DateTime!\n  ) {\n    ...ProductFilters\n    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ...ProductResults\n    }\n  }\n": typeof types.ProductsPageDocument,
    "\n  fragment CategoryBreakdown on Query {\n    byCategory: salesStats(\n      from: $from\n      to: $to\n      groupBy: [CATEGORY]\n      categoryLevel: 0\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n      first: 10\n    ) {\n      nodes {\n        category { id name marketplace { id name } }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n": typeof types.CategoryBreakdownFragmentDoc,
    "\n  fragment OverviewKpis on Query {\n    current: salesStats(from: $from, to: $to, targetCurrency: $currency) {\n      nodes {\n        units\n        revenue { amount currency }\n        averagePrice { amount currency }\n        medianPrice { amount currency }\n        change { units revenue averagePrice }\n      }\n    }\n    previousMedian: salesStats(from: $previousFrom, to: $from, targetCurrency: $currency) {\n      nodes {\n        medianPrice { amount }\n      }\n    }\n    activeListings: products(filter: { status: [ACTIVE] }, first: 0) { totalCount }\n    sellingListings: products(filter: { status: [ACTIVE], soldAt: { from: $from, to: $to } }, first: 0) { totalCount }\n    sellingBefore: products(filter: { status: [ACTIVE], soldAt: { from: $previousFrom, to: $from } }, first: 0) {\n      totalCount\n    }\n  }\n": typeof types.OverviewKpisFragmentDoc,
    "\n  fragment MarketplaceBreakdown on Query {\n    byMarketplace: salesStats(\n      from: $from\n      to: $to\n      groupBy: [MARKETPLACE]\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n    ) {\n      nodes {\n        marketplace { id code name }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n": typeof types.MarketplaceBreakdownFragmentDoc,
    "\n  fragment PeriodPicker on Query {\n    marketplaces { id defaultCurrency }\n  }\n": typeof types.PeriodPickerFragmentDoc,
    "\n  fragment SalesTrend on Query {\n    trend: salesStats(\n      from: $from\n      to: $to\n      interval: $interval\n      fillGaps: true\n      targetCurrency: $currency\n      first: 1000\n    ) {\n      nodes {\n        periodStart\n        units\n        revenue { amount currency }\n      }\n    }\n  }\n": typeof types.SalesTrendFragmentDoc,
    "\n  fragment TopProducts on Query {\n    topProducts(from: $from, to: $to, by: REVENUE, targetCurrency: $currency, first: 10) {\n      product {\n        id\n        title\n        marketplace { id name }\n        images(first: 1) { id url }\n      }\n      units\n      revenue { amount currency }\n    }\n  }\n": typeof types.TopProductsFragmentDoc,
    "\n  fragment RunList on IngestRunConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      source\n      status\n      startedAt\n      durationMs\n      counts { pages fetched inserted updated unchanged quarantined }\n      errors { message code }\n    }\n  }\n": typeof types.RunListFragmentDoc,
    "\n  fragment SourceFreshness on Query {\n    ingestSources {\n      source\n      lastRunAt\n      lastRunStatus\n      lastSuccessfulRunAt\n      counts { fetched inserted updated quarantined }\n      watermarks { scope value updatedAt }\n    }\n  }\n": typeof types.SourceFreshnessFragmentDoc,
    "\n  fragment ImageGallery on Product {\n    title\n    images(first: 12) { id url position }\n  }\n": typeof types.ImageGalleryFragmentDoc,
    "\n  fragment PriceDistributionSample on Product {\n    price { currency }\n    distributionSales: sales(first: 100, filter: { soldAt: { from: $from365, to: $to } }) {\n      totalCount\n      nodes { id quantity price { minorUnits currency } }\n    }\n  }\n": typeof types.PriceDistributionSampleFragmentDoc,
    "\n  fragment PriceHistory on Product {\n    price { currency }\n    priceHistory(interval: WEEK, from: $from365, to: $to) {\n      periodStart\n      currency\n      units\n      medianPrice { amount }\n      minPrice { amount }\n      maxPrice { amount }\n    }\n  }\n": typeof types.PriceHistoryFragmentDoc,
    "\n  fragment ProductFacts on Product {\n    externalId\n    url\n    firstSeenAt\n    lastSeenAt\n    marketplace { id name }\n    identifiers { gtin mpn epid }\n  }\n": typeof types.ProductFactsFragmentDoc,
    "\n  fragment ProductHeader on Product {\n    title\n    brand\n    condition\n    conditionLabel\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id path { id name } }\n  }\n": typeof types.ProductHeaderFragmentDoc,
    "\n  fragment ProductSummaryFields on SalesSummary {\n    currency\n    saleCount\n    units\n    revenue { amount currency }\n    averagePrice { amount currency }\n    minPrice { amount currency }\n    maxPrice { amount currency }\n  }\n": typeof types.ProductSummaryFieldsFragmentDoc,
    "\n  fragment ProductKpis on Product {\n    last30: salesSummary(from: $from30, to: $to) { ...ProductSummaryFields }\n    last90: salesSummary(from: $from90, to: $to) { ...ProductSummaryFields }\n    last365: salesSummary(from: $from365, to: $to) { ...ProductSummaryFields }\n  }\n": typeof types.ProductKpisFragmentDoc,
    "\n  fragment SalesTablePage on SaleConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      soldAt\n      quantity\n      granularity\n      price { amount currency }\n      total { amount currency }\n      shipping { amount currency }\n    }\n  }\n": typeof types.SalesTablePageFragmentDoc,
    "\n  fragment SalesTable on Product {\n    id\n    sales(first: $salesPageSize) { ...SalesTablePage }\n  }\n": typeof types.SalesTableFragmentDoc,
    "\n  query ProductSalesPage($id: ID!, $first: Int!, $after: String) {\n    product(id: $id) {\n      id\n      sales(first: $first, after: $after) { ...SalesTablePage }\n    }\n  }\n": typeof types.ProductSalesPageDocument,
    "\n  fragment ProductFilters on Query {\n    marketplaces { id code name defaultCurrency }\n    categories(rootsOnly: true) { id name marketplace { id code name } }\n    brands: salesStats(\n      from: $brandsFrom\n      to: $brandsTo\n      groupBy: [BRAND]\n      targetCurrency: \"USD\"\n      orderBy: { field: UNITS, direction: DESC }\n      first: 200\n    ) {\n      nodes { brand }\n    }\n  }\n": typeof types.ProductFiltersFragmentDoc,
    "\n  fragment ProductListItem on Product {\n    id\n    title\n    brand\n    condition\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id name }\n    images(first: 1) { id url }\n    recentSales: salesSummary(from: $soldFrom) { currency units }\n  }\n": typeof types.ProductListItemFragmentDoc,
    "\n  fragment ProductResults on ProductConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    edges {\n      cursor\n      node { id ...ProductListItem }\n    }\n  }\n": typeof types.ProductResultsFragmentDoc,
    "\n  query DataAnchor {\n    sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) {\n      nodes {\n        soldAt\n      }\n    }\n  }\n": typeof types.DataAnchorDocument,
};
const documents: Documents = {
    "\n  query OverviewPage(\n    $from: DateTime!\n    $to: DateTime!\n    $previousFrom: DateTime!\n    $currency: String!\n    $interval: StatsInterval!\n  ) {\n    ...PeriodPicker\n    ...OverviewKpis\n    ...SalesTrend\n    ...MarketplaceBreakdown\n    ...CategoryBreakdown\n    ...TopProducts\n  }\n": types.OverviewPageDocument,
    "\n  query PipelinePage($after: String) {\n    ...SourceFreshness\n    ingestRuns(first: 20, after: $after) { ...RunList }\n  }\n": types.PipelinePageDocument,
    "\n  query ProductPage(\n    $id: ID!\n    $from30: DateTime!\n    $from90: DateTime!\n    $from365: DateTime!\n    $to: DateTime!\n    $salesPageSize: Int!\n  ) {\n    product(id: $id) {\n      id\n      title\n      ...ProductHeader\n      ...ImageGallery\n      ...ProductKpis\n      ...ProductFacts\n      ...PriceHistory\n      ...PriceDistributionSample\n      ...SalesTable\n    }\n  }\n": types.ProductPageDocument,
    "\n  query ProductsPage(\n    $filter: ProductFilter\n    $orderBy: ProductOrder\n    $first: Int!\n    $after: String\n    $soldFrom: DateTime!\n    $brandsFrom: DateTime!\n    $brandsTo: DateTime!\n  ) {\n    ...ProductFilters\n    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ...ProductResults\n    }\n  }\n": types.ProductsPageDocument,
    "\n  fragment CategoryBreakdown on Query {\n    byCategory: salesStats(\n      from: $from\n      to: $to\n      groupBy: [CATEGORY]\n      categoryLevel: 0\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n      first: 10\n    ) {\n      nodes {\n        category { id name marketplace { id name } }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n": types.CategoryBreakdownFragmentDoc,
    "\n  fragment OverviewKpis on Query {\n    current: salesStats(from: $from, to: $to, targetCurrency: $currency) {\n      nodes {\n        units\n        revenue { amount currency }\n        averagePrice { amount currency }\n        medianPrice { amount currency }\n        change { units revenue averagePrice }\n      }\n    }\n    previousMedian: salesStats(from: $previousFrom, to: $from, targetCurrency: $currency) {\n      nodes {\n        medianPrice { amount }\n      }\n    }\n    activeListings: products(filter: { status: [ACTIVE] }, first: 0) { totalCount }\n    sellingListings: products(filter: { status: [ACTIVE], soldAt: { from: $from, to: $to } }, first: 0) { totalCount }\n    sellingBefore: products(filter: { status: [ACTIVE], soldAt: { from: $previousFrom, to: $from } }, first: 0) {\n      totalCount\n    }\n  }\n": types.OverviewKpisFragmentDoc,
    "\n  fragment MarketplaceBreakdown on Query {\n    byMarketplace: salesStats(\n      from: $from\n      to: $to\n      groupBy: [MARKETPLACE]\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n    ) {\n      nodes {\n        marketplace { id code name }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n": types.MarketplaceBreakdownFragmentDoc,
    "\n  fragment PeriodPicker on Query {\n    marketplaces { id defaultCurrency }\n  }\n": types.PeriodPickerFragmentDoc,
    "\n  fragment SalesTrend on Query {\n    trend: salesStats(\n      from: $from\n      to: $to\n      interval: $interval\n      fillGaps: true\n      targetCurrency: $currency\n      first: 1000\n    ) {\n      nodes {\n        periodStart\n        units\n        revenue { amount currency }\n      }\n    }\n  }\n": types.SalesTrendFragmentDoc,
    "\n  fragment TopProducts on Query {\n    topProducts(from: $from, to: $to, by: REVENUE, targetCurrency: $currency, first: 10) {\n      product {\n        id\n        title\n        marketplace { id name }\n        images(first: 1) { id url }\n      }\n      units\n      revenue { amount currency }\n    }\n  }\n": types.TopProductsFragmentDoc,
    "\n  fragment RunList on IngestRunConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      source\n      status\n      startedAt\n      durationMs\n      counts { pages fetched inserted updated unchanged quarantined }\n      errors { message code }\n    }\n  }\n": types.RunListFragmentDoc,
    "\n  fragment SourceFreshness on Query {\n    ingestSources {\n      source\n      lastRunAt\n      lastRunStatus\n      lastSuccessfulRunAt\n      counts { fetched inserted updated quarantined }\n      watermarks { scope value updatedAt }\n    }\n  }\n": types.SourceFreshnessFragmentDoc,
    "\n  fragment ImageGallery on Product {\n    title\n    images(first: 12) { id url position }\n  }\n": types.ImageGalleryFragmentDoc,
    "\n  fragment PriceDistributionSample on Product {\n    price { currency }\n    distributionSales: sales(first: 100, filter: { soldAt: { from: $from365, to: $to } }) {\n      totalCount\n      nodes { id quantity price { minorUnits currency } }\n    }\n  }\n": types.PriceDistributionSampleFragmentDoc,
    "\n  fragment PriceHistory on Product {\n    price { currency }\n    priceHistory(interval: WEEK, from: $from365, to: $to) {\n      periodStart\n      currency\n      units\n      medianPrice { amount }\n      minPrice { amount }\n      maxPrice { amount }\n    }\n  }\n": types.PriceHistoryFragmentDoc,
    "\n  fragment ProductFacts on Product {\n    externalId\n    url\n    firstSeenAt\n    lastSeenAt\n    marketplace { id name }\n    identifiers { gtin mpn epid }\n  }\n": types.ProductFactsFragmentDoc,
    "\n  fragment ProductHeader on Product {\n    title\n    brand\n    condition\n    conditionLabel\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id path { id name } }\n  }\n": types.ProductHeaderFragmentDoc,
    "\n  fragment ProductSummaryFields on SalesSummary {\n    currency\n    saleCount\n    units\n    revenue { amount currency }\n    averagePrice { amount currency }\n    minPrice { amount currency }\n    maxPrice { amount currency }\n  }\n": types.ProductSummaryFieldsFragmentDoc,
    "\n  fragment ProductKpis on Product {\n    last30: salesSummary(from: $from30, to: $to) { ...ProductSummaryFields }\n    last90: salesSummary(from: $from90, to: $to) { ...ProductSummaryFields }\n    last365: salesSummary(from: $from365, to: $to) { ...ProductSummaryFields }\n  }\n": types.ProductKpisFragmentDoc,
    "\n  fragment SalesTablePage on SaleConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      soldAt\n      quantity\n      granularity\n      price { amount currency }\n      total { amount currency }\n      shipping { amount currency }\n    }\n  }\n": types.SalesTablePageFragmentDoc,
    "\n  fragment SalesTable on Product {\n    id\n    sales(first: $salesPageSize) { ...SalesTablePage }\n  }\n": types.SalesTableFragmentDoc,
    "\n  query ProductSalesPage($id: ID!, $first: Int!, $after: String) {\n    product(id: $id) {\n      id\n      sales(first: $first, after: $after) { ...SalesTablePage }\n    }\n  }\n": types.ProductSalesPageDocument,
    "\n  fragment ProductFilters on Query {\n    marketplaces { id code name defaultCurrency }\n    categories(rootsOnly: true) { id name marketplace { id code name } }\n    brands: salesStats(\n      from: $brandsFrom\n      to: $brandsTo\n      groupBy: [BRAND]\n      targetCurrency: \"USD\"\n      orderBy: { field: UNITS, direction: DESC }\n      first: 200\n    ) {\n      nodes { brand }\n    }\n  }\n": types.ProductFiltersFragmentDoc,
    "\n  fragment ProductListItem on Product {\n    id\n    title\n    brand\n    condition\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id name }\n    images(first: 1) { id url }\n    recentSales: salesSummary(from: $soldFrom) { currency units }\n  }\n": types.ProductListItemFragmentDoc,
    "\n  fragment ProductResults on ProductConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    edges {\n      cursor\n      node { id ...ProductListItem }\n    }\n  }\n": types.ProductResultsFragmentDoc,
    "\n  query DataAnchor {\n    sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) {\n      nodes {\n        soldAt\n      }\n    }\n  }\n": types.DataAnchorDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OverviewPage(\n    $from: DateTime!\n    $to: DateTime!\n    $previousFrom: DateTime!\n    $currency: String!\n    $interval: StatsInterval!\n  ) {\n    ...PeriodPicker\n    ...OverviewKpis\n    ...SalesTrend\n    ...MarketplaceBreakdown\n    ...CategoryBreakdown\n    ...TopProducts\n  }\n"): (typeof documents)["\n  query OverviewPage(\n    $from: DateTime!\n    $to: DateTime!\n    $previousFrom: DateTime!\n    $currency: String!\n    $interval: StatsInterval!\n  ) {\n    ...PeriodPicker\n    ...OverviewKpis\n    ...SalesTrend\n    ...MarketplaceBreakdown\n    ...CategoryBreakdown\n    ...TopProducts\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PipelinePage($after: String) {\n    ...SourceFreshness\n    ingestRuns(first: 20, after: $after) { ...RunList }\n  }\n"): (typeof documents)["\n  query PipelinePage($after: String) {\n    ...SourceFreshness\n    ingestRuns(first: 20, after: $after) { ...RunList }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage(\n    $id: ID!\n    $from30: DateTime!\n    $from90: DateTime!\n    $from365: DateTime!\n    $to: DateTime!\n    $salesPageSize: Int!\n  ) {\n    product(id: $id) {\n      id\n      title\n      ...ProductHeader\n      ...ImageGallery\n      ...ProductKpis\n      ...ProductFacts\n      ...PriceHistory\n      ...PriceDistributionSample\n      ...SalesTable\n    }\n  }\n"): (typeof documents)["\n  query ProductPage(\n    $id: ID!\n    $from30: DateTime!\n    $from90: DateTime!\n    $from365: DateTime!\n    $to: DateTime!\n    $salesPageSize: Int!\n  ) {\n    product(id: $id) {\n      id\n      title\n      ...ProductHeader\n      ...ImageGallery\n      ...ProductKpis\n      ...ProductFacts\n      ...PriceHistory\n      ...PriceDistributionSample\n      ...SalesTable\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductsPage(\n    $filter: ProductFilter\n    $orderBy: ProductOrder\n    $first: Int!\n    $after: String\n    $soldFrom: DateTime!\n    $brandsFrom: DateTime!\n    $brandsTo: DateTime!\n  ) {\n    ...ProductFilters\n    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ...ProductResults\n    }\n  }\n"): (typeof documents)["\n  query ProductsPage(\n    $filter: ProductFilter\n    $orderBy: ProductOrder\n    $first: Int!\n    $after: String\n    $soldFrom: DateTime!\n    $brandsFrom: DateTime!\n    $brandsTo: DateTime!\n  ) {\n    ...ProductFilters\n    products(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ...ProductResults\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CategoryBreakdown on Query {\n    byCategory: salesStats(\n      from: $from\n      to: $to\n      groupBy: [CATEGORY]\n      categoryLevel: 0\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n      first: 10\n    ) {\n      nodes {\n        category { id name marketplace { id name } }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment CategoryBreakdown on Query {\n    byCategory: salesStats(\n      from: $from\n      to: $to\n      groupBy: [CATEGORY]\n      categoryLevel: 0\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n      first: 10\n    ) {\n      nodes {\n        category { id name marketplace { id name } }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OverviewKpis on Query {\n    current: salesStats(from: $from, to: $to, targetCurrency: $currency) {\n      nodes {\n        units\n        revenue { amount currency }\n        averagePrice { amount currency }\n        medianPrice { amount currency }\n        change { units revenue averagePrice }\n      }\n    }\n    previousMedian: salesStats(from: $previousFrom, to: $from, targetCurrency: $currency) {\n      nodes {\n        medianPrice { amount }\n      }\n    }\n    activeListings: products(filter: { status: [ACTIVE] }, first: 0) { totalCount }\n    sellingListings: products(filter: { status: [ACTIVE], soldAt: { from: $from, to: $to } }, first: 0) { totalCount }\n    sellingBefore: products(filter: { status: [ACTIVE], soldAt: { from: $previousFrom, to: $from } }, first: 0) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  fragment OverviewKpis on Query {\n    current: salesStats(from: $from, to: $to, targetCurrency: $currency) {\n      nodes {\n        units\n        revenue { amount currency }\n        averagePrice { amount currency }\n        medianPrice { amount currency }\n        change { units revenue averagePrice }\n      }\n    }\n    previousMedian: salesStats(from: $previousFrom, to: $from, targetCurrency: $currency) {\n      nodes {\n        medianPrice { amount }\n      }\n    }\n    activeListings: products(filter: { status: [ACTIVE] }, first: 0) { totalCount }\n    sellingListings: products(filter: { status: [ACTIVE], soldAt: { from: $from, to: $to } }, first: 0) { totalCount }\n    sellingBefore: products(filter: { status: [ACTIVE], soldAt: { from: $previousFrom, to: $from } }, first: 0) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MarketplaceBreakdown on Query {\n    byMarketplace: salesStats(\n      from: $from\n      to: $to\n      groupBy: [MARKETPLACE]\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n    ) {\n      nodes {\n        marketplace { id code name }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment MarketplaceBreakdown on Query {\n    byMarketplace: salesStats(\n      from: $from\n      to: $to\n      groupBy: [MARKETPLACE]\n      targetCurrency: $currency\n      orderBy: { field: REVENUE, direction: DESC }\n    ) {\n      nodes {\n        marketplace { id code name }\n        units\n        revenue { amount currency }\n        change { revenue }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PeriodPicker on Query {\n    marketplaces { id defaultCurrency }\n  }\n"): (typeof documents)["\n  fragment PeriodPicker on Query {\n    marketplaces { id defaultCurrency }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SalesTrend on Query {\n    trend: salesStats(\n      from: $from\n      to: $to\n      interval: $interval\n      fillGaps: true\n      targetCurrency: $currency\n      first: 1000\n    ) {\n      nodes {\n        periodStart\n        units\n        revenue { amount currency }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SalesTrend on Query {\n    trend: salesStats(\n      from: $from\n      to: $to\n      interval: $interval\n      fillGaps: true\n      targetCurrency: $currency\n      first: 1000\n    ) {\n      nodes {\n        periodStart\n        units\n        revenue { amount currency }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TopProducts on Query {\n    topProducts(from: $from, to: $to, by: REVENUE, targetCurrency: $currency, first: 10) {\n      product {\n        id\n        title\n        marketplace { id name }\n        images(first: 1) { id url }\n      }\n      units\n      revenue { amount currency }\n    }\n  }\n"): (typeof documents)["\n  fragment TopProducts on Query {\n    topProducts(from: $from, to: $to, by: REVENUE, targetCurrency: $currency, first: 10) {\n      product {\n        id\n        title\n        marketplace { id name }\n        images(first: 1) { id url }\n      }\n      units\n      revenue { amount currency }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunList on IngestRunConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      source\n      status\n      startedAt\n      durationMs\n      counts { pages fetched inserted updated unchanged quarantined }\n      errors { message code }\n    }\n  }\n"): (typeof documents)["\n  fragment RunList on IngestRunConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      source\n      status\n      startedAt\n      durationMs\n      counts { pages fetched inserted updated unchanged quarantined }\n      errors { message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SourceFreshness on Query {\n    ingestSources {\n      source\n      lastRunAt\n      lastRunStatus\n      lastSuccessfulRunAt\n      counts { fetched inserted updated quarantined }\n      watermarks { scope value updatedAt }\n    }\n  }\n"): (typeof documents)["\n  fragment SourceFreshness on Query {\n    ingestSources {\n      source\n      lastRunAt\n      lastRunStatus\n      lastSuccessfulRunAt\n      counts { fetched inserted updated quarantined }\n      watermarks { scope value updatedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ImageGallery on Product {\n    title\n    images(first: 12) { id url position }\n  }\n"): (typeof documents)["\n  fragment ImageGallery on Product {\n    title\n    images(first: 12) { id url position }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PriceDistributionSample on Product {\n    price { currency }\n    distributionSales: sales(first: 100, filter: { soldAt: { from: $from365, to: $to } }) {\n      totalCount\n      nodes { id quantity price { minorUnits currency } }\n    }\n  }\n"): (typeof documents)["\n  fragment PriceDistributionSample on Product {\n    price { currency }\n    distributionSales: sales(first: 100, filter: { soldAt: { from: $from365, to: $to } }) {\n      totalCount\n      nodes { id quantity price { minorUnits currency } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PriceHistory on Product {\n    price { currency }\n    priceHistory(interval: WEEK, from: $from365, to: $to) {\n      periodStart\n      currency\n      units\n      medianPrice { amount }\n      minPrice { amount }\n      maxPrice { amount }\n    }\n  }\n"): (typeof documents)["\n  fragment PriceHistory on Product {\n    price { currency }\n    priceHistory(interval: WEEK, from: $from365, to: $to) {\n      periodStart\n      currency\n      units\n      medianPrice { amount }\n      minPrice { amount }\n      maxPrice { amount }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductFacts on Product {\n    externalId\n    url\n    firstSeenAt\n    lastSeenAt\n    marketplace { id name }\n    identifiers { gtin mpn epid }\n  }\n"): (typeof documents)["\n  fragment ProductFacts on Product {\n    externalId\n    url\n    firstSeenAt\n    lastSeenAt\n    marketplace { id name }\n    identifiers { gtin mpn epid }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductHeader on Product {\n    title\n    brand\n    condition\n    conditionLabel\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id path { id name } }\n  }\n"): (typeof documents)["\n  fragment ProductHeader on Product {\n    title\n    brand\n    condition\n    conditionLabel\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id path { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductSummaryFields on SalesSummary {\n    currency\n    saleCount\n    units\n    revenue { amount currency }\n    averagePrice { amount currency }\n    minPrice { amount currency }\n    maxPrice { amount currency }\n  }\n"): (typeof documents)["\n  fragment ProductSummaryFields on SalesSummary {\n    currency\n    saleCount\n    units\n    revenue { amount currency }\n    averagePrice { amount currency }\n    minPrice { amount currency }\n    maxPrice { amount currency }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductKpis on Product {\n    last30: salesSummary(from: $from30, to: $to) { ...ProductSummaryFields }\n    last90: salesSummary(from: $from90, to: $to) { ...ProductSummaryFields }\n    last365: salesSummary(from: $from365, to: $to) { ...ProductSummaryFields }\n  }\n"): (typeof documents)["\n  fragment ProductKpis on Product {\n    last30: salesSummary(from: $from30, to: $to) { ...ProductSummaryFields }\n    last90: salesSummary(from: $from90, to: $to) { ...ProductSummaryFields }\n    last365: salesSummary(from: $from365, to: $to) { ...ProductSummaryFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SalesTablePage on SaleConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      soldAt\n      quantity\n      granularity\n      price { amount currency }\n      total { amount currency }\n      shipping { amount currency }\n    }\n  }\n"): (typeof documents)["\n  fragment SalesTablePage on SaleConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    nodes {\n      id\n      soldAt\n      quantity\n      granularity\n      price { amount currency }\n      total { amount currency }\n      shipping { amount currency }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SalesTable on Product {\n    id\n    sales(first: $salesPageSize) { ...SalesTablePage }\n  }\n"): (typeof documents)["\n  fragment SalesTable on Product {\n    id\n    sales(first: $salesPageSize) { ...SalesTablePage }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductSalesPage($id: ID!, $first: Int!, $after: String) {\n    product(id: $id) {\n      id\n      sales(first: $first, after: $after) { ...SalesTablePage }\n    }\n  }\n"): (typeof documents)["\n  query ProductSalesPage($id: ID!, $first: Int!, $after: String) {\n    product(id: $id) {\n      id\n      sales(first: $first, after: $after) { ...SalesTablePage }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductFilters on Query {\n    marketplaces { id code name defaultCurrency }\n    categories(rootsOnly: true) { id name marketplace { id code name } }\n    brands: salesStats(\n      from: $brandsFrom\n      to: $brandsTo\n      groupBy: [BRAND]\n      targetCurrency: \"USD\"\n      orderBy: { field: UNITS, direction: DESC }\n      first: 200\n    ) {\n      nodes { brand }\n    }\n  }\n"): (typeof documents)["\n  fragment ProductFilters on Query {\n    marketplaces { id code name defaultCurrency }\n    categories(rootsOnly: true) { id name marketplace { id code name } }\n    brands: salesStats(\n      from: $brandsFrom\n      to: $brandsTo\n      groupBy: [BRAND]\n      targetCurrency: \"USD\"\n      orderBy: { field: UNITS, direction: DESC }\n      first: 200\n    ) {\n      nodes { brand }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductListItem on Product {\n    id\n    title\n    brand\n    condition\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id name }\n    images(first: 1) { id url }\n    recentSales: salesSummary(from: $soldFrom) { currency units }\n  }\n"): (typeof documents)["\n  fragment ProductListItem on Product {\n    id\n    title\n    brand\n    condition\n    status\n    price { amount currency }\n    marketplace { id name }\n    category { id name }\n    images(first: 1) { id url }\n    recentSales: salesSummary(from: $soldFrom) { currency units }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductResults on ProductConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    edges {\n      cursor\n      node { id ...ProductListItem }\n    }\n  }\n"): (typeof documents)["\n  fragment ProductResults on ProductConnection {\n    totalCount\n    pageInfo { hasNextPage endCursor }\n    edges {\n      cursor\n      node { id ...ProductListItem }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DataAnchor {\n    sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) {\n      nodes {\n        soldAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query DataAnchor {\n    sales(first: 1, orderBy: { field: SOLD_AT, direction: DESC }) {\n      nodes {\n        soldAt\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;