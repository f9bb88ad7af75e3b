import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';

type Tally = { statements: number };

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
export function trackStatements(work: () => void): Tally {
  const tally: Tally = { statements: 0 };
  scope.run(tally, work);
  return tally;
}

/** Statements issued so far in the current tracked context, or undefined outside one. */
export function currentStatementCount(): number | undefined {
  return scope.getStore()?.statements;
}
