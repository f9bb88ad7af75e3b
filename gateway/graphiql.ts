import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Request, Response } from 'express';

const EXAMPLE_QUERY = `# Welcome to Soldgraph. Press the run button (or Ctrl-Enter).
# The docs are open on the left; the other tabs hold more examples.
query TopOfTheCatalog {
  marketplaces { code name defaultCurrency }
  products(first: 5, filter: { marketplace: ["ebay-us"] }, orderBy: { field: PRICE, direction: DESC }) {
    totalCount
    edges {
      cursor
      node {
        title
        price { amount currency }
        images(first: 1) { url }
        salesSummary { currency units revenue { amount } averagePrice { amount } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

// More examples, one per tab: what analysts ask most, each with its variables.
const EXAMPLE_TABS = [
  {
    query: `# Revenue per month and marketplace, in one currency, against the month before.
query MonthlyRevenue($from: DateTime!, $to: DateTime!) {
  salesStats(from: $from, to: $to, interval: MONTH, groupBy: [MARKETPLACE], targetCurrency: "USD") {
    nodes {
      periodStart partial
      marketplace { code }
      units revenue { amount currency } medianPrice { amount }
      change { units revenue }
    }
  }
}
`,
    variables: JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-07-01T00:00:00Z' }, null, 2),
  },
  {
    query: `# The best sellers of a period, and which currencies amounts convert to.
query BestSellers($from: DateTime!, $to: DateTime!) {
  convertibleCurrencies
  topProducts(from: $from, to: $to, by: REVENUE, targetCurrency: "EUR", first: 10) {
    product { title marketplace { code } }
    units revenue { amount currency }
  }
}
`,
    variables: JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-07-01T00:00:00Z' }, null, 2),
  },
  {
    query: `# Search ignores case and accents and forgives typos.
query Search {
  products(first: 10, filter: { search: "pokemon" }) {
    totalCount
    nodes { title brand price { amount currency } }
  }
}
`,
  },
];

// Into <head>: a viewport for phones, and the docs explorer open on a first visit (GraphiQL
// keeps the open panel in localStorage; once the analyst closes it, it stays closed).
const HEAD_EXTRAS = `<meta name="viewport" content="width=device-width, initial-scale=1" />
      <script>
        try {
          if (localStorage.getItem('graphiql:visiblePlugin') === null) {
            localStorage.setItem('graphiql:visiblePlugin', 'Documentation Explorer');
          }
        } catch {}
      </script>`;

type Page = { html: Buffer; gzip: Buffer; etag: string };
const pages = new Map<boolean, Page>();

// Where a key goes when the gateway needs one: GraphiQL sends these headers with every
// request, its schema introspection included, and keeps what the analyst types in them.
const KEY_HEADERS = JSON.stringify({ Authorization: 'Bearer <your API key: npm run keys -- create>' }, null, 2);

// The bundle (GraphiQL, React, Monaco and its workers) is inlined in the HTML, so the
// explorer works with no network at all. Rendered once per variant, served gzipped with an ETag.
function render(needsKey: boolean): Page {
  const headers = needsKey ? { headers: KEY_HEADERS } : {};
  const rendered = renderGraphiQL({
    title: 'Soldgraph GraphiQL',
    endpoint: '/graphql',
    defaultQuery: EXAMPLE_QUERY,
    defaultTabs: [{ query: EXAMPLE_QUERY, ...headers }, ...EXAMPLE_TABS.map((tab) => ({ ...tab, ...headers }))],
    ...(needsKey ? { headers: KEY_HEADERS, shouldPersistHeaders: true } : {}),
  });
  const html = Buffer.from(
    rendered.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n      ${HEAD_EXTRAS}`),
  );
  return { html, gzip: gzipSync(html), etag: `"${createHash('sha1').update(html).digest('hex')}"` };
}

/** Whether a GET /graphql comes from a browser wanting the explorer, not an API call. */
export function wantsGraphiQL(request: Request): boolean {
  return (
    request.method === 'GET' &&
    request.query.query === undefined &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

/** Sends the self-contained GraphiQL page; with `needsKey`, its headers editor asks for an API key. */
export function sendGraphiQL(request: Request, response: Response, needsKey: boolean): void {
  let page = pages.get(needsKey);
  if (!page) {
    page = render(needsKey);
    pages.set(needsKey, page);
  }
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('ETag', page.etag);
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('Vary', 'Accept, Accept-Encoding');
  if (request.headers['if-none-match'] === page.etag) {
    response.status(304).end();
    return;
  }
  if ((request.headers['accept-encoding'] ?? '').includes('gzip')) {
    response.setHeader('Content-Encoding', 'gzip');
    response.end(page.gzip);
  } else {
    response.end(page.html);
  }
}
