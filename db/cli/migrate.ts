/**
 * `npm run db:migrate`: applies pending migrations to the configured database
 * (DATABASE_URL => PostgreSQL, else the embedded PGlite in PGLITE_DIR).
 */
import { parseEnv } from '../../lib/env';
import { openDatabase } from '../client';
import { runCli } from './run';

async function main(): Promise<void> {
  const env = parseEnv();
  const database = openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR, poolMax: 1 });
  const where = database.driver === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${env.PGLITE_DIR})`;
  try {
    const started = performance.now();
    await database.migrate();
    console.log(`migrated ${where} in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await database.close();
  }
}

runCli(main);
