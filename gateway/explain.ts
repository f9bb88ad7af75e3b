import type { Request } from 'express';
import type { StatementRecord } from '../db/query-counter';
import type { Role } from '../lib/roles';

/** The request header that asks for an explain in the answer: `x-explain: true`. */
export const EXPLAIN_HEADER = 'x-explain';

/** Who gets one: it shows the SQL the operation ran, which is for people tuning queries. */
const EXPLAIN_ROLES: readonly Role[] = ['analyst', 'operator', 'admin'];

/** `extensions.explain`: what the operation ran on the database, and for how long. */
export type Explain = {
  /** Every SQL statement, in the order it started, with its time in ms (waiting for a connection included). */
  statements: StatementRecord[];
  /** The tables they read or wrote, schema-qualified when not in the default schema. */
  tables: string[];
  /** The statements' times added up, and the whole execution's time, in ms. */
  sqlMs: number;
  executionMs: number;
};

/** Whether the request asks for an explain (`x-explain: true` or `1`). */
export function wantsExplain(request: Request): boolean {
  return /^(1|true)$/i.test(request.header(EXPLAIN_HEADER)?.trim() ?? '');
}

/** Whether `role` may see an explain; others get the answer without one. */
export function mayExplain(role: Role): boolean {
  return EXPLAIN_ROLES.includes(role);
}

// Drizzle quotes every table it names ("sales", "mart"."segment_metrics_monthly"); aliases,
// common table expressions and functions are not quoted, so they are not counted as tables.
const TABLE = /\b(?:from|join|into|update)\s+((?:"\w+"\.)?"\w+")/gi;

/** The explain of an operation from the statements its request logged. */
export function explainOf(log: readonly StatementRecord[], executionMs: number): Explain {
  const tables = new Set<string>();
  for (const { sql } of log) {
    for (const [, name = ''] of sql.matchAll(TABLE)) tables.add(name.replaceAll('"', ''));
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    statements: [...log],
    tables: [...tables].sort(),
    sqlMs: round(log.reduce((sum, statement) => sum + statement.ms, 0)),
    executionMs: round(executionMs),
  };
}
