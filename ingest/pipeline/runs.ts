/** The `ingest_runs` row of a run, its pages in `staging_raw`, and its watermark. */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import { type Db, selectRows } from '../../db/client';
import { jsonbText } from '../../db/jsonb';
import type { IngestRunCounts } from '../../db/schema';
import { isProcessAlive } from '../../lib/processes';
import type { RawPayload } from '../types';

/** How often a running run beats: its row's `heartbeat_at` moves this often, payloads or not. */
export const HEARTBEAT_INTERVAL_MS = 10_000;

/** A RUNNING run whose heartbeat is older than this was killed: no live run goes this long without one. */
const STALE_HEARTBEAT_MS = 6 * HEARTBEAT_INTERVAL_MS;

/**
 * A problem a run met. `warning`: it did not end the run and lost nothing (a request retried
 * and answered, a wait for tokens); the others are errors.
 */
export type RunError = { at: string; message: string; code?: string; warning?: true };

/** A live process of this host is trusted over its heartbeat only this long: pids get reused. */
const TRUSTED_PID_MS = 10 * 60_000;

/**
 * Marks dead RUNNING runs of every source ABANDONED and returns their ids: at once those whose
 * process is gone from this host, and any other whose heartbeat stopped, except that a live
 * process of this host is trusted for ten minutes of silence (a stalled event loop is not a
 * death). Heartbeats are written and compared by the database's clock, so hosts whose clocks
 * differ agree. Every ingest command and the worker call it when they start.
 */
export async function abandonDeadRuns(db: Db, now: Date): Promise<number[]> {
  const running = await selectRows<{ id: unknown; pid: unknown }>(
    db,
    sql`select id, pid from ingest_runs where status = 'RUNNING' and host = ${hostname()} and pid is not null`,
  );
  const gone: number[] = [];
  const alive: number[] = [];
  for (const run of running) (isProcessAlive(Number(run.pid)) ? alive : gone).push(Number(run.id));
  const silent = sql`heartbeat_at < now() - ${`${STALE_HEARTBEAT_MS} milliseconds`}::interval`;
  const lost = sql`heartbeat_at < now() - ${`${TRUSTED_PID_MS} milliseconds`}::interval`;
  const abandoned = await selectRows<{ id: unknown }>(
    db,
    sql`
    update ingest_runs set status = 'ABANDONED', finished_at = ${now.toISOString()}::timestamptz,
      errors = errors || jsonb_build_array(jsonb_build_object('at', ${now.toISOString()}::text, 'code', 'ABANDONED',
        'message', case when id = any(${sql.param(gone)}::int[]) then 'its process ended without finishing the run (killed or crashed)'
                        else 'no heartbeat since the run was killed or lost' end))
    where status = 'RUNNING' and (id = any(${sql.param(gone)}::int[])
      or (${silent} and (not id = any(${sql.param(alive)}::int[]) or ${lost})))
    returning id`,
  );
  return abandoned.map((row) => Number(row.id));
}

/** Moves a running run's heartbeat; called on a timer, so waits and long payloads keep it alive. */
export async function beat(db: Db, runId: number): Promise<void> {
  await db.execute(sql`update ingest_runs set heartbeat_at = now() where id = ${runId} and status = 'RUNNING'`);
}

const SECRET_KEY = /secret|token|password|passwd|api[-_]?key|authorization|credential|cookie/i;

/**
 * The run's options as stored in `ingest_runs.parameters`: keys that name secrets dropped at
 * any depth, everything else kept as JSON.
 * @example withoutSecrets({ query: 'iphone', apiKey: 'k' }) // { query: 'iphone' }
 */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, item]) => [key, withoutSecrets(item)]),
    );
  }
  return value;
}

export async function startRun(
  db: Db,
  run: { source: string; scope?: string; parameters: unknown },
  now: Date,
): Promise<number> {
  const { source, parameters } = run;
  const stored = withoutSecrets(parameters);
  const json = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : { value: stored ?? null };
  const [started] = await selectRows<{ id: unknown }>(
    db,
    sql`
    insert into ingest_runs (source, scope, parameters, started_at, heartbeat_at, pid, host)
    values (${source}, ${run.scope ?? null}, ${JSON.stringify(json)}::jsonb, ${now.toISOString()}::timestamptz, now(), ${process.pid}, ${hostname()})
    returning id`,
  );
  return Number(started?.id);
}

export async function readWatermark(db: Db, source: string, scope: string): Promise<string | undefined> {
  const [mark] = await selectRows<{ value: unknown }>(
    db,
    sql`select value from ingest_watermarks where source = ${source} and scope = ${scope}`,
  );
  const value = mark?.value;
  return typeof value === 'string' ? value : undefined;
}

/**
 * What makes two payloads the same: the request and the body, but not when it was fetched
 * (`request.fetchedAt`), so an identical answer fetched again is stored once. A body alone is
 * not enough: the same file chunk imported with another `--map` must replay with that mapping.
 */
function payloadChecksum(payload: RawPayload): string {
  const { fetchedAt: _when, ...request } = payload.request;
  return createHash('sha256').update(JSON.stringify(request)).update('\n').update(payload.body).digest('hex');
}

/** The payload's fetch time as its request states it, or null. */
function fetchedAtOf(payload: RawPayload): string | null {
  const at = payload.request.fetchedAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : null;
}

/**
 * Stores a payload (once per source and checksum) and links it as page `page` of the run, in
 * one statement. Returns the staging_raw id.
 */
export async function storeRaw(
  db: Db,
  source: string,
  runId: number,
  page: number,
  payload: RawPayload,
  now: Date,
): Promise<number> {
  const checksum = payloadChecksum(payload);
  const [stored] = await selectRows<{ id: unknown }>(
    db,
    sql`
    with ins as (
      insert into staging_raw (source, endpoint, request, status, content_type, received_at, checksum, body, run_id)
      values (${source}, ${payload.endpoint}, ${JSON.stringify(payload.request)}::jsonb, ${payload.status},
              ${payload.contentType ?? null}, ${now.toISOString()}::timestamptz, ${checksum}, ${payload.body}, ${runId})
      on conflict (source, checksum) do nothing
      returning id),
    raw as (
      select id from ins
      union all
      select id from staging_raw where source = ${source} and checksum = ${checksum} and not exists (select 1 from ins)),
    page as (insert into ingest_run_pages (run_id, page, raw_id, fetched_at)
             select ${runId}, ${page}, id, ${fetchedAtOf(payload)}::timestamptz from raw)
    select id from raw`,
  );
  const id = stored?.id;
  if (id === undefined) throw new Error(`staging_raw: payload ${checksum} of ${source} was neither stored nor found`);
  return Number(id);
}

/** Links an already stored payload to a run (replay). */
export async function linkRaw(db: Db, runId: number, page: number, rawId: number): Promise<void> {
  await db.execute(sql`insert into ingest_run_pages (run_id, page, raw_id) values (${runId}, ${page}, ${rawId})`);
}

/**
 * After a payload's core transaction committed: the run's counts and heartbeat, and the
 * watermark when the payload moved it, in one statement.
 */
export async function recordProgress(
  db: Db,
  runId: number,
  counts: IngestRunCounts,
  now: Date,
  watermark?: { source: string; scope: string; value: string },
): Promise<void> {
  const advance = watermark
    ? sql`with mark as (
        insert into ingest_watermarks (source, scope, value, run_id, updated_at)
        values (${watermark.source}, ${watermark.scope}, ${watermark.value}, ${runId}, ${now.toISOString()}::timestamptz)
        on conflict (source, scope) do update set value = excluded.value, run_id = excluded.run_id, updated_at = excluded.updated_at)`
    : sql``;
  await db.execute(sql`
    ${advance}
    update ingest_runs set heartbeat_at = now(), pages = ${counts.pages}, fetched = ${counts.fetched},
      inserted = ${counts.inserted}, updated = ${counts.updated}, unchanged = ${counts.unchanged}, quarantined = ${counts.quarantined}
    where id = ${runId}`);
}

/**
 * Ends a run. Its errors are stored as jsonb; should that still fail, the run ends with the
 * reason it could not record them, so a run never stays RUNNING for want of its error text.
 */
export async function finishRun(
  db: Db,
  runId: number,
  status: 'SUCCEEDED' | 'FAILED',
  counts: IngestRunCounts,
  errors: RunError[],
  timings: Record<string, number>,
  now: Date,
): Promise<void> {
  const finish = (recorded: RunError[]) =>
    db.execute(sql`
    update ingest_runs set status = ${status}, finished_at = ${now.toISOString()}::timestamptz,
      heartbeat_at = now(), pages = ${counts.pages}, fetched = ${counts.fetched},
      inserted = ${counts.inserted}, updated = ${counts.updated}, unchanged = ${counts.unchanged},
      quarantined = ${counts.quarantined}, errors = ${jsonbText(recorded)}::jsonb, timings = ${JSON.stringify(timings)}::jsonb
    where id = ${runId}`);
  try {
    await finish(errors);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await finish([
      {
        at: now.toISOString(),
        code: 'RUN_ERRORS_UNRECORDED',
        message: `the run's errors could not be stored: ${reason}`,
      },
    ]);
  }
}
