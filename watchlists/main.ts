import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { ZodError } from 'zod';
import { createCoreClient } from './core-client';
import { openWatchlistsDatabase } from './db/client';
import { parseWatchlistsEnv } from './env';
import { startAlertEvaluator } from './evaluator';
import { createWatchlistsServer } from './server';

// Entry point of `npm run serve:watchlists`: migrate the watchlists' own tables, serve the
// subgraph, evaluate price alerts after each ingestion run, and stop cleanly on SIGTERM/SIGINT.
async function main() {
  let env;
  try {
    env = parseWatchlistsEnv(process.env);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    console.error(error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
    process.exit(2);
  }
  const logger = pino({ level: env.LOG_LEVEL, base: { service: 'soldgraph-watchlists' } });
  const databaseUrl = env.WATCHLISTS_DATABASE_URL ?? env.DATABASE_URL;
  const database = openWatchlistsDatabase({ databaseUrl, pgliteDir: env.WATCHLISTS_PGLITE_DIR });
  await database.migrate();
  const core = createCoreClient(env.CORE_URL, env.WATCHLISTS_CORE_KEY);
  const server = await createWatchlistsServer({ db: database.db, core, authMode: env.AUTH_MODE, logger });
  const evaluator = startAlertEvaluator({
    db: database.db,
    core,
    pollMs: env.WATCHLISTS_POLL_SECONDS * 1000,
    redisUrl: env.REDIS_URL,
    logger,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await evaluator.stop();
    await server.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.httpServer.listen(env.PORT, env.HOST, resolve);
  });
  const { port } = server.httpServer.address() as AddressInfo;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  const storage = databaseUrl ? 'PostgreSQL, schema watchlists' : `embedded PGlite in ${env.WATCHLISTS_PGLITE_DIR}`;
  const wake = env.REDIS_URL ? 'Redis purges, then polling' : `polling every ${env.WATCHLISTS_POLL_SECONDS} s`;
  console.log(
    [
      '',
      `  Soldgraph watchlists subgraph is up (${storage}; alerts follow runs by ${wake})`,
      `  Watchlists API: http://${host}:${port}/graphql`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`Soldgraph watchlists failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
