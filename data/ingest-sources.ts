import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { type IngestRunRow, type IngestWatermarkRow, ingestRuns, ingestWatermarks } from '../db/schema';
import { columnsOf, groupByKey } from './batch';

/** A source's freshness: its latest run and when it last succeeded. */
export type IngestSourceValue = { source: string; lastRun: IngestRunRow; lastSuccessfulRunAt: Date | null };

/**
 * Every source that has run, by name, with its latest run (by start) and the end of its
 * latest successful run, in one statement over ingest_runs_source_started_idx.
 */
export async function findIngestSources(db: Db): Promise<IngestSourceValue[]> {
  const latest = db
    .selectDistinctOn([ingestRuns.source])
    .from(ingestRuns)
    .orderBy(asc(ingestRuns.source), sql`${ingestRuns.startedAt} desc`, sql`${ingestRuns.id} desc`)
    .as('latest');
  const succeeded = alias(ingestRuns, 'succeeded');
  const rows = await db
    .select({
      ...columnsOf(latest, ingestRuns),
      lastSuccessfulRunAt: sql<Date | null>`(${db
        .select({ at: max(succeeded.finishedAt) })
        .from(succeeded)
        .where(and(eq(succeeded.source, latest.source), eq(succeeded.status, 'SUCCEEDED')))})`.mapWith(
        ingestRuns.finishedAt,
      ),
    })
    .from(latest)
    .orderBy(asc(latest.source));
  return rows.map(({ lastSuccessfulRunAt, ...run }) => ({ source: run.source, lastRun: run, lastSuccessfulRunAt }));
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
