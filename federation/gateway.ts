import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** The subgraphs of the supergraph, by the names it gives them. */
export type SubgraphUrls = { core: string; watchlists: string };

export type FederationGatewayOptions = {
  /** The composed supergraph SDL (federation/supergraph.graphql). */
  supergraph: string;
  /** Where each subgraph answers now, overriding the URLs composed into the supergraph. */
  subgraphs: SubgraphUrls;
  /** `sha256 hex -> document`: the persisted operations the gateway runs by hash. */
  persistedDocuments: ReadonlyMap<string, string>;
  /** `open`: documents run without a key; `keys`: without a key only persisted operations do. */
  authMode: 'open' | 'keys';
  /** Demand control: the largest estimated cost of an operation, over all its subgraph requests. */
  maxCost: number;
  /** The size assumed for lists without `@listSize`. */
  defaultListSize: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
};

/** A federation gateway listening on its own HTTP server (not yet listening). */
export type FederationGateway = { httpServer: http.Server; stop(): Promise<void> };

/** The headers that carry an API key; they travel to every subgraph, which checks the key. */
const KEY_HEADERS = ['authorization', 'x-api-key'] as const;

/**
 * Reads the dashboard's persisted documents as codegen writes them
 * (`{ "sha256:<hex>": "<document>" }`); a missing file is an empty list.
 * @example readPersistedDocuments('web/__generated__/persisted-documents.json').get(hash)
 */
export function readPersistedDocuments(file: string): ReadonlyMap<string, string> {
  try {
    const documents = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    return new Map(Object.entries(documents).map(([key, text]) => [key.slice(key.indexOf(':') + 1), text]));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
}

/**
 * Reports, per client request, how many SQL statements each subgraph request cost (from the
 * subgraphs' own `x-sql-statements` headers) as `x-subgraph-sql-statements: core=3, watchlists=1`,
 * in the order the subgraphs answered: the "no N+1" bar, readable through the gateway.
 */
function subgraphStatementsHeader(subgraphs: SubgraphUrls): GatewayPlugin {
  const names = new Map(Object.entries(subgraphs).map(([name, url]) => [new URL(url).href, name]));
  const counts = new WeakMap<Request, string[]>();
  return {
    onFetch({ url, context }) {
      const name = names.get(new URL(url).href) ?? url;
      const request = (context as { request?: Request } | undefined)?.request;
      return ({ response }) => {
        const statements = response.headers.get('x-sql-statements');
        if (!request || statements === null) return;
        counts.set(request, [...(counts.get(request) ?? []), `${name}=${statements}`]);
      };
    },
    onResponse({ request, response }) {
      const reported = counts.get(request);
      if (reported) response.headers.set('x-subgraph-sql-statements', reported.join(', '));
    },
  };
}

/**
 * Builds the federation gateway: Hive Gateway's runtime over the composed supergraph, with
 * demand control from the SDL's `@cost`/`@listSize`, the dashboard's persisted operations, and
 * the caller's API key passed on to the subgraphs (which authenticate it and apply its role).
 * @example
 *   const gateway = createFederationGateway({ supergraph, subgraphs, persistedDocuments, ... });
 *   gateway.httpServer.listen(4000, '127.0.0.1');
 */
export function createFederationGateway(options: FederationGatewayOptions): FederationGateway {
  const hasKey = (request: Request) => KEY_HEADERS.some((name) => request.headers.has(name));
  const runtime = createGatewayRuntime({
    supergraph: options.supergraph,
    transportEntries: {
      core: { location: options.subgraphs.core },
      watchlists: { location: options.subgraphs.watchlists },
    },
    logging: options.logLevel,
    // The subgraphs expose their own schemas to analysts; the gateway's is the union of them.
    graphiql: false,
    landingPage: false,
    // The gateway answers introspection itself, so no subgraph would check the key (any header
    // would pass `allowArbitraryDocuments`): with keys it is off, and the core's GraphiQL,
    // which checks the role, documents the schema.
    disableIntrospection: { disableIf: () => options.authMode === 'keys' },
    persistedDocuments: {
      getPersistedOperation: (hash) => options.persistedDocuments.get(hash) ?? null,
      // Other documents need a key in keys mode, as on the core; the subgraphs check the key.
      allowArbitraryDocuments: options.authMode === 'open' ? true : hasKey,
      customErrors: {
        persistedQueryOnly: {
          message:
            'An API key is needed for this operation: send "Authorization: Bearer <key>". Without one only the dashboard\'s persisted operations run.',
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        },
      },
    },
    demandControl: {
      maxCost: options.maxCost,
      listSize: options.defaultListSize,
      includeExtensionMetadata: true,
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) =>
        Object.fromEntries(KEY_HEADERS.map((name) => [name, request.headers.get(name)])),
    },
    plugins: () => [subgraphStatementsHeader(options.subgraphs)],
  });
  const httpServer = http.createServer(runtime);
  return {
    httpServer,
    async stop() {
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      await runtime.dispose();
    },
  };
}
