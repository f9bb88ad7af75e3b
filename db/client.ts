import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Pool } from 'pg';
import { statementCountingLogger } from './query-counter';
import * as schema from './schema';

/** The one Drizzle type every module above the driver uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Anything that can run a statement: the database or a transaction on it. */
export type Executor = Pick<Db, 'execute'>;

/**
 * Runs a raw statement and returns its rows. Both drivers answer `{ rows }`, but Drizzle
 * types `execute` per driver; this is the one place that says so.
 * @example const runs = await selectRows<{ id: number }>(db, sql`select id from ingest_runs`);
 */
export async function selectRows<Row = Record<string, unknown>>(executor: Executor, statement: SQL): Promise<Row[]> {
  const result = (await executor.execute(statement)) as unknown as { rows: Row[] };
  return result.rows;
}

/** A connected database plus the driver-specific chores (migrations, shutdown). */
export type Database = {
  db: Db;
  /** `postgres` for node-postgres with DATABASE_URL, `pglite` for the embedded default. */
  driver: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  databaseUrl?: string;
  pgliteDir: string;
  poolMax?: number;
  /** Called when an idle pooled connection fails (the server restarted, the network dropped). */
  onPoolError?: (error: Error) => void;
};

const migrationsFolder = path.join(__dirname, 'migrations');

/**
 * Opens PostgreSQL through node-postgres when `databaseUrl` is set, else an embedded PGlite
 * whose files live in `pgliteDir` (`memory://` for a throwaway database).
 * @example
 *   const database = openDatabase({ pgliteDir: 'memory://' });
 *   await database.migrate();
 */
export function openDatabase(options: DatabaseOptions): Database {
  const drizzleConfig = { schema, casing: 'snake_case', logger: statementCountingLogger } as const;

  if (options.databaseUrl) {
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax ?? 10,
      // Fail fast while the server is away instead of queueing requests for minutes.
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 30_000,
    });
    // Without a listener an idle client's error (server restart) would crash the process;
    // the pool drops that client and opens a fresh one on the next query.
    pool.on('error', (error) => options.onPoolError?.(error));
    const db = drizzleNodePg(pool, drizzleConfig);
    return {
      db,
      driver: 'postgres',
      migrate: () => migrateNodePg(db, { migrationsFolder }),
      close: () => pool.end(),
    };
  }

  const dataDir = options.pgliteDir;
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, drizzleConfig);
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * Round-trips `select 1` and reports how long it took; used by /health.
 * Rejects when the database cannot answer within `timeoutMs`.
 */
export async function pingDatabase(db: Db, timeoutMs = 2_000): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.execute(sql`select 1`), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}
