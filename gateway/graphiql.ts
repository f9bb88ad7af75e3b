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
let page: Page | undefined;

// The bundle (GraphiQL, React, Monaco and its workers) is inlined in the HTML, so the
// explorer works with no network at all. Rendered once, served gzipped with an ETag.
function render(): Page {
  const html = Buffer.from(
    renderGraphiQL({ title: 'Soldgraph GraphiQL', endpoint: '/graphql', defaultQuery: EXAMPLE_QUERY }),
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

/** Sends the self-contained GraphiQL page. */
export function sendGraphiQL(request: Request, response: Response): void {
  page ??= render();
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
