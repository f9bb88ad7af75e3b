import { PGlite } from '@electric-sql/pglite';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'pg';
import { statementCountingLogger, timedStatement } from './query-counter';
import { runScoped, StatementsStoppedError } from './statement-scope';
import { createReplicaSet, type ReplayPosition, type ReplicaHealth, type ReplicaSet } from './replicas';
import { isDatabaseUnavailable, rootCause } from './errors';
import { advertisedServer, advertiseServer, lockDataDir } from './data-dir-lock';
import { type EmbeddedServer, serveEmbedded } from './embedded-server';
import { maintainPartitions } from './partitions';
import * as schema from './schema';
import { projectPath } from '../lib/paths';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** The one Drizzle type every module above the driver uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Anything that can run a statement: the database or a transaction on it. */
export type Executor = Pick<Db, 'execute'>;

/** How Drizzle names columns in SQL: the schema's camelCase keys as snake_case. */
export const DB_CASING = 'snake_case';

/**
 * Runs a raw statement and returns its rows. Both drivers answer `{ rows }`, but Drizzle
 * types `execute` per driver; this is the one place that says so.
 * @example const runs = await selectRows<{ id: number }>(db, sql`select id from ingest_runs`);
 */
export async function selectRows<Row = Record<string, unknown>>(executor: Executor, statement: SQL): Promise<Row[]> {
  const result = (await executor.execute(statement)) as unknown as { rows: Row[] };
  return result.rows;
}

/** How busy the connection pool is, for /health and metrics. */
export type PoolUsage = { max: number; open: number; inUse: number; waiting: number };

/** A connected database plus the driver-specific chores (migrations, shutdown). */
export type Database = {
  db: Db;
  /**
   * `postgres` for node-postgres (DATABASE_URL, or the embedded database shared by the gateway
   * that owns it), `pglite` for the embedded default opened in this process.
   */
  driver: 'postgres' | 'pglite';
  /** Where the data lives, for messages: "PostgreSQL (DATABASE_URL)", "PGlite (.data/pglite)"... */
  location: string;
  /** Connections open, busy and awaited right now. */
  poolUsage(): PoolUsage;
  /**
   * Round-trips `select 1` and reports how long it took, for /health. On PostgreSQL it goes
   * over a connection of its own, so a saturated pool does not look like a database that is
   * down; rejects when no answer comes within `timeoutMs`.
   */
  ping(timeoutMs?: number): Promise<number>;
  /** Read replicas of a PostgreSQL primary (`readUrls`), each with a Drizzle handle of its own; absent without any. */
  replicas?: ReplicaSet<Db>;
  /** Applies pending migrations, then makes the history tables' partitions due (db/partitions.ts). */
  migrate(): Promise<void>;
  /**
   * Runs `work` (migrations, the demo seed) while holding the start-up lock, so processes that
   * start together on one PostgreSQL database take turns: a second one finds the first one's
   * migrations applied and its seed committed. The lock is an advisory lock held by a
   * connection of its own, gone with that connection if the process dies. PGlite has one
   * process: there, `work` just runs. `onWait` is told once if another process holds the lock;
   * `signal` stops the wait.
   */
  exclusively<T>(work: () => Promise<T>, wait?: { signal?: AbortSignal; onWait?: () => void }): Promise<T>;
  /**
   * The embedded database in a directory, opened here: serves it to other processes of this host
   * over PostgreSQL's wire protocol (db/embedded-server.ts) until `close`, and tells them where in
   * its directory. `onCacheMessage` hears the cache messages they send (`publishToOwner`).
   * Resolves to the URL.
   */
  share?(options: { host?: string; port?: number; onCacheMessage(message: string): void }): Promise<string>;
  /**
   * On a process using the embedded database that another process shares: sends a cache message
   * (a purge) to that owner, whose cache lives in its memory.
   */
  publishToOwner?(message: string): Promise<void>;
  close(): Promise<void>;
};

/** The NOTIFY channel that carries cache messages to the owner of a shared embedded database. */
const OWNER_CACHE_CHANNEL = 'soldgraph_cache';

// Pools onto an embedded database shared by its owner: one backend, so no COPY FROM STDIN and
// no transactions side by side.
const sharedEmbeddedPools = new WeakSet<Pool>();

/**
 * The pool behind `db` when it reaches a PostgreSQL server that loads with COPY and runs
 * transactions side by side; undefined for PGlite, in this process or shared by another.
 */
export function bulkLoadPool(db: Db): Pool | undefined {
  if (!('$client' in db) || !(db.$client instanceof Pool)) return undefined;
  return sharedEmbeddedPools.has(db.$client) ? undefined : db.$client;
}

/** The advisory lock key of start-up (any constant: it names this one lock in the database). */
const START_UP_LOCK = 7_461_202_611;

export type DatabaseOptions = {
  databaseUrl?: string;
  pgliteDir: string;
  poolMax?: number;
  /** Called when an idle pooled connection fails (the server restarted, the network dropped). */
  onPoolError?: (error: Error) => void;
  /**
   * PostgreSQL's statement_timeout for every connection of the pool, as a backstop; unset means
   * none (the CLIs: a large seed or mart rebuild may run for minutes). Requests have deadlines
   * of their own (see db/statement-scope.ts).
   */
  statementTimeoutMs?: number;
  /**
   * Streaming standbys of `databaseUrl` to read from (docs/replicas.md), each with a pool of
   * `poolMax`. Only the gateway passes them: the CLIs and the worker write, and read the primary.
   */
  readUrls?: string[];
  /** A replica further behind than this is not read from (10 s). */
  replicaMaxLagSeconds?: number;
  /** How often each replica's lag is measured (1,000 ms). */
  replicaProbeMs?: number;
  /** Called when a replica goes down, falls behind or comes back. */
  onReplicaChange?: (health: ReplicaHealth, previous: ReplicaHealth) => void;
};

/**
 * Puts the pool's plain statements (Drizzle's reads outside transactions) under the caller's
 * statement scope: admitted by its bulkhead, and cancelled on the server with
 * pg_cancel_backend when the scope stops mid-statement. The connection is handed back only
 * after the cancel was delivered, so it cannot reach the connection's next user.
 */
function scopePoolStatements(pool: Pool, side: SidePool): void {
  // A connection of its own: the request's pool may be exhausted.
  const cancel = async (processId: number) => {
    await side.query('select pg_cancel_backend($1)', [processId]);
  };
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((config: unknown, values?: unknown) =>
    timedStatement(statementText(config), () =>
      runScoped(async (signal) => {
        if (!signal) return query(config, values);
        const client = await pool.connect();
        let cancelling: Promise<void> | undefined;
        const stop = () => {
          cancelling = cancel((client as unknown as { processID: number }).processID).catch(() => undefined);
        };
        signal.addEventListener('abort', stop, { once: true });
        try {
          return await (client.query as (...args: unknown[]) => Promise<unknown>)(config, values);
        } finally {
          signal.removeEventListener('abort', stop);
          await cancelling;
          client.release();
        }
      }),
    )) as Pool['query'];
}

/** The SQL of a node-postgres query config: the text itself, or a config's `text`. */
function statementText(config: unknown): string {
  if (typeof config === 'string') return config;
  return String((config as { text?: unknown } | null)?.text ?? '');
}

/** Two connections beside the pool, opened on first use: for cancels, health pings and lag probes. */
type SidePool = {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
};

function sidePool(connectionString: string): SidePool {
  let side: Pool | undefined;
  return {
    query(text, values) {
      if (!side) {
        // Pings, cancels and lag probes are quick: one stuck on a silent network gives up
        // rather than holding one of the two connections.
        side = new Pool({
          connectionString,
          max: 2,
          connectionTimeoutMillis: 3_000,
          query_timeout: 5_000,
          keepAlive: true,
        });
        side.on('error', () => undefined);
      }
      return side.query(text, values);
    },
    end: async () => {
      await side?.end();
    },
  };
}

/** `work`'s result, or a rejection when it takes longer than `timeoutMs`. */
async function within<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Times `work`, rejecting when it takes longer than `timeoutMs`. */
async function timed(work: Promise<unknown>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await within(work, timeoutMs);
  return performance.now() - started;
}

type PoolOptions = Pick<DatabaseOptions, 'poolMax' | 'onPoolError' | 'statementTimeoutMs'>;

/**
 * A node-postgres pool for `connectionString` whose statements run under the caller's
 * statement scope, with its side connections.
 */
function scopedPool(connectionString: string, options: PoolOptions): { pool: Pool; side: SidePool } {
  const pool = new Pool({
    ...withGenericPlans(connectionString),
    max: options.poolMax ?? 10,
    // Fail fast while the server is away instead of queueing requests for minutes.
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // Without a listener an idle client's error (server restart) would crash the process;
  // the pool drops that client and opens a fresh one on the next query.
  pool.on('error', (error) => options.onPoolError?.(error));
  // The pool listens only while a client is idle. A connection that dies while checked out
  // (between the statements of a transaction, or of a scoped read) would emit an error
  // nobody hears, and crash the process: its statements fail on their own, and the pool
  // drops the client when it comes back (it is no longer queryable).
  pool.on('connect', (client) => client.on('error', (error) => options.onPoolError?.(error)));
  const side = sidePool(connectionString);
  scopePoolStatements(pool, side);
  return { pool, side };
}

/**
 * The pool's connection settings with `plan_cache_mode = force_generic_plan` added to the
 * startup options (after any the URL gives: node-postgres lets the URL's replace the config's).
 * The fixed-shape statements are named (data/prepared.ts): each connection then plans each once,
 * and the plan prunes the history partitions when it runs instead of weighing every partition
 * on every call. One-off statements are unnamed and planned as before.
 */
function withGenericPlans(connectionString: string): { connectionString: string; options: string } {
  const url = new URL(connectionString);
  const options = [url.searchParams.get('options'), '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' ');
  url.searchParams.delete('options');
  return { connectionString: url.toString(), options };
}

/** Every Drizzle handle's settings: the schema, snake_case columns, and the statement count. */
const drizzleConfig = { schema, casing: DB_CASING, logger: statementCountingLogger } as const;

const poolUsageOf = (pool: Pool, max: number): PoolUsage => ({
  max,
  open: pool.totalCount,
  inUse: pool.totalCount - pool.idleCount,
  waiting: pool.waitingCount,
});

/** SQLSTATE 40001 on a standby: a statement cancelled because replay needed what it held. */
const RECOVERY_CONFLICT = '40001';

/**
 * Runs a replica's statements on the primary when the replica cannot take them (unreachable,
 * shut down, or cancelling for replay), so a replica that fails between two probes fails no
 * request; `onUnavailable` takes it out of rotation. A statement stopped by its request's
 * deadline is not retried. Drizzle's logger counts each statement once, before either runs.
 */
function fallBackToPrimary(replica: Pool, primary: Pool, onUnavailable: (error: unknown) => void): void {
  const query = replica.query.bind(replica) as (...args: unknown[]) => Promise<unknown>;
  const onPrimary = primary.query.bind(primary) as (...args: unknown[]) => Promise<unknown>;
  replica.query = (async (config: unknown, values?: unknown) => {
    try {
      return await query(config, values);
    } catch (error) {
      const cause = rootCause(error);
      const conflict = (cause as { code?: unknown } | null)?.code === RECOVERY_CONFLICT;
      if (error instanceof StatementsStoppedError || !(isDatabaseUnavailable(cause) || conflict)) throw error;
      onUnavailable(cause);
      return onPrimary(config, values);
    }
  }) as Pool['query'];
}

/** Where a standby's replay stands, from its side connection. */
async function replayPositionOf(side: SidePool): Promise<ReplayPosition> {
  const { rows } = await side.query(
    `select pg_is_in_recovery() as "inRecovery", pg_last_wal_replay_lsn()::text as "replayLsn",
            case when pg_is_in_recovery() then pg_is_wal_replay_paused() end as paused`,
  );
  const row = rows[0] as ReplayPosition | undefined;
  if (!row) throw new Error('the replica returned no replay position');
  return row;
}

/** Replicas of the primary `pool`, named `replica-1`, `replica-2`, ... in the order of `urls`. */
function openReplicas(urls: string[], primary: { pool: Pool; side: SidePool }, options: DatabaseOptions) {
  const opened = urls.map((url, index) => {
    const name = `replica-${index + 1}`;
    const { pool, side } = scopedPool(url, options);
    fallBackToPrimary(pool, primary.pool, (error) => replicas.markDown(name, error));
    return { name, pool, side, db: drizzleNodePg(pool, drizzleConfig) as Db };
  });
  const replicas = createReplicaSet<Db>(
    opened.map(({ name, db, side }) => ({
      name,
      handle: db,
      replayPosition: () => within(replayPositionOf(side), 2_000),
    })),
    {
      primaryPosition: async () => {
        const { rows } = await within(primary.side.query('select pg_current_wal_lsn()::text as lsn'), 2_000);
        return String(rows[0]?.lsn);
      },
      maxLagSeconds: options.replicaMaxLagSeconds ?? 10,
      probeIntervalMs: options.replicaProbeMs ?? 1_000,
      onChange: options.onReplicaChange,
    },
  );
  return {
    replicas,
    async close() {
      await replicas.close();
      await Promise.all(opened.map(async ({ pool, side }) => Promise.all([side.end(), pool.end()])));
    },
  };
}

const migrationsFolder = projectPath('db', 'migrations');

/**
 * Opens PostgreSQL through node-postgres when `databaseUrl` is set, else an embedded PGlite
 * whose files live in `pgliteDir` (`memory://` for a throwaway database).
 * @example
 *   const database = openDatabase({ pgliteDir: 'memory://' });
 *   await database.migrate();
 */
export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);

  if (options.readUrls?.length) {
    throw new Error(
      'read replicas (DATABASE_READ_URL) need PostgreSQL (DATABASE_URL): the embedded database has no replicas',
    );
  }
  const dataDir = options.pgliteDir;
  const persistent = !dataDir.startsWith('memory://');
  const shared = persistent ? advertisedServer(dataDir) : undefined;
  if (shared) return openSharedEmbedded(shared, dataDir, options);
  return openPglite(dataDir, persistent);
}

/** node-postgres on `url`: a pool, its side connections, and read replicas when given. */
function openPostgres(url: string, options: DatabaseOptions, sharedEmbedded = false): Database {
  const primary = scopedPool(url, options);
  if (sharedEmbedded) sharedEmbeddedPools.add(primary.pool);
  const db = drizzleNodePg(primary.pool, drizzleConfig);
  const reads = options.readUrls?.length ? openReplicas(options.readUrls, primary, options) : undefined;
  return {
    db,
    driver: 'postgres',
    location: 'PostgreSQL (DATABASE_URL)',
    poolUsage: () => poolUsageOf(primary.pool, options.poolMax ?? 10),
    ping: (timeoutMs = 2_000) => timed(primary.side.query('select 1'), timeoutMs),
    replicas: reads?.replicas,
    async migrate() {
      await migrateNodePg(db, { migrationsFolder });
      await db.execute(maintainPartitions());
    },
    async exclusively(work, wait) {
      const holder = new Client({
        connectionString: url,
        connectionTimeoutMillis: 3_000,
        // A holder whose host vanished is noticed in seconds, not after TCP's two hours.
        keepAlive: true,
      });
      // A connection lost meanwhile fails the work's own statements; without a listener
      // its 'error' event would end the process.
      holder.on('error', (error) => options.onPoolError?.(error));
      await holder.connect();
      try {
        // Tried, not waited for in the server: a wait must hear the abort signal.
        for (let told = false; ;) {
          const { rows } = await holder.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [
            START_UP_LOCK,
          ]);
          if (rows[0]?.locked) break;
          if (!told) wait?.onWait?.();
          told = true;
          await sleep(250, undefined, { signal: wait?.signal });
        }
        return await work();
      } finally {
        // Ending the session releases the lock, also when unlocking would fail.
        await holder.end().catch(() => undefined);
      }
    },
    async close() {
      await reads?.close();
      await primary.side.end();
      await primary.pool.end();
    },
  };
}

/**
 * The embedded database in `dataDir` through the process that owns it (the gateway), at `url`.
 * Its one backend runs one connection's transaction at a time, so the start-up lock of
 * PostgreSQL is not needed (nor would an advisory lock of a shared backend be one).
 */
function openSharedEmbedded(url: string, dataDir: string, options: DatabaseOptions): Database {
  const database = openPostgres(url, { ...options, readUrls: undefined }, true);
  return {
    ...database,
    location: `PGlite (${dataDir}, shared by the process that owns it)`,
    exclusively: (work) => work(),
    async publishToOwner(message) {
      await database.db.execute(sql`select pg_notify(${OWNER_CACHE_CHANNEL}, ${message})`);
    },
  };
}

/** PGlite in this process, its directory locked against other processes. */
function openPglite(dataDir: string, persistent: boolean): Database {
  const release = persistent ? lockDataDir(dataDir) : () => undefined;
  // The search extensions (migration 0012) must be loaded into PGlite's build before use.
  const client = new PGlite(dataDir, { extensions: { unaccent, pg_trgm } });
  // PGlite runs one statement at a time in this process and cannot cancel one midway: a
  // stopped scope stops waiting for its statement (which finishes unseen) and its later
  // statements are refused; the bulkhead still admits them.
  const query = client.query.bind(client);
  let running = 0;
  client.query = ((...args: Parameters<PGlite['query']>) =>
    runScoped(async (signal) => {
      running += 1;
      const statement = timedStatement(args[0], () => traced(args[0], () => query(...args))).finally(() => {
        running -= 1;
      });
      if (!signal) return statement;
      statement.catch(() => undefined);
      return Promise.race([statement, abortion(signal)]);
    })) as PGlite['query'];
  const db = drizzlePglite(client, drizzleConfig);
  let server: EmbeddedServer | undefined;
  let withdraw = () => undefined as void;
  return {
    db,
    driver: 'pglite',
    location: `PGlite (${dataDir})`,
    poolUsage: () => ({ max: 1, open: 1, inUse: Math.min(running, 1), waiting: Math.max(running - 1, 0) }),
    ping: (timeoutMs = 2_000) => timed(query('select 1'), timeoutMs),
    async migrate() {
      await migratePglite(db, { migrationsFolder });
      await db.execute(maintainPartitions());
    },
    exclusively: (work) => work(),
    ...(persistent && {
      async share({ host, port, onCacheMessage }) {
        await client.exec(`listen ${OWNER_CACHE_CHANNEL}`);
        server = await serveEmbedded(client, {
          host,
          port,
          onNotification: (channel, payload) => {
            if (channel === OWNER_CACHE_CHANNEL) onCacheMessage(payload);
          },
        });
        withdraw = advertiseServer(dataDir, server.url);
        return server.url;
      },
    }),
    async close() {
      try {
        withdraw();
        await server?.close();
        await client.close();
      } finally {
        release();
      }
    },
  };
}

const tracer = trace.getTracer('soldgraph-db');

/**
 * One client span per PGlite statement, shaped as instrumentation-pg shapes node-postgres's, so
 * a trace reads the same on either database. Without a tracer provider (tracing off) this is
 * OpenTelemetry's no-op and costs nothing.
 */
function traced<T>(text: string, run: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    'pglite.query',
    {
      kind: SpanKind.CLIENT,
      attributes: { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL, [ATTR_DB_QUERY_TEXT]: text },
    },
    async (span) => {
      try {
        return await run();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A promise that rejects with the signal's reason once it aborts. */
function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
