/**
 * The core transaction of one payload, with a bulk loader into temporary staging tables:
 * COPY (pg-copy-streams) on PostgreSQL, one `insert ... select from unnest(...)` on PGlite (in this
 * process, or shared by the gateway).
 * Everything above this module writes the same SQL either way.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { bulkLoadPool, type Db, type Executor } from '../../db/client';
import * as schema from '../../db/schema';

/** Memory for one core transaction's sorts and hashes (a 50k-row batch needs ~20 MB). */
const CORE_WORK_MEM = '128MB';

/** A temporary table dropped at commit: its name and `[column, PostgreSQL type]` pairs. */
export type StageTable = { name: string; columns: readonly (readonly [string, string])[] };

/** A staged table's name as SQL, for the statements that merge from it. */
export function staged(table: StageTable): SQL {
  return sql`${sql.identifier(table.name)}`;
}

/** A staged cell: text, a number, a boolean or null; Dates go in as ISO strings. */
export type StageValue = string | number | boolean | null;

export type CoreTransaction = {
  tx: Executor;
  /** Creates `table` (once per transaction) and bulk-loads `rows`, each in column order. */
  stage(table: StageTable, rows: readonly StageValue[][]): Promise<void>;
};

function createStatement(table: StageTable): SQL {
  const columns = table.columns.map(([name, type]) => `${name} ${type}`).join(', ');
  return sql.raw(`create temp table if not exists ${table.name} (${columns}) on commit drop`);
}

/**
 * How many payload transactions a run keeps open at once. On PostgreSQL two: while one waits
 * on the network or on Node (building the next COPY, parsing the next payload), the other
 * keeps the server busy, and on a multi-core server both merge at once. Each holds a pool
 * connection, so pools are sized for it. PGlite has one connection and takes them in turn.
 */
export const CORE_TRANSACTIONS_IN_FLIGHT = 2;

export function transactionsInFlight(db: Db): number {
  return bulkLoadPool(db) ? CORE_TRANSACTIONS_IN_FLIGHT : 1;
}

/** deadlock_detected and serialization_failure: PostgreSQL rolled the transaction back whole. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

function isRetryable(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && 'code' in error && RETRYABLE.has(String(error.code)));
}

/**
 * Runs `work` in one transaction and commits it; rolls back and rethrows on failure. Parallel
 * payloads that share rows (the same sale in two payloads) can deadlock; PostgreSQL then
 * aborts one, which is run again from the start (at most three attempts).
 * @example await withCoreTransaction(db, async ({ tx, stage }) => { await stage(t, rows); ... });
 */
export async function withCoreTransaction<T>(db: Db, work: (core: CoreTransaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runCoreTransaction(db, work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

async function runCoreTransaction<T>(db: Db, work: (core: CoreTransaction) => Promise<T>): Promise<T> {
  const pool = bulkLoadPool(db);
  if (!pool) {
    return db.transaction((tx) =>
      work({
        tx,
        async stage(table, rows) {
          await tx.execute(createStatement(table));
          if (rows.length === 0) return;
          const columns = table.columns.map(([name]) => name).join(', ');
          const arrays = sql.join(
            table.columns.map(
              ([, type], i) => sql`${sql.param(rows.map((row) => row[i] ?? null))}::${sql.raw(type)}[]`,
            ),
            sql`, `,
          );
          await tx.execute(
            sql`insert into ${sql.raw(table.name)} (${sql.raw(columns)}) select * from unnest(${arrays})`,
          );
        },
      }),
    );
  }
  const client = await pool.connect();
  const tx = drizzleNodePg(client, { schema, casing: 'snake_case' });
  let broken = false;
  try {
    await client.query('begin');
    // Staged batches are sorted and hashed in memory rather than spilled to disk.
    await client.query(`set local work_mem = '${CORE_WORK_MEM}'`);
    // Core's statements are short and planned once; JIT compiling them cost more than they
    // take (a third of a second per 50k-row payload, measured), above all once enable_seqscan
    // is off and every cost looks huge.
    await client.query('set local jit = off');
    const result = await work({
      tx,
      async stage(table, rows) {
        await tx.execute(createStatement(table));
        if (rows.length > 0) await copyRows(client, table, rows);
      },
    });
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    // A connection that cannot even roll back is dropped, not handed to the next caller.
    client.release(broken);
  }
}

async function copyRows(client: PoolClient, table: StageTable, rows: readonly StageValue[][]): Promise<void> {
  const columns = table.columns.map(([name]) => name).join(', ');
  const stream = client.query(copyFrom(`copy ${table.name} (${columns}) from stdin`));
  await pipeline(Readable.from(copyText(rows)), stream);
}

/** COPY's text format, a few thousand rows per chunk written. */
function* copyText(rows: readonly StageValue[][]): Generator<string> {
  let buffer = '';
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] ?? [];
    let line = '';
    for (let j = 0; j < row.length; j += 1) {
      if (j > 0) line += '\t';
      line += copyCell(row[j] ?? null);
    }
    buffer += `${line}\n`;
    if (buffer.length > 65_536) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

function copyCell(value: StageValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c) : value;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
