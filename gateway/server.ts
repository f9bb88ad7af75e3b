import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { findActiveApiKey } from '../data/api-keys';
import type { Database } from '../db/client';
import { currentStatementCount, currentStatementLog, trackStatements } from '../db/query-counter';
import { withStatementScope } from '../db/statement-scope';
import type { EntityCache } from '../lib/cache';
import { createTokenBuckets, type TokenBuckets } from '../lib/token-buckets';
import { projectPath } from '../lib/paths';
import { resolvers } from '../resolvers';
import { loadTypeDefs } from '../schema';
import { createContext, type GatewayContext, type RequestLog } from './context';
import { costModel } from './cost';
import { demandControlPlugin } from './demand-control';
import { createErrorFormatter, errorLogPlugin, suggestionMaskPlugin } from './errors';
import { csvExport } from './csv-export';
import { explainOf, mayExplain, wantsExplain } from './explain';
import { GRAPHIQL_ASSETS_PATH, sendGraphiQL, sendGraphiQLAsset, wantsGraphiQL } from './graphiql';
import { checkHealth } from './health';
import { sendGraphQLErrors } from './http-errors';
import { DEFAULT_LIMITS, type StaticLimits, staticLimits } from './limits';
import { nulGuardPlugin } from './nul-guard';
import { operationGuard } from './operation-guard';
import { type Audience, type Policies, resolvePolicies } from './policy';
import { accessPlugin } from './access';
import { createBulkhead } from './bulkhead';
import { type Admission, createAdmission } from './admission';
import { yieldDuringLargeAnswers } from './event-loop-slices';
import { rateLimit } from './rate-limit';
import { countCacheReads, createMetrics } from './metrics';
import { authenticate, type AuthMode } from './auth';
import { loadSafelist, persistedQueryStore, type Safelist } from './safelist';
import { deadlinePlugin, requestBounds } from './deadline';
import { responseCap } from './response-cap';
import { cachePolicies } from './cache-policy';
import { createResponseCache, type ResponseCache } from './response-cache';
import type { CacheDecision } from './cache-decision';
import { readRoutingPlugin } from './read-routing';
import { clusterMetrics } from './cluster';

export type GatewayOptions = {
  database: Database;
  /** A worker of a cluster (GATEWAY_PROCESSES): `/metrics` reports every process's metrics. */
  metricsAcrossProcesses?: boolean;
  cache: EntityCache;
  logger: Logger;
  /** Send internal error messages and stacks to clients (development only). */
  exposeErrorDetails: boolean;
  /** Origins browsers may call /graphql from; defaults to any. */
  corsOrigins?: '*' | string[];
  /** Static limits of every document; DEFAULT_LIMITS when omitted. */
  limits?: StaticLimits;
  /** What each role may spend and do; the defaults of gateway/policy.ts when omitted. */
  policies?: Policies;
  /** The list size demand control assumes when neither an argument nor `@listSize` gives one. */
  costDefaultListSize?: number;
  /** The largest answer sent, in bytes; larger ones are refused with RESPONSE_TOO_LARGE. */
  responseMaxBytes?: number;
  /** Who may do what without a key (see gateway/auth.ts); `open` when omitted. */
  authMode?: AuthMode;
  /** How long a key lookup is remembered, so how soon a revoked key stops working (30 s). */
  keyCacheMs?: number;
  /** The dashboard's operations; read from web/__generated__/persisted-documents.json when omitted. */
  safelist?: Safelist;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (default loopback). */
  trustProxy?: string;
  /** Where rate limits count: Redis when configured (shared by every gateway), memory otherwise. */
  rateLimits?: TokenBuckets;
  /**
   * Estimated cost that may run at once in operations dearer than the dashboard's budget,
   * all callers together (gateway/admission.ts); 25,000 when omitted.
   */
  costInFlightMax?: number;
  /**
   * The response cache (gateway/response-cache.ts): on unless `false`; `staleSeconds` (300) and
   * `memoryBytes` (64 MB) as RESPONSE_CACHE_STALE_SECONDS and RESPONSE_CACHE_MEMORY_MB set them;
   * `now` and `sharedMissWaitMs` (gateway/response-cache.ts) for tests.
   */
  responseCache?:
    false | { staleSeconds?: number; memoryBytes?: number; now?: () => number; sharedMissWaitMs?: number };
};

/** The largest answer sent when `responseMaxBytes` is not given. */
const DEFAULT_RESPONSE_MAX_BYTES = 5_000_000;

/** Where codegen writes the dashboard's persisted documents. */
const PERSISTED_DOCUMENTS = projectPath('web', '__generated__', 'persisted-documents.json');

/** An HTTP server with Apollo attached, not yet listening. */
export type Gateway = {
  httpServer: http.Server;
  apollo: ApolloServer<GatewayContext>;
  /** Stops accepting requests, lets in-flight ones finish, then stops Apollo. */
  stop(): Promise<void>;
};

// Request ids from a proxy are kept only when they look like ids, so logs stay clean.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The Apollo server alone, for in-process `executeOperation` calls and the HTTP gateway. */
function createApollo(
  schema: GraphQLSchema,
  options: GatewayOptions,
  safelist: Safelist,
  admission: Admission,
  responseCache: ResponseCache | undefined,
  readRouting: ApolloServerPlugin<GatewayContext> | undefined,
  httpServer?: http.Server,
): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    // Allowed here, then granted by role (gateway/access.ts): analysts and above may introspect.
    introspection: true,
    // Registered documents are shared through Redis; Keyv's memory store would only grow.
    persistedQueries: {
      cache: persistedQueryStore(safelist, options.cache.kind === 'redis' ? options.cache : undefined),
    },
    allowBatchedHttpRequests: (options.limits ?? DEFAULT_LIMITS).batch > 1,
    // API keys travel in headers, so a GET a browser would send cross-site (an image, a link)
    // is refused unless it says it is an API call: a preflighted header or a JSON body.
    csrfPrevention: true,
    // The process entry (gateway/main.ts) owns SIGINT/SIGTERM: it stops Apollo, then the cache
    // and the database. Apollo's own handlers would start a second stop() that races ours, and
    // a concurrent stop() never settles (Apollo 5 resolves the barrier only on failure), so the
    // process hung until something else ended it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.exposeErrorDetails,
    formatError: createErrorFormatter(options.exposeErrorDetails),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No Apollo Studio here: federated tracing would only cost time on every request.
      ApolloServerPluginInlineTraceDisabled(),
      // The response cache reads @cacheControl hints once per document (gateway/cache-policy.ts);
      // Apollo's plugin would wrap every field resolver to compute the same per request (a
      // third of the time of a 6,000-bucket statistics answer).
      ApolloServerPluginCacheControlDisabled(),
      nulGuardPlugin,
      accessPlugin(schema),
      errorLogPlugin(options.logger),
      suggestionMaskPlugin(),
      deadlinePlugin(),
      demandControlPlugin(costModel(schema, { defaultListSize: options.costDefaultListSize ?? 100 }), admission),
      ...(responseCache ? [responseCache.plugin()] : []),
      ...(readRouting ? [readRouting] : []),
      {
        async requestDidStart() {
          const started = performance.now();
          return {
            async willSendResponse({ response, contextValue }) {
              // Last in line, so it sees the answer as sent (a deadline replaces it).
              if (response.body.kind === 'single' && response.body.singleResult.errors) {
                contextValue.log.errorCodes = response.body.singleResult.errors.map((error) =>
                  String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
                );
              }
              const statements = currentStatementCount();
              if (statements !== undefined) response.http.headers.set('x-sql-statements', String(statements));
              // Asked for with `x-explain: true` (the request then keeps a statement log).
              const log = currentStatementLog();
              if (log && response.body.kind === 'single' && mayExplain(contextValue.audience.role)) {
                const result = response.body.singleResult;
                result.extensions = { ...result.extensions, explain: explainOf(log, performance.now() - started) };
              }
              // Time spent in GraphQL execution, for browsers' devtools and benchmarks.
              response.http.headers.set('server-timing', `graphql;dur=${(performance.now() - started).toFixed(1)}`);
            },
          };
        },
      },
      ...(httpServer ? [ApolloServerPluginDrainHttpServer({ httpServer })] : []),
    ],
  });
}

/**
 * Builds the gateway: `/graphql` (POST and GET, GraphiQL for browsers), `/health`.
 * @example
 *   const gateway = await createGateway({ database, cache, logger, exposeErrorDetails: false });
 *   gateway.httpServer.listen(4000);
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { database, cache, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const schema = buildSubgraphSchema({ typeDefs: loadTypeDefs(), resolvers });
  const safelist = options.safelist ?? loadSafelist(PERSISTED_DOCUMENTS);
  const policies = options.policies ?? resolvePolicies();
  // Answers dearer than the dashboard's budget may be large: they let others in as they go.
  yieldDuringLargeAnswers<GatewayContext>(schema, {
    chunkSize: 100,
    sliceMs: 5,
    appliesTo: (context) => (context.log.cost?.estimated ?? 0) > policies.dashboard.costBudget,
  });
  // Dashboard operations never wait; dearer ones share one allowance of cost in flight.
  const admission = createAdmission({
    capacity: options.costInFlightMax ?? 25_000,
    queueAbove: policies.dashboard.costBudget,
  });
  const bulkhead = createBulkhead();
  const replicas = database.replicas;
  const metrics = createMetrics({
    poolUsage: () => database.poolUsage(),
    heldByBulkheads: () => bulkhead.waiting(),
    admission: () => admission.usage(),
    replicas: replicas && (() => replicas.health()),
  });
  const responseCache =
    options.responseCache === false
      ? undefined
      : createResponseCache({
          cache,
          policyOf: cachePolicies(schema),
          staleSeconds: options.responseCache?.staleSeconds ?? 300,
          responseMaxBytes: options.responseMaxBytes ?? DEFAULT_RESPONSE_MAX_BYTES,
          memoryBytes: options.responseCache?.memoryBytes ?? 64 * 1024 ** 2,
          now: options.responseCache?.now,
          sharedMissWaitMs: options.responseCache?.sharedMissWaitMs,
          onStatus: (status) => metrics.recordResponseCache(status),
          onError: (error) => logger.warn({ err: error }, 'response cache failed; answering without it'),
        });
  // With read replicas, each operation reads from one of them or from the primary (docs/replicas.md).
  const readRouting =
    replicas &&
    readRoutingPlugin({
      schema,
      replicas,
      onRead: (target, fallback) => metrics.recordRead(target, fallback),
      reportFreshness: !responseCache,
    });
  const apollo = createApollo(schema, options, safelist, admission, responseCache, readRouting, httpServer);
  const authMode = options.authMode ?? 'open';
  const buckets = options.rateLimits ?? createTokenBuckets();
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  const limits = staticLimits(schema, options.limits ?? DEFAULT_LIMITS);
  await apollo.start();

  const authenticateRequest = authenticate({
    mode: authMode,
    policies,
    safelist,
    lookup: (hash) => findActiveApiKey(database.db, hash),
    rememberMs: options.keyCacheMs,
  });

  app.use((request, response, next) => {
    const incoming = request.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.locals.requestId = requestId;
    response.setHeader('x-request-id', requestId);
    const log: RequestLog = {};
    response.locals.log = log;
    const started = performance.now();
    const tally = trackStatements(next, { log: wantsExplain(request) });
    response.on('finish', () => {
      const path = request.originalUrl.split('?')[0];
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      const { statements } = tally;
      logger.info(
        {
          requestId,
          method: request.method,
          path,
          status: response.statusCode,
          durationMs,
          sqlStatements: statements,
          ...log,
        },
        'request',
      );
      // GraphQL requests only, refused ones included; the explorer's page is not one.
      if (path !== '/graphql' || response.locals.explorerPage) return;
      metrics.recordRequest({
        operation: log.operationName === undefined ? '(none)' : (log.operationName ?? '(anonymous)'),
        status: response.statusCode,
        durationMs,
        sqlStatements: statements,
        errorCodes: log.errorCodes ?? [],
        estimatedCost: log.cost?.estimated,
      });
    });
  });

  app.get('/health', async (_request, response) => {
    const health = await checkHealth(database, cache, () => bulkhead.waiting());
    response.status(health.status === 'down' ? 503 : 200).json(health);
  });

  // Prometheus scrapes with an operator's key in keys mode (prometheus.yml: authorization).
  // Under GATEWAY_PROCESSES, any process answers for all of them (gateway/cluster.ts).
  const readMetrics = options.metricsAcrossProcesses
    ? clusterMetrics(metrics.registry)
    : () => metrics.registry.metrics();
  app.get('/metrics', authenticateRequest, async (request, response) => {
    const audience = response.locals.audience as Audience;
    if (!audience.policy.scopes.includes('operator')) {
      sendGraphQLErrors(request, response, 403, [
        new GraphQLError(`Metrics are for operators and admins; this key's role is ${audience.role}.`, {
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
      return;
    }
    response.type(metrics.registry.contentType).send(await readMetrics());
  });

  // The explorer lives at /graphql; send people who open the bare host there.
  app.get('/', (_request, response) => response.redirect(302, '/graphql'));
  app.get(`${GRAPHIQL_ASSETS_PATH}/:name`, sendGraphiQLAsset);

  app.use(
    '/graphql',
    cors({ origin: options.corsOrigins === undefined || options.corsOrigins === '*' ? '*' : options.corsOrigins }),
  );
  app.get('/graphql', (request, response, next) => {
    if (wantsGraphiQL(request)) {
      response.locals.explorerPage = true;
      sendGraphiQL(request, response, authMode === 'keys');
    } else next();
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    // Before the cache and Apollo, so a cached answer is turned into CSV as a computed one is.
    csvExport(),
    authenticateRequest,
    rateLimit(buckets),
    ...(responseCache ? [responseCache.middleware()] : []),
    operationGuard(limits),
    requestBounds((audience) => ({
      admit: (signal) => bulkhead.admit(audience.principal, audience.policy.concurrency, signal),
    })),
    responseCap(options.responseMaxBytes ?? DEFAULT_RESPONSE_MAX_BYTES),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const log = res.locals.log as RequestLog;
        log.cache = { hits: 0, misses: 0 };
        return createContext({
          db: database.db,
          cache: countCacheReads(cache, metrics, log.cache),
          requestId: String(res.locals.requestId),
          audience: res.locals.audience as Audience,
          log,
          signal: res.locals.signal as AbortSignal,
          responseCache: res.locals.responseCache as CacheDecision | undefined,
        });
      },
    }),
  );

  // A stale answer is refreshed outside any HTTP request: the same operation, as the same role,
  // bounded by the role's deadline.
  responseCache?.setRefresh(async (operation, audience, decision, stop) => {
    const signal = AbortSignal.any([AbortSignal.timeout(audience.policy.deadlineMs), stop]);
    await withStatementScope({ signal }, () =>
      apollo.executeOperation(
        {
          query: operation.query,
          operationName: operation.operationName,
          variables: operation.variables,
          extensions: operation.extensions,
        },
        {
          contextValue: createContext({
            db: database.db,
            cache,
            requestId: `refresh-${randomUUID()}`,
            audience,
            signal,
            responseCache: decision,
          }),
        },
      ),
    );
  });

  // Body parsing and routing failures (malformed JSON, oversized bodies) answer in the
  // GraphQL error shape, never with Express' HTML page and its stack trace.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    if (!clientError) logger.error({ err: error }, 'unhandled HTTP error');
    const message = clientError ? `Bad request: ${(error as Error).message}` : 'Internal server error';
    const code = clientError ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    sendGraphQLErrors(request, response, clientError ? status : 500, [
      new GraphQLError(message, { extensions: { code } }),
    ]);
  });

  return {
    httpServer,
    apollo,
    async stop() {
      responseCache?.close();
      await apollo.stop();
      if (!options.rateLimits) await buckets.close();
    },
  };
}
