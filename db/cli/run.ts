import type { Env } from '../../lib/env';
import type { Database } from '../client';
import { describeError } from '../errors';

/**
 * Runs a command-line entry point: a number it returns is the exit code, and a failure prints
 * its cause in one line (PostgreSQL's message and SQLSTATE, never an SQL dump) and exits 1.
 * The exit code is set, not forced, so open handles finish closing first.
 * @example if (require.main === module) runCli(main);
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      console.error(describeError(error));
      process.exitCode = 1;
    },
  );
}

/**
 * Answers `--help` (or `-h`) anywhere in `args`: prints `usage` to stdout and returns true,
 * and the command should then exit 0 without opening anything.
 * @example if (answeredHelp(USAGE)) return 0;
 */
export function answeredHelp(usage: string, args: readonly string[] = process.argv.slice(2)): boolean {
  if (!args.includes('--help') && !args.includes('-h')) return false;
  console.log(usage);
  return true;
}

/**
 * The command line as `parse` reads it, or the exit code to return at once: 0 after answering
 * `--help`, 2 after printing `parse`'s complaint (a string) with the usage.
 * @example const options = readCommandLine(USAGE, parseOptions); if (typeof options === 'number') return options;
 */
export function readCommandLine<T extends object>(
  usage: string,
  parse: (args: string[]) => T | string,
  args: string[] = process.argv.slice(2),
): T | number {
  if (answeredHelp(usage, args)) return 0;
  const parsed = parse(args);
  if (typeof parsed !== 'string') return parsed;
  console.error(`${parsed}\n${usage}`);
  return 2;
}

/**
 * What every database CLI opens a database with, loaded on demand: a CLI answers `--help` and
 * refuses bad arguments before Node loads the drivers, which is most of its start-up time.
 * @example const { parseEnv, openDatabase } = await databaseModules();
 */
export async function databaseModules() {
  const [{ parseEnv }, { openDatabase, selectRows }] = await Promise.all([
    import('../../lib/env'),
    import('../client'),
  ]);
  return { parseEnv, openDatabase, selectRows };
}

/**
 * Runs `work` on the configured database (one connection, migrations applied) and closes it
 * afterwards, whatever happens. The drivers load only now, as with databaseModules.
 * @example return withDatabase(async ({ db }) => { await db.execute(statement); return 0; });
 */
export async function withDatabase<T>(work: (database: Database, env: Env) => Promise<T>): Promise<T> {
  const { parseEnv, openDatabase } = await databaseModules();
  const env = parseEnv();
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: 1 });
  try {
    await database.migrate();
    return await work(database, env);
  } finally {
    await database.close();
  }
}
