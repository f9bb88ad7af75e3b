/**
 * Rebuilds core from `staging_raw`: re-parses stored payloads with their source's parser and
 * runs them through the same validation and upserts as a live run, under a run of its own
 * (source `replay`). Nothing is fetched and no watermark moves.
 */
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/client';
import type { ParsedPayload, RawPayload } from '../types';
import { executeRun, type IngestDeps, type RunOptions, type RunSummary } from './run';

/** One run's payloads in their order, or every payload received in [from, to). */
export type ReplaySelection = { runId: number } | { from: Date; to: Date };

/** The parser for payloads of a source name, or undefined when no such source is registered. */
export type ParserLookup = (source: string) => ((payload: RawPayload) => ParsedPayload) | undefined;

type RawRow = {
  id: unknown;
  source: unknown;
  endpoint: unknown;
  request: unknown;
  status: unknown;
  content_type: unknown;
  body: unknown;
};

/** Page size of the read from staging_raw, so a long range is never held in memory at once. */
const READ_BATCH = 50;

/**
 * Replays the selection; payloads of unregistered sources end the run FAILED.
 * @example await replay({ db, cache }, { runId: 12 }, (name) => sources[name]?.parser(env));
 */
export function replay(
  deps: IngestDeps,
  selection: ReplaySelection,
  parserFor: ParserLookup,
  run?: RunOptions,
): Promise<RunSummary> {
  const parameters =
    'runId' in selection
      ? { run: selection.runId }
      : { from: selection.from.toISOString(), to: selection.to.toISOString() };
  return executeRun(
    deps,
    {
      source: 'replay',
      parameters,
      async *pages() {
        let after = -1;
        for (;;) {
          const where =
            'runId' in selection
              ? sql`from ingest_run_pages p join staging_raw r on r.id = p.raw_id
                  where p.run_id = ${selection.runId} and p.page > ${after} order by p.page`
              : sql`from staging_raw r where r.received_at >= ${selection.from.toISOString()}::timestamptz
                  and r.received_at < ${selection.to.toISOString()}::timestamptz and r.id > ${after} order by r.id`;
          // A run's own fetch time for each page: the stored request has the first fetch's only.
          const cursor =
            'runId' in selection ? sql`p.page as cursor, p.fetched_at` : sql`r.id as cursor, null as fetched_at`;
          const batch = await selectRows<RawRow & { cursor: unknown; fetched_at: unknown }>(
            deps.db,
            sql`select r.id, r.source, r.endpoint, r.request, r.status, r.content_type, r.body, ${cursor}
                ${where} limit ${READ_BATCH}`,
          );
          if (batch.length === 0) return;
          for (const row of batch) {
            const source = String(row.source);
            const parse = parserFor(source);
            if (!parse)
              throw Object.assign(
                new Error(`payload ${String(row.id)} is from source "${source}", which is not registered`),
                { code: 'UNKNOWN_SOURCE' },
              );
            const stored = typeof row.request === 'string' ? JSON.parse(row.request) : row.request;
            const request = stored && typeof stored === 'object' ? { ...stored } : {};
            if (row.fetched_at !== null && row.fetched_at !== undefined && 'fetchedAt' in request) {
              request.fetchedAt = new Date(row.fetched_at as string | Date).toISOString();
            }
            const payload: RawPayload = {
              endpoint: String(row.endpoint),
              request,
              status: Number(row.status),
              ...(typeof row.content_type === 'string' ? { contentType: row.content_type } : {}),
              body: String(row.body),
            };
            yield { payload, rawId: Number(row.id), source, parse };
            after = Number(row.cursor);
          }
        }
      },
    },
    run,
  );
}
