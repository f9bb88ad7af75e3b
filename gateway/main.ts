import cluster from 'node:cluster';
import { describeError } from '../db/errors';
import { type Env, InvalidEnvironmentError, parseEnv } from '../lib/env';
import { createLogger } from './logger';
import type { RunningGateway } from './start';
import { answerMetricsRequests, type GatewayUp, reportListening, runClusterPrimary } from './cluster';
import { startTracing } from './tracing';

/**
 * How long a shutdown may take before the process exits anyway, with code 1: longer than
 * Apollo's drain, which cuts off requests still running after 10 s, so a clean stop wins.
 */
const FORCED_EXIT_MS = 15_000;

/** Why a start was given up: a signal came before the gateway was up. */
class StoppedDuringStart extends Error {
  constructor(readonly signal: string) {
    super(`${signal} during start-up`);
  }
}

/** What `npm start` prints once the gateway listens: where to go, and on what it runs. */
function upBanner(env: Env, up: GatewayUp): string {
  const replicas = env.DATABASE_READ_URL ? ` + ${env.DATABASE_READ_URL.length} read replica(s)` : '';
  const database = env.DATABASE_URL ? `PostgreSQL (DATABASE_URL${replicas})` : `embedded PGlite in ${env.PGLITE_DIR}`;
  const cache = env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-memory';
  const processes = env.GATEWAY_PROCESSES > 1 ? `${env.GATEWAY_PROCESSES} processes, ` : '';
  const access = up.access === 'open' ? 'open: no key needed' : 'API keys required beyond the dashboard';
  return [
    '',
    `  Soldgraph gateway is up (${processes}${database}, cache: ${cache}, ${access})`,
    `  GraphQL API:  ${up.url}/graphql`,
    `  GraphiQL:     ${up.url}/graphql  (open in a browser)`,
    `  Health:       ${up.url}/health`,
    `  Metrics:      ${up.url}/metrics${up.traced ? '  (traces: OTLP)' : ''}`,
    ...(up.sharedDatabaseUrl
      ? [
          `  Database:     ${up.sharedDatabaseUrl.replace(/:[^:@/]+@/, ':***@')}  (npm run ingest, worker and psql share it;`,
          `                the URL with its password is in ${env.PGLITE_DIR}/soldgraph.server)`,
        ]
      : []),
    '',
  ].join('\n');
}

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
  // graphql-js and Express read NODE_ENV themselves as they load (graphql-js runs its slow
  // development checks unless it says production): the parsed default must reach them.
  process.env.NODE_ENV = env.NODE_ENV;
  const logger = createLogger(env.LOG_LEVEL);
  if (env.GATEWAY_PROCESSES > 1 && cluster.isPrimary) {
    // The primary only hands connections to the gateway processes (gateway/cluster.ts).
    runClusterPrimary({
      processes: env.GATEWAY_PROCESSES,
      logger,
      forcedExitMs: FORCED_EXIT_MS,
      onUp: (up) => console.log(upBanner(env, up)),
    });
    return;
  }
  if (cluster.isWorker) answerMetricsRequests();
  // Tracing patches http, graphql and pg as they load, so the gateway is loaded after it.
  const tracing = startTracing(process.env);
  const { authModeOf, startGateway } = await import('./start');
  // Signals are heard from the first moment: a stop during start-up (waiting for PostgreSQL,
  // seeding) ends the start, rolls the seed back and exits, as a stop later does.
  const starting = new AbortController();
  let running: RunningGateway | undefined;
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
    if (!running) {
      starting.abort(new StoppedDuringStart(signal));
      return;
    }
    try {
      await running.stop();
      await tracing?.shutdown();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    running = await startGateway(env, logger, starting.signal);
  } catch (error) {
    if (error instanceof StoppedDuringStart) {
      logger.info({ signal: error.signal }, 'stopped during start-up');
      await tracing?.shutdown();
      process.exit(0);
    }
    throw error;
  }
  const up: GatewayUp = {
    url: running.url,
    access: authModeOf(env),
    traced: Boolean(tracing),
    sharedDatabaseUrl: running.sharedDatabaseUrl,
  };
  if (cluster.isWorker) reportListening(up);
  else console.log(upBanner(env, up));
}

main().catch((error: unknown) => {
  console.error(`Soldgraph gateway failed to start: ${describeError(error)}`);
  process.exit(1);
});
