import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Pool } from 'pg';
import * as schema from './schema';
import { projectPath } from '../../lib/paths';

/** The watchlists' database through Drizzle, whichever driver is underneath. */
export type WatchlistsDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export type WatchlistsDatabase = { db: WatchlistsDb; migrate(): Promise<void>; close(): Promise<void> };

/** Where drizzle-kit writes this subgraph's migrations, and the journal that records them. */
const MIGRATIONS = {
  migrationsFolder: projectPath('watchlists', 'db', 'migrations'),
  migrationsSchema: 'drizzle',
  migrationsTable: '__watchlists_migrations',
};

const requestStatements = new AsyncLocalStorage<{ count: number }>();

/** Counts each statement Drizzle sends into the tally of the request it belongs to, if any. */
const countingLogger: Logger = {
  logQuery() {
    const tally = requestStatements.getStore();
    if (tally) tally.count += 1;
  },
};

/** The SQL statements one request has issued so far. */
export type StatementTally = { count: number };

/**
 * Runs `handle` so that every statement it causes, now or later in its async context, counts
 * into `tally` (read it when the response is sent).
 * @example const tally = { count: 0 }; countStatementsInto(tally, next);
 */
export function countStatementsInto(tally: StatementTally, handle: () => void): void {
  requestStatements.run(tally, handle);
}

/**
 * Opens the watchlists' tables: in PostgreSQL at `databaseUrl` (its `watchlists` schema, beside
 * the core's tables when the URL is the core's), else in an embedded PGlite of its own in
 * `pgliteDir`, never the core's.
 * @example const database = openWatchlistsDatabase({ pgliteDir: 'memory://' });
 */
export function openWatchlistsDatabase(options: { databaseUrl?: string; pgliteDir: string }): WatchlistsDatabase {
  const config = { schema, casing: 'snake_case', logger: countingLogger } as const;
  if (options.databaseUrl) {
    const pool = new Pool({ connectionString: options.databaseUrl, max: 5, connectionTimeoutMillis: 3_000 });
    // An idle client's error (a server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = drizzleNodePg(pool, config);
    return { db, migrate: () => migrateNodePg(db, MIGRATIONS), close: () => pool.end() };
  }
  if (!options.pgliteDir.startsWith('memory://')) mkdirSync(options.pgliteDir, { recursive: true });
  const client = new PGlite(options.pgliteDir);
  const db = drizzlePglite(client, config);
  return { db, migrate: () => migratePglite(db, MIGRATIONS), close: () => client.close() };
}
