import { InvalidEnvironmentError, parseEnv } from '../config/env';
import { createLogger } from './logger';
import { startGateway } from './start';

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
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Soldgraph gateway failed to start:', error);
  process.exit(1);
});
