/**
 * The floors of the house (docs/architecture.md), checked on every import, type-only ones
 * included: `npm run deps:check`. From the top:
 *
 *   gateway/                  HTTP, Apollo, process entry
 *   resolvers/   ingest/      the API and the pipeline, side by side, never importing each other
 *   data/                     data access: the per-request DataClient, SQL, the statistics engine
 *   db/                       Drizzle schema, migrations, driver, mart refresh, demo seed, CLIs
 *   lib/                      ground-floor leaves: env, errors, money, cursors, cache, reference data
 *
 * Tests, benchmarks and scripts stand outside the house and may import any floor; web/ is a
 * separate app that talks to the gateway over HTTP only (web/.dependency-cruiser.cjs).
 * Beside the house: watchlists/, a second subgraph on lib/ alone, and federation/, the gateway
 * over both, which reads their SDL (docs/federation.md).
 */
const FLOORS = ['gateway', 'resolvers', 'ingest', 'data', 'db', 'lib', 'schema'];
const OUTSIDE = '(__tests__/|^test/|^bench/|^scripts/)';

/** A rule: files under `from` import nothing under any of `forbidden`. */
function floor(name, from, forbidden, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: `^${from}/`, pathNot: OUTSIDE },
    to: { path: `^(${forbidden.join('|')})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules cannot be understood (or tested) apart; type-only imports count.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    floor(
      'lib-is-the-ground-floor',
      'lib',
      FLOORS.filter((f) => f !== 'lib').concat('web'),
      'lib/ holds leaves: it imports nothing of ours.',
    ),
    floor(
      'db-stands-on-lib',
      'db',
      ['gateway', 'resolvers', 'ingest', 'data', 'schema', 'web'],
      'db/ is storage: schema, driver, migrations, mart refresh, seed.',
    ),
    floor(
      'data-stands-on-db',
      'data',
      ['gateway', 'resolvers', 'ingest', 'schema', 'web'],
      'The data layer owns its types; the API maps onto them, never the reverse.',
    ),
    floor(
      'ingest-stands-on-data',
      'ingest',
      ['gateway', 'resolvers', 'schema', 'web'],
      'The pipeline sits beside the resolvers, on the same data layer.',
    ),
    floor(
      'resolvers-stand-on-data',
      'resolvers',
      ['gateway', 'ingest', 'web'],
      'Resolvers serve the gateway and reach storage through the data layer.',
    ),
    floor(
      'schema-is-sdl',
      'schema',
      ['gateway', 'resolvers', 'ingest', 'data', 'db', 'web'],
      'schema/ only loads the SDL files.',
    ),
    {
      name: 'resolvers-reach-storage-through-the-data-client',
      comment: 'Resolvers hold the request DataClient, never a database handle: row types from db/schema only.',
      severity: 'error',
      from: { path: '^resolvers/', pathNot: OUTSIDE },
      to: { path: '^db/(?!schema/)|node_modules/(drizzle-orm|pg|@electric-sql)/' },
    },
    {
      name: 'loaders-stay-inside-the-data-client',
      comment:
        'DataLoaders are private to data/client.ts, so nothing can bypass batching or share them across requests.',
      severity: 'error',
      from: { pathNot: `^data/client\\.ts$|${OUTSIDE}` },
      to: { path: '^data/loaders\\.ts$' },
    },
    {
      name: 'no-resolver-imports-another',
      comment:
        'Resolver maps meet only in resolvers/index.ts; shared helpers live in resolvers/arguments/ and selection.ts.',
      severity: 'error',
      from: { path: '^resolvers/[^/]+\\.ts$', pathNot: '^resolvers/index\\.ts$' },
      to: { path: '^resolvers/([A-Z][^/]*|connections)\\.ts$' },
    },
    {
      name: 'generated-api-types-stay-in-resolvers',
      comment: 'The generated resolver types describe the API; only the API layer uses them.',
      severity: 'error',
      from: { pathNot: `^resolvers/|${OUTSIDE}` },
      to: { path: '^resolvers/__generated__/' },
    },
    {
      name: 'nothing-imports-the-gateway',
      comment: 'The gateway is the top floor.',
      severity: 'error',
      from: { pathNot: `^gateway/|${OUTSIDE}` },
      to: { path: '^gateway/' },
    },
    {
      name: 'watchlists-stand-apart',
      comment:
        'The watchlists subgraph owns its tables and reaches the core over GraphQL only: of ours it imports lib/ alone.',
      severity: 'error',
      from: { path: '^watchlists/', pathNot: OUTSIDE },
      to: { path: '^(gateway|resolvers|ingest|data|db|schema|federation|web)/' },
    },
    {
      name: 'federation-composes-sdl-only',
      comment:
        'The federation gateway serves the composed supergraph: it reads the subgraphs SDL loaders and lib/, nothing they run on.',
      severity: 'error',
      from: { path: '^federation/', pathNot: OUTSIDE },
      to: { path: '^(gateway|resolvers|ingest|data|db|web)/|^watchlists/(?!schema\\.ts$)' },
    },
    {
      name: 'the-core-knows-no-other-subgraph',
      comment:
        'The core subgraph runs alone; the watchlists and the federation gateway build on it, never the reverse.',
      severity: 'error',
      from: { path: `^(${FLOORS.join('|')})/`, pathNot: OUTSIDE },
      to: { path: '^(watchlists|federation)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      // PGlite's extensions and GraphiQL's parts are exported by subpath patterns ("./contrib/*",
      // "./*"), and csv-parse's sync API by conditions nested per module system, which the
      // resolver here does not expand; tsc resolves and checks those imports.
      to: {
        couldNotResolve: true,
        pathNot: '^(@electric-sql/pglite/contrib/[a-z_]+|csv-parse/sync|@graphql-yoga/render-graphiql/graphiql)$',
      },
    },
  ],
  options: {
    // Count type-only imports too: a type cycle is still a cycle between modules.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.next|__generated__/.*\\.json$|\\.dependency-cruiser\\.cjs$)' },
    moduleSystems: ['cjs', 'es6'],
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      // Type-only packages have no main, and some packages export per condition only.
      mainFields: ['module', 'main', 'types', 'typings'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
