import { InvalidEnvironmentError, parseEnv } from '../lib/env';
import { createLogger } from './logger';
import { startGateway } from './start';

/**
 * How long a shutdown may take before the process exits anyway, with code 1: longer than
 * Apollo's drain, which cuts off requests still running after 10 s, so a clean stop wins.
 */
const FORCED_EXIT_MS = 15_000;

// Entry point of `npm start`: validate configuration, start, print where to go, and shut
// down gracefully on SIGTERM/SIGINT (in-flight requests finish, connections close).
async function main() {
  let env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  const running = await startGateway(env, logger);
  const database = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${env.PGLITE_DIR}`;
  const cache = env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-memory';
  console.log(
    [
      '',
      `  Soldgraph gateway is up (${database}, cache: ${cache})`,
      `  GraphQL API:  ${running.url}/graphql`,
      `  GraphiQL:     ${running.url}/graphql  (open in a browser)`,
      `  Health:       ${running.url}/health`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A last resort only: a clean stop ends idle keep-alive connections at once.
    const force = setTimeout(() => {
      logger.error({ signal, afterMs: FORCED_EXIT_MS }, 'shutdown did not finish in time; forcing exit');
      process.exit(1);
    }, FORCED_EXIT_MS);
    force.unref();
    try {
      await running.stop();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Soldgraph gateway failed to start:', error);
  process.exit(1);
});
