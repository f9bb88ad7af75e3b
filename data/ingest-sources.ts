import { and, asc, eq, inArray, isNotNull, max, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { type IngestRunRow, type IngestWatermarkRow, ingestRuns, ingestWatermarks } from '../db/schema';
import { columnsOf, groupByKey } from './batch';

/** A source's freshness: its latest run and when it last succeeded. */
export type IngestSourceValue = { source: string; lastRun: IngestRunRow; lastSuccessfulRunAt: Date | null };

/** The freshness of one scope of a source: its latest run and when it last succeeded. */
export type IngestScopeValue = IngestSourceValue & { scope: string };

/**
 * The latest run (by start) of each group of runs, with the end of the group's latest
 * successful run. `scoped`: groups by source and scope, of `sources` only (runs without a scope
 * left out); else by source.
 */
async function latestRuns(db: Db, scoped?: { sources: readonly string[] }) {
  const groups = scoped ? [ingestRuns.source, ingestRuns.scope] : [ingestRuns.source];
  const latest = db
    .selectDistinctOn(groups)
    .from(ingestRuns)
    .where(scoped ? and(inArray(ingestRuns.source, [...scoped.sources]), isNotNull(ingestRuns.scope)) : undefined)
    .orderBy(...groups.map((column) => asc(column)), sql`${ingestRuns.startedAt} desc`, sql`${ingestRuns.id} desc`)
    .as('latest');
  const succeeded = alias(ingestRuns, 'succeeded');
  const sameGroup = scoped
    ? and(eq(succeeded.source, latest.source), eq(succeeded.scope, latest.scope))
    : eq(succeeded.source, latest.source);
  const rows = await db
    .select({
      ...columnsOf(latest, ingestRuns),
      lastSuccessfulRunAt: sql<Date | null>`(${db
        .select({ at: max(succeeded.finishedAt) })
        .from(succeeded)
        .where(and(sameGroup, eq(succeeded.status, 'SUCCEEDED')))})`.mapWith(ingestRuns.finishedAt),
    })
    .from(latest)
    .orderBy(asc(latest.source), asc(latest.scope));
  return rows.map(({ lastSuccessfulRunAt, ...run }) => ({ source: run.source, lastRun: run, lastSuccessfulRunAt }));
}

/**
 * Every source that has run, by name, with its latest run (by start) and the end of its
 * latest successful run, in one statement over ingest_runs_source_started_idx.
 */
export function findIngestSources(db: Db): Promise<IngestSourceValue[]> {
  return latestRuns(db);
}

/**
 * Batch function for `scopesBySource`: each source's scopes by name, each with its own latest
 * run and last success, in one statement over ingest_runs_source_scope_started_idx.
 */
export async function scopesForSources(db: Db, sources: readonly string[]): Promise<IngestScopeValue[][]> {
  const rows = await latestRuns(db, { sources });
  const scopes = rows.map((row) => ({ ...row, scope: row.lastRun.scope ?? '' }));
  return groupByKey(sources, scopes, (row) => row.source);
}

/** Batch function for `watermarksBySource`: each source's watermarks by scope, in one statement. */
export async function watermarksForSources(db: Db, sources: readonly string[]): Promise<IngestWatermarkRow[][]> {
  const rows = await db
    .select()
    .from(ingestWatermarks)
    .where(inArray(ingestWatermarks.source, [...sources]))
    .orderBy(asc(ingestWatermarks.scope));
  return groupByKey(sources, rows, (row) => row.source);
}
