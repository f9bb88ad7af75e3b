import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Request } from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { createContext, type WatchlistsContext } from './context';
import { type CoreClient, CoreUnavailableError } from './core-client';
import { countStatementsInto, type StatementTally, type WatchlistsDb } from './db/client';
import { resolvers } from './resolvers';
import { loadWatchlistsTypeDefs } from './schema';

/** How long the core's verdict on a key is remembered: a revoked key stops working within this. */
const KEY_VERDICT_MS = 30_000;

/** The API key a request carries, as the core reads it (`Authorization: Bearer`, `x-api-key`). */
function authorizationOf(request: Request): string | undefined {
  const authorization = request.header('authorization')?.trim();
  if (authorization) return authorization;
  const key = request.header('x-api-key')?.trim();
  return key ? `Bearer ${key}` : undefined;
}

/** A watchlist's owner for a key: a hash of it, so the key itself is never stored here. */
function ownerOfKey(authorization: string): string {
  const key = authorization.replace(/^Bearer\s+/i, '');
  return `key:${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/** Key verdicts remembered at most; the oldest goes first. */
const KEY_VERDICTS_KEPT = 10_000;

/**
 * Who a request is. Keys are the core's (this subgraph has no table of them): a key is
 * accepted when the core accepts it, and the verdict is remembered for KEY_VERDICT_MS.
 * Without a key the caller is the one `local` user in open mode, and nobody (null) in keys mode.
 */
function identify(core: CoreClient, authMode: 'open' | 'keys') {
  // Bounded: every made-up key would otherwise stay here for good.
  const verdicts = new Map<string, { accepted: boolean; until: number }>();
  return async (request: Request): Promise<string | null> => {
    const authorization = authorizationOf(request);
    if (!authorization) return authMode === 'open' ? 'local' : null;
    const owner = ownerOfKey(authorization);
    let verdict = verdicts.get(owner);
    if (!verdict || verdict.until < Date.now()) {
      verdict = { accepted: await core.acceptsKey(authorization), until: Date.now() + KEY_VERDICT_MS };
      verdicts.delete(owner);
      if (verdicts.size >= KEY_VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value ?? '');
      verdicts.set(owner, verdict);
    }
    if (verdict.accepted) return owner;
    throw new GraphQLError('The API key is not valid: it is unknown, revoked or mistyped.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  };
}

export type WatchlistsServer = { httpServer: http.Server; stop(): Promise<void> };

/**
 * The watchlists subgraph over HTTP: `/graphql` (an Apollo Federation 2 subgraph) and `/health`.
 * Every response carries `x-sql-statements`, and every request leaves one JSON log line.
 * @example
 *   const server = await createWatchlistsServer({ db, core, authMode: 'open', logger });
 *   server.httpServer.listen(4002, '127.0.0.1');
 */
export async function createWatchlistsServer(options: {
  db: WatchlistsDb;
  core: CoreClient;
  authMode: 'open' | 'keys';
  logger: Logger;
}): Promise<WatchlistsServer> {
  const { db, core, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<WatchlistsContext>({
    schema: buildSubgraphSchema({ typeDefs: loadWatchlistsTypeDefs(), resolvers }),
    // main.ts owns the signals and stops Apollo itself, then the database.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) =>
      error instanceof GraphQLError && error.originalError instanceof CoreUnavailableError
        ? { ...formatted, message: 'The catalog is unavailable; try again.', extensions: { code: 'CORE_UNAVAILABLE' } }
        : formatted,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response, contextValue }) {
              response.http.headers.set('x-sql-statements', String(contextValue.statements.count));
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const whoIs = identify(core, options.authMode);

  app.use((request, response, next) => {
    const requestId = request.header('x-request-id') ?? randomUUID();
    const started = performance.now();
    const tally: StatementTally = { count: 0 };
    response.locals.statements = tally;
    countStatementsInto(tally, next);
    response.on('finish', () => {
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      logger.info(
        { requestId, path: request.path, status: response.statusCode, durationMs, sqlStatements: tally.count },
        'request',
      );
    });
  });
  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        createContext(db, core, await whoIs(req), res.locals.statements as StatementTally),
    }),
  );
  return {
    httpServer,
    async stop() {
      await apollo.stop();
    },
  };
}
