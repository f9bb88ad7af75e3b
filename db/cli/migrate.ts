/**
 * `npm run db:migrate`: applies pending migrations to the configured database
 * (DATABASE_URL => PostgreSQL, else the embedded PGlite in PGLITE_DIR).
 */
import { answeredHelp, databaseModules, runCli } from './run';

const USAGE = 'usage: npm run db:migrate   (DATABASE_URL => PostgreSQL, else the embedded PGlite in PGLITE_DIR)';

async function main(): Promise<number> {
  if (answeredHelp(USAGE)) return 0;
  if (process.argv.length > 2) {
    console.error(`db:migrate takes no arguments\n${USAGE}`);
    return 2;
  }
  const { parseEnv, openDatabase } = await databaseModules();
  const env = parseEnv();
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: 1 });
  const where = database.location;
  try {
    const started = performance.now();
    await database.migrate();
    console.log(`migrated ${where} in ${Math.round(performance.now() - started)} ms`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(main);
