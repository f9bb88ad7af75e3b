import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import * as graphiql from '@graphql-yoga/render-graphiql/graphiql';
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
    query: `# Revenue by top-level category, each name once across marketplaces (the canonical taxonomy).
query RevenueByCategory($from: DateTime!, $to: DateTime!) {
  salesStats(from: $from, to: $to, groupBy: [CATEGORY], categoryLevel: 0, targetCurrency: "USD",
    orderBy: { field: REVENUE }) {
    nodes {
      canonicalCategory { name categories { name marketplace { code } } }
      units revenue { amount currency }
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

// After GraphiQL's stylesheet: what axe finds serious on the stock explorer, fixed.
// - Contrast: the light theme's info, warning, secondary and success colours, the title and
//   the editor's dimmed line numbers read at 2.9-4.3:1 on white; these reach 4.5:1. The dark
//   theme keeps its own.
// - A type named in running text is a link told apart by colour alone: underlined.
// - Tabs: each <li role="tab"> holds two buttons (select, close), interactive inside
//   interactive. They become a list of items whose select button says which is current.
// - (Moderate) no heading and no main landmark: the page adds both around GraphiQL's root.
const EXPLORER_FIXES = `<style>
        body:not(.graphiql-dark) :is(.graphiql-container, .graphiql-dialog, .graphiql-tooltip, [data-radix-popper-content-wrapper]) {
          --color-info: 208, 100%, 35%;
          --color-warning: 36, 100%, 26%;
          --color-secondary: 242, 51%, 48%;
          --color-success: 158, 60%, 26%;
        }
        .graphiql-doc-explorer-section-content .graphiql-doc-explorer-type-name { text-decoration: underline; }
        body:not(.graphiql-dark) .graphiql-logo { color: hsl(var(--color-neutral)); }
        .soldgraph-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
        body:not(.graphiql-dark) .monaco-editor .line-numbers.dimmed-line-number { color: hsl(0, 0%, 40%); }
      </style>
      <script>
        (() => {
          // Only what differs is written: each write is a mutation this observer hears again.
          const set = (element, name, value) => {
            if (value === null) { if (element.hasAttribute(name)) element.removeAttribute(name); }
            else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
          };
          const fix = () => {
            for (const list of document.querySelectorAll('ul.graphiql-tabs[role="tablist"]')) set(list, 'role', 'list');
            for (const tab of document.querySelectorAll('li.graphiql-tab[role="tab"], li.graphiql-tab[aria-selected]')) {
              const current = tab.getAttribute('aria-selected') === 'true';
              set(tab, 'role', 'listitem');
              set(tab, 'aria-selected', null);
              const button = tab.querySelector('.graphiql-tab-button');
              if (button) set(button, 'aria-current', current ? 'true' : null);
            }
          };
          new MutationObserver(fix).observe(document.documentElement, {
            subtree: true, childList: true, attributes: true, attributeFilter: ['role', 'aria-selected'],
          });
        })();
      </script>`;

/** A file served as is: its bytes, gzipped once, and an ETag. */
type Served = { body: Buffer; gzip: Buffer; etag: string; type: string };

const served = (content: string | Buffer, type: string): Served => {
  const body = Buffer.from(content);
  return { body, gzip: gzipSync(body), etag: `"${createHash('sha1').update(body).digest('hex')}"`, type };
};

// Where a key goes when the gateway needs one: GraphiQL sends these headers with every
// request, its schema introspection included, and keeps what the analyst types in them.
const KEY_HEADERS = JSON.stringify({ Authorization: 'Bearer <your API key: npm run keys -- create>' }, null, 2);

/** Where the page's stylesheet, scripts and icon are served: one path per content, cached for good. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql-assets';

/**
 * The explorer as a small page plus static files. GraphiQL's renderer inlines everything (GraphiQL,
 * React and Monaco, 5 MB; Monaco's three workers, 2.7 MB, as strings turned into blobs; the
 * stylesheet and the icon) into a 9 MB page. Here each is a file named by its hash, cached by
 * browsers for a year, so a page load after the first fetches only the page (6 KB); and the
 * workers are files Monaco starts by URL, so the browser no longer reads 2.7 MB of strings
 * before the editor can start. Everything still comes from the gateway: the explorer works
 * with no network at all.
 */
type Explorer = { pages: Map<boolean, Served>; assets: Map<string, Served> };
let explorer: Explorer | undefined;

/** What the page hands `renderYogaGraphiQL`: endpoint, example tabs and, with `needsKey`, the key header. */
function startOptions(needsKey: boolean): string {
  const headers = needsKey ? { headers: KEY_HEADERS } : {};
  const options = {
    title: 'Soldgraph GraphiQL',
    endpoint: '/graphql',
    defaultQuery: EXAMPLE_QUERY,
    defaultTabs: [{ query: EXAMPLE_QUERY, ...headers }, ...EXAMPLE_TABS.map((tab) => ({ ...tab, ...headers }))],
    ...(needsKey ? { headers: KEY_HEADERS, shouldPersistHeaders: true } : {}),
  };
  // Inside <script>: no "</script>" or "<!--" may end it early (the key prompt's "<your" stays readable).
  return JSON.stringify(options).replaceAll('</', '<\\/').replaceAll('<!--', '\\u003c!--');
}

const DATA_URL = /^data:([^;,]+);base64,(.+)$/;

function build(): Explorer {
  const assets = new Map<string, Served>();
  const asset = (content: string | Buffer, extension: 'css' | 'js' | 'ico', type: string): string => {
    const name = `${createHash('sha1').update(content).digest('hex').slice(0, 16)}.${extension}`;
    // Both pages share every file: each is compressed once.
    if (!assets.has(name)) assets.set(name, served(content, type));
    return `${GRAPHIQL_ASSETS_PATH}/${name}`;
  };
  const script = (content: string) => asset(content, 'js', 'text/javascript; charset=utf-8');
  const stylesheet = asset(graphiql.css, 'css', 'text/css; charset=utf-8');
  const [, iconType, iconData] = DATA_URL.exec(graphiql.favicon) ?? [];
  if (!iconType || !iconData) throw new Error('@graphql-yoga/render-graphiql changed its icon: not a base64 data URL');
  const icon = asset(Buffer.from(iconData, 'base64'), 'ico', iconType);
  const bundle = script(graphiql.js);
  // Monaco asks for a worker by label: the renderer's page answers with a blob made of each string,
  // this one with the string's file.
  const workers = JSON.stringify({
    editorWorkerService: script(graphiql.editorWorkerService),
    json: script(graphiql.jsonWorker),
    graphql: script(graphiql.graphqlWorker),
  });
  const pages = new Map<boolean, Served>();
  for (const needsKey of [false, true]) {
    const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    ${HEAD_EXTRAS}
    <title>Soldgraph GraphiQL</title>
    <link rel="icon" href="${icon}" />
    <link rel="stylesheet" href="${stylesheet}" />
    ${EXPLORER_FIXES}
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <header><h1 class="soldgraph-visually-hidden">Soldgraph GraphiQL</h1></header>
    <main id="root"></main>
    <script>
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => (${workers})[label] };
    </script>
    <script src="${bundle}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${startOptions(needsKey)});
    </script>
  </body>
</html>
`;
    pages.set(needsKey, served(page, 'text/html; charset=utf-8'));
  }
  return { pages, assets };
}

function explorerFiles(): Explorer {
  explorer ??= build();
  return explorer;
}

/** Sends `file`, gzipped when the client takes it, or 304 when the client has it. */
function send(request: Request, response: Response, file: Served, cacheControl: string): void {
  response.setHeader('Content-Type', file.type);
  response.setHeader('ETag', file.etag);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('Vary', 'Accept, Accept-Encoding');
  if (request.headers['if-none-match'] === file.etag) {
    response.status(304).end();
    return;
  }
  if ((request.headers['accept-encoding'] ?? '').includes('gzip')) {
    response.setHeader('Content-Encoding', 'gzip');
    response.end(file.gzip);
  } else {
    response.end(file.body);
  }
}

/** Whether a GET /graphql comes from a browser wanting the explorer, not an API call. */
export function wantsGraphiQL(request: Request): boolean {
  return (
    request.method === 'GET' &&
    request.query.query === undefined &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

/** Sends the GraphiQL page; with `needsKey`, its headers editor asks for an API key. */
export function sendGraphiQL(request: Request, response: Response, needsKey: boolean): void {
  const page = explorerFiles().pages.get(needsKey);
  if (page) send(request, response, page, 'no-cache');
}

/**
 * Serves the page's stylesheet, bundle, Monaco's workers and the icon (`GET /graphiql-assets/<hash>.css|js|ico`): named by
 * their content, so cached immutable for a year. Unknown names get 404.
 */
export function sendGraphiQLAsset(request: Request, response: Response): void {
  const file = explorerFiles().assets.get(String(request.params.name));
  if (!file) {
    response.status(404).type('text/plain').end('no such file');
    return;
  }
  send(request, response, file, 'public, max-age=31536000, immutable');
}
