import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Request, Response } from 'express';

const EXAMPLE_QUERY = `# Welcome to Soldgraph. Press the run button (or Ctrl-Enter).
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

type Page = { html: Buffer; gzip: Buffer; etag: string };
const pages = new Map<boolean, Page>();

// Where a key goes when the gateway needs one: GraphiQL sends these headers with every
// request, its schema introspection included, and keeps what the analyst types in them.
const KEY_HEADERS = JSON.stringify({ Authorization: 'Bearer <your API key: npm run keys -- create>' }, null, 2);

// The bundle (GraphiQL, React, Monaco and its workers) is inlined in the HTML, so the
// explorer works with no network at all. Rendered once per variant, served gzipped with an ETag.
function render(needsKey: boolean): Page {
  const html = Buffer.from(
    renderGraphiQL({
      title: 'Soldgraph GraphiQL',
      endpoint: '/graphql',
      defaultQuery: EXAMPLE_QUERY,
      ...(needsKey ? { headers: KEY_HEADERS, shouldPersistHeaders: true } : {}),
    }),
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
