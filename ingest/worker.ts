/**
 * `npm run worker`: runs the schedules of INGEST_SCHEDULES. With REDIS_URL the jobs go
 * through a BullMQ queue shared by every worker on every machine; without it they run on
 * timers in this process. Either way one source and scope never runs twice at once, failed
 * runs are retried with exponential backoff, and SIGTERM/SIGINT stop gracefully.
 * Exit code 2 for a bad configuration, 1 when start-up fails.
 */
import { answeredHelp } from '../db/cli/run';
import { describeError } from '../db/errors';

const USAGE = `usage: npm run worker   (takes no arguments)
  runs the schedules of INGEST_SCHEDULES (a JSON file, see ingest/schedules.example.json);
  with REDIS_URL they go through a BullMQ queue shared by every worker, else on timers here.`;

async function main(): Promise<void> {
  if (answeredHelp(USAGE)) return;
  if (process.argv.length > 2) {
    console.error(`unexpected argument "${process.argv[2]}"\n${USAGE}`);
    process.exit(2);
  }
  const { runWorker } = await import('./worker-run');
  await runWorker();
}

main().catch((error: unknown) => {
  console.error(`Soldgraph worker failed to start: ${describeError(error)}`);
  process.exit(1);
});
