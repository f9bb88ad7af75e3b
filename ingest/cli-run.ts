/**
 * What the ingest CLI does once its arguments are good: opens the database and the cache, runs
 * the command, prints the summary. Loaded by ./cli.ts only then: it loads every source and the
 * database drivers, most of the CLI's start-up time.
 */
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Env, parseEnv } from '../lib/env';
import { openDatabase, selectRows } from '../db/client';
import { createEntityCache } from '../lib/cache';
import { SAMPLE_FILES, SAMPLES_DIR, replaySelection, UsageError, usage } from './cli-args';
import { type SourceArgs, SourceArgumentError } from './pipeline/entry';
import { replay } from './pipeline/replay';
import { abandonDeadRuns } from './pipeline/runs';
import type { IngestDeps, RunOptions, RunProgress, RunSummary } from './pipeline/run';
import { CORE_TRANSACTIONS_IN_FLIGHT } from './pipeline/transaction';
import { sources } from './sources';

function progressLine(progress: RunProgress): string {
  const seconds = Math.max(0.001, (Date.now() - progress.startedAt.getTime()) / 1000);
  const rate = progress.fetched / seconds;
  const of = progress.expected !== undefined ? ` of ${progress.expected}` : '';
  const left = progress.expected !== undefined ? progress.expected - progress.fetched : undefined;
  const eta = left !== undefined && left > 0 && rate > 0 ? `, ETA ${formatSeconds(left / rate)}` : '';
  return (
    `run ${progress.runId}: ${progress.pages} pages, ${progress.fetched}${of} records (${rate.toFixed(0)}/s${eta}): ` +
    `${progress.inserted} inserted, ${progress.updated} updated, ${progress.unchanged} unchanged, ${progress.quarantined} quarantined`
  );
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.ceil(seconds - minutes * 60)} s`;
}

function reporter(lines: boolean): RunOptions['onProgress'] {
  if (lines) return (progress) => console.error(progressLine(progress));
  if (!process.stderr.isTTY) return undefined;
  return (progress) => process.stderr.write(`\r${progressLine(progress)}\x1b[K`);
}

/** Warnings (a retry, a wait for tokens) shown as they happen, on a line of their own. */
function warningReporter(): RunOptions['onWarning'] {
  return (warning) => {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.error(`  warning ${warning.code ?? ''}: ${warning.message}`);
  };
}

function printSummary(label: string, summary: RunSummary): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
  const { counts, timings } = summary;
  console.log(
    `${label}: run ${summary.runId} ${summary.status} — ${counts.pages} pages, ${counts.fetched} records: ` +
      `${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.quarantined} quarantined ` +
      `(${Object.entries(timings)
        .map(([phase, ms]) => `${phase} ${ms} ms`)
        .join(', ')})`,
  );
  // Warnings were retried or waited out and lost nothing; errors are what went wrong.
  const warnings = summary.errors.filter((error) => error.warning);
  const errors = summary.errors.filter((error) => !error.warning);
  for (const error of errors) console.log(`  error ${error.code ?? 'ERROR'}: ${error.message}`);
  if (warnings.length > 0) {
    console.log(
      `  ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (retried or waited out, nothing lost):`,
    );
    for (const warning of warnings) console.log(`    ${warning.code ?? 'WARNING'}: ${warning.message}`);
  }
  if (counts.quarantined > 0)
    console.log(
      `  quarantined records: select code, locator, reason from ingest_quarantine where run_id = ${summary.runId}`,
    );
}

async function listRuns(deps: IngestDeps, args: SourceArgs): Promise<void> {
  const limit = args.limit === undefined ? 20 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
  const runs = await selectRows(
    deps.db,
    sql`select id, source, status, started_at, finished_at, pages, fetched, inserted, updated, unchanged, quarantined
        from ingest_runs order by id desc limit ${limit}`,
  );
  if (runs.length === 0) {
    console.log('no runs yet');
    return;
  }
  console.log('id\tsource\tstatus\tstarted\tpages\tfetched\tinserted\tupdated\tunchanged\tquarantined');
  for (const row of runs) {
    const started = row.started_at instanceof Date ? row.started_at.toISOString() : String(row.started_at);
    console.log(
      [
        row.id,
        row.source,
        row.status,
        started,
        row.pages,
        row.fetched,
        row.inserted,
        row.updated,
        row.unchanged,
        row.quarantined,
      ].join('\t'),
    );
  }
}

async function execute(command: string, args: SourceArgs, env: Env, deps: IngestDeps): Promise<boolean> {
  const progress = args.progress === true;
  delete args.progress;
  const options: RunOptions = { onProgress: reporter(progress), onWarning: warningReporter() };
  const controller = new AbortController();
  // Ctrl-C stops after the payload in flight, which commits; a second one kills at once.
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  options.signal = controller.signal;
  if (command === 'runs') {
    await listRuns(deps, args);
    return true;
  }
  if (command === 'replay') {
    const summary = await replay(deps, replaySelection(args), (name) => sources[name]?.parser(env), options);
    printSummary('replay', summary);
    return summary.status === 'SUCCEEDED';
  }
  if (command === 'samples') {
    const file = sources.file;
    if (!file) throw new Error('the file source is not registered');
    let ok = true;
    for (const sample of SAMPLE_FILES) {
      const summary = await file.run({ path: path.join(SAMPLES_DIR, sample) }, env, deps, options);
      printSummary(sample, summary);
      ok &&= summary.status === 'SUCCEEDED';
    }
    return ok;
  }
  const entry = sources[command];
  if (!entry) throw new UsageError(`unknown command or source "${command}"`);
  const summary = await entry.run(args, env, deps, options);
  printSummary(command, summary);
  return summary.status === 'SUCCEEDED';
}

/**
 * Runs `command` (a source, `samples`, `replay` or `runs`) with parsed arguments; the exit code.
 * @example process.exitCode = await runCommand('samples', {});
 */
export async function runCommand(command: string, args: SourceArgs): Promise<number> {
  const entry = sources[command];
  const env = parseEnv();
  if (entry) {
    // Bad arguments exit 2 before the database opens, so they leave no run behind.
    const { progress: _progress, ...sourceArgs } = args;
    try {
      entry.check(sourceArgs);
    } catch (error) {
      if (!(error instanceof SourceArgumentError)) throw error;
      console.error(`${error.message}\nusage: npm run ingest -- ${entry.usage}`);
      return 2;
    }
  }
  const database = openDatabase({
    databaseUrl: env.DATABASE_URL,
    pgliteDir: env.PGLITE_DIR,
    poolMax: CORE_TRANSACTIONS_IN_FLIGHT + 1,
  });
  const cache = createEntityCache({
    redisUrl: env.REDIS_URL,
    timeoutMs: env.CACHE_TIMEOUT_MS,
    defaultTtlMs: env.CACHE_TTL_SECONDS * 1000,
    relay: database.publishToOwner,
  });
  try {
    await database.migrate();
    // Every run marks dead runs when it starts (executeRun); `runs` starts none, so it does.
    if (command === 'runs') await abandonDeadRuns(database.db, new Date());
    const ok = await execute(command, args, env, { db: database.db, cache });
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError || error instanceof SourceArgumentError) {
      console.error(`${error.message}\n${usage()}`);
      return 2;
    }
    throw error;
  } finally {
    await cache.close();
    await database.close();
  }
}
