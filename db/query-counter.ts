import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';

/** One SQL statement as an explain shows it: its text and how long it took, in ms. */
export type StatementRecord = { sql: string; ms: number };

/** `log`, when kept, holds each statement the drivers ran (an explain asks for it). */
type Tally = { statements: number; log?: StatementRecord[] };

const scope = new AsyncLocalStorage<Tally>();

/**
 * Drizzle logger that counts every SQL statement issued inside `countStatements`.
 * The count is how the "no N+1" bar is proven: tests and the gateway read it per request.
 */
export const statementCountingLogger: Logger = {
  logQuery() {
    const tally = scope.getStore();
    if (tally) tally.statements += 1;
  },
};

/**
 * Runs `work` and reports how many SQL statements it issued, including those of any
 * promise it started (the count follows async context, not a global).
 * @example
 *   const { result, statements } = await countStatements(() => server.executeOperation(op));
 */
export async function countStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const tally: Tally = { statements: 0 };
  const result = await scope.run(tally, work);
  return { result, statements: tally.statements };
}

/**
 * Runs `work` with a fresh tally that every statement it causes (synchronously or later in
 * its async context) adds to; returns the tally so the caller can read it at the end.
 * @example const tally = trackStatements(() => next()); res.on('finish', () => log(tally.statements));
 */
export function trackStatements(work: () => void, options: { log?: boolean } = {}): Tally {
  const tally: Tally = options.log ? { statements: 0, log: [] } : { statements: 0 };
  scope.run(tally, work);
  return tally;
}

/** Statements issued so far in the current tracked context, or undefined outside one. */
export function currentStatementCount(): number | undefined {
  return scope.getStore()?.statements;
}

/** The statements logged so far in the current tracked context, when it keeps a log. */
export function currentStatementLog(): readonly StatementRecord[] | undefined {
  return scope.getStore()?.log;
}

/**
 * Runs one statement on a driver and, when the current context keeps a log, records its text
 * and duration there. Without a log it only runs it.
 * @example pool.query = (config, values) => timedStatement(textOf(config), () => query(config, values));
 */
export function timedStatement<T>(sql: string, run: () => Promise<T>): Promise<T> {
  const log = scope.getStore()?.log;
  // Without a log the statement's own promise is returned: nothing is added to the hot path.
  if (!log) return run();
  // Listed when it starts, timed when it ends: the log keeps the order statements were sent in.
  const record: StatementRecord = { sql, ms: 0 };
  log.push(record);
  const started = performance.now();
  return run().finally(() => {
    record.ms = Math.round((performance.now() - started) * 100) / 100;
  });
}
