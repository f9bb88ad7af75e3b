import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type IngestQuarantineRow, ingestQuarantine, type IngestRunRow, ingestRuns } from '../db/schema';
import { findPage, after, orderBy, type Page, type PageArgs, type SortKey } from './pagination';
import { byKey, columnsOf, groupByKey } from './batch';
import type { IngestRunStatus } from './types';

/** Which runs a listing covers, validated. */
export type IngestRunFilter = { sources?: string[]; scopes?: string[]; statuses?: IngestRunStatus[] };

export type IngestRunListArgs = PageArgs<IngestRunRow> & { filter: IngestRunFilter };

/** Runs are listed newest first; the id breaks ties between runs started in the same millisecond. */
export const ingestRunSortKey: SortKey<IngestRunRow> = {
  tag: 'ingestRuns:STARTED_AT:DESC',
  column: ingestRuns.startedAt,
  id: ingestRuns.id,
  direction: 'DESC',
  kind: 'timestamptz',
  valueOf: (row) => row.startedAt.toISOString(),
};

/** A run's quarantine is listed in the order records were set aside. */
export const quarantineSortKey: SortKey<IngestQuarantineRow> = {
  tag: 'quarantine:ID:ASC',
  column: ingestQuarantine.id,
  id: ingestQuarantine.id,
  direction: 'ASC',
  kind: 'integer',
  valueOf: (row) => row.id,
};

function runConditions(filter: IngestRunFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.sources) conditions.push(inArray(ingestRuns.source, filter.sources));
  if (filter.statuses) conditions.push(inArray(ingestRuns.status, filter.statuses));
  if (filter.scopes) conditions.push(inArray(ingestRuns.scope, filter.scopes));
  return conditions;
}

/** One page of runs matching a filter, newest first: one statement, plus one for totalCount if read. */
export function findIngestRuns(db: Db, { filter, ...page }: IngestRunListArgs): Promise<Page<IngestRunRow>> {
  return findPage(db, ingestRuns, runConditions(filter), page);
}

/** Batch function for `ingestRunById`. */
export async function ingestRunsByIds(db: Db, ids: readonly number[]): Promise<(IngestRunRow | null)[]> {
  const rows = await db
    .select()
    .from(ingestRuns)
    .where(inArray(ingestRuns.id, [...ids]));
  return byKey(ids, rows, (row) => row.id);
}

/** What `IngestRun.quarantine(first, after)` asks of every run on a page. */
export type QuarantinePageArgs = Omit<PageArgs<IngestQuarantineRow>, 'sort'>;

/**
 * Up to `first + 1` quarantined records of each run (the extra one proves a next page),
 * for all runs in one statement: a LATERAL subquery per run walks ingest_quarantine_run_id_idx.
 */
export async function quarantineForRuns(
  db: Db,
  runIds: readonly number[],
  args: QuarantinePageArgs,
): Promise<IngestQuarantineRow[][]> {
  const page = db
    .select()
    .from(ingestQuarantine)
    .where(
      and(eq(ingestQuarantine.runId, ingestRuns.id), args.afterCursor && after(quarantineSortKey, args.afterCursor)),
    )
    .orderBy(...orderBy(quarantineSortKey))
    .limit(args.first + 1)
    .as('page');
  const rows = await db
    .select(columnsOf(page, ingestQuarantine))
    .from(ingestRuns)
    .innerJoinLateral(page, sql`true`)
    .where(inArray(ingestRuns.id, [...runIds]))
    .orderBy(asc(page.id));
  return groupByKey(runIds, rows, (row) => row.runId);
}

/** How many records each run quarantined, in one grouped statement. */
export async function quarantineCountsForRuns(db: Db, runIds: readonly number[]): Promise<number[]> {
  const rows = await db
    .select({ runId: ingestQuarantine.runId, n: count() })
    .from(ingestQuarantine)
    .where(inArray(ingestQuarantine.runId, [...runIds]))
    .groupBy(ingestQuarantine.runId);
  return groupByKey(runIds, rows, (row) => row.runId).map((group) => group[0]?.n ?? 0);
}
