/**
 * One ingestion run: raw -> core -> mart -> caches, recorded in `ingest_runs`.
 *
 * Every payload is stored in `staging_raw` before it is parsed; each payload's core rows and
 * quarantine commit in one transaction; the watermark and the run's counts advance only
 * after that commit. A run killed anywhere leaves whole payloads behind, and running it
 * again converges on the data of one clean run (upserts by natural key change nothing twice).
 */
import type { Db } from '../../db/client';
import type { IngestRunCounts } from '../../db/schema';
import type { EntityCache } from '../../lib/cache';
import type { ParsedPayload, RawPayload, Source } from '../types';
import { ensureMarketplaces } from './marketplaces';
import { invalidateStaleCaches } from './invalidate';
import { refreshPendingMart } from './mart-pending';
import { commitPayload, type Footprint, overlaps, type PayloadResult, preparePayload } from './process';
import { transactionsInFlight } from './transaction';
import {
  abandonStaleRuns,
  finishRun,
  linkRaw,
  readWatermark,
  recordProgress,
  type RunError,
  startRun,
  storeRaw,
} from './runs';

export type IngestDeps = { db: Db; cache?: EntityCache; now?: () => Date };
export type RunProgress = IngestRunCounts & { runId: number };
export type RunOptions = { signal?: AbortSignal; onProgress?: (progress: RunProgress) => void };
export type RunSummary = {
  runId: number;
  status: 'SUCCEEDED' | 'FAILED';
  counts: IngestRunCounts;
  errors: { at: string; message: string; code?: string }[];
  timings: Record<string, number>;
};

/** A payload to process: fetched now (stored first) or already in `staging_raw` (replay). */
export type RunPage = {
  payload: RawPayload;
  rawId?: number;
  source: string;
  parse(payload: RawPayload): ParsedPayload;
};

/** What a run is, for its `ingest_runs` row and its watermark. */
export type RunSpec = {
  source: string;
  parameters: unknown;
  /** Incremental-sync stream; without it (replay) no watermark is read or advanced. */
  scope?: string;
  pages(context: {
    watermark?: string;
    signal: AbortSignal;
    warn(message: string, code?: string): void;
  }): AsyncIterable<RunPage>;
};

/**
 * Runs `source` with `options` through the whole pipeline and returns what the run did; the
 * same summary is in `ingest_runs`. Never throws for a failing source: the run ends FAILED
 * with the error, keeping every payload committed before it.
 * @example
 *   const summary = await runIngest({ db, cache }, fileSource, { path: 'sales.csv' });
 *   if (summary.status === 'FAILED') console.error(summary.errors);
 */
export async function runIngest<O>(
  deps: IngestDeps,
  source: Source<O>,
  options: O,
  run: RunOptions = {},
): Promise<RunSummary> {
  return executeRun(
    deps,
    {
      source: source.name,
      parameters: options,
      scope: source.scope(options),
      async *pages(context) {
        for await (const payload of source.fetch(options, context)) {
          yield { payload, source: source.name, parse: (p) => source.parse(p) };
        }
      },
    },
    run,
  );
}

class AbortedError extends Error {
  readonly code = 'ABORTED';
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof AbortedError) return error.code;
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** An error as the run records it: when, what, and its stable code when it has one. */
function runError(error: unknown, at: Date): RunError {
  const code = errorCode(error);
  return {
    at: at.toISOString(),
    message: error instanceof Error ? error.message : String(error),
    ...(code ? { code } : {}),
  };
}

/** The loop behind `runIngest` and replay. */
export async function executeRun(deps: IngestDeps, spec: RunSpec, run: RunOptions = {}): Promise<RunSummary> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const timings = { fetch: 0, parse: 0, core: 0, mart: 0, total: 0 };
  const counts: IngestRunCounts = { pages: 0, fetched: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0 };
  const errors: RunError[] = [];
  const signal = run.signal ?? new AbortController().signal;

  const marketplaces = await ensureMarketplaces(db);
  await abandonStaleRuns(db, spec.source, now());
  const runId = await startRun(db, spec.source, spec.parameters, now());
  let categoriesChanged = 0;
  let status: RunSummary['status'] = 'SUCCEEDED';
  const timed = async <T>(phase: keyof typeof timings, work: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings[phase] += performance.now() - t0;
    }
  };

  try {
    const watermark = spec.scope === undefined ? undefined : await readWatermark(db, spec.source, spec.scope);
    const source = spec.pages({
      watermark,
      signal,
      warn: (message, code) => errors.push({ at: now().toISOString(), message, ...(code ? { code } : {}) }),
    });
    const pages = source[Symbol.asyncIterator]();
    // The next payload is fetched, parsed and validated while the current one commits.
    const prepareNext = async () => {
      const next = await timed('fetch', () => pages.next());
      if (next.done) return undefined;
      const page = next.value;
      let parsed: ParsedPayload;
      try {
        parsed = await timed('parse', () => page.parse(page.payload));
      } catch (error) {
        // An unreadable payload is one quarantined record; the rest of the run goes on.
        parsed = {
          records: [],
          rejects: [
            {
              locator: page.payload.endpoint,
              code: 'UNPARSEABLE_PAYLOAD',
              reason: error instanceof Error ? error.message : String(error),
            },
          ],
        };
      }
      return { page, parsed, prepared: await timed('parse', () => preparePayload(parsed)) };
    };
    // Payloads writing disjoint rows commit in parallel (see CORE_TRANSACTIONS_IN_FLIGHT and
    // `overlaps`); the others wait for those before them. Counts and the watermark advance
    // strictly in payload order, each once its payload and all before it committed. After a
    // failure the payloads still in flight are counted, and the watermark stays.
    const inFlight: { footprint: Footprint; watermark?: string; result: Promise<PayloadResult> }[] = [];
    let watermarkHeld = false;
    const settleOldest = async () => {
      const oldest = inFlight.shift();
      if (!oldest) return;
      let result: PayloadResult;
      try {
        result = await timed('core', () => oldest.result);
      } catch (error) {
        watermarkHeld = true;
        throw error;
      }
      counts.pages += 1;
      counts.fetched += result.fetched;
      counts.inserted += result.inserted;
      counts.updated += result.updated;
      counts.unchanged += result.unchanged;
      counts.quarantined += result.quarantined;
      categoriesChanged += result.categoriesChanged;
      const mark =
        !watermarkHeld && spec.scope !== undefined && oldest.watermark !== undefined
          ? { source: spec.source, scope: spec.scope, value: oldest.watermark }
          : undefined;
      await recordProgress(db, runId, counts, now(), mark);
      run.onProgress?.({ ...counts, runId });
    };
    const inParallel = transactionsInFlight(db);
    let upcoming = prepareNext();
    let pageNumber = 0;
    try {
      for (;;) {
        if (signal.aborted) throw new AbortedError('the run was aborted; committed payloads are kept');
        const current = await upcoming;
        if (!current) break;
        const { page, parsed, prepared } = current;
        while (inFlight.some((other) => overlaps(other.footprint, prepared.footprint))) await settleOldest();
        if (signal.aborted) throw new AbortedError('the run was aborted; committed payloads are kept');
        // Raw is stored before anything of the payload reaches core.
        const rawId =
          page.rawId ?? (await timed('core', () => storeRaw(db, page.source, runId, pageNumber, page.payload, now())));
        if (page.rawId !== undefined) await linkRaw(db, runId, pageNumber, page.rawId);
        upcoming = prepareNext();
        // Handled when awaited on the next turn; without a handler now an early failure would crash the process.
        upcoming.catch(() => undefined);
        const result = commitPayload(db, prepared, {
          runId,
          rawId,
          source: page.source,
          marketplaceIds: marketplaces.ids,
        });
        result.catch(() => undefined);
        inFlight.push({ footprint: prepared.footprint, watermark: parsed.watermark, result });
        pageNumber += 1;
        if (inFlight.length >= inParallel) await settleOldest();
      }
      while (inFlight.length > 0) await settleOldest();
    } finally {
      // Whatever is still in flight finishes (and is counted if it committed) before the run
      // ends; a later payload's own failure is recorded beside the one that ended the loop.
      while (inFlight.length > 0) {
        await settleOldest().catch((error: unknown) => {
          errors.push(runError(error, now()));
        });
      }
      // Stop the source (close its file or connection) when the loop ends early.
      await upcoming.catch(() => undefined);
      await pages.return?.();
    }
  } catch (error) {
    status = 'FAILED';
    errors.push(runError(error, now()));
  }

  // Committed payloads get their rollups and fresh caches even when the run failed later.
  try {
    await timed('mart', () => refreshPendingMart(db));
  } catch (error) {
    status = 'FAILED';
    errors.push({
      at: now().toISOString(),
      message: `mart refresh failed: ${error instanceof Error ? error.message : String(error)}`,
      code: 'MART_REFRESH_FAILED',
    });
  }
  await invalidateStaleCaches(deps.cache, { marketplacesAdded: marketplaces.added, categoriesChanged });
  timings.total = performance.now() - started;
  const rounded = Object.fromEntries(Object.entries(timings).map(([phase, ms]) => [phase, Math.round(ms)]));
  await finishRun(db, runId, status, counts, errors, rounded, now());
  return { runId, status, counts, errors, timings: rounded };
}
