/**
 * One ingestion run: raw -> core -> mart -> caches, recorded in `ingest_runs`.
 *
 * Every payload is stored in `staging_raw` before it is parsed; each payload's core rows and
 * quarantine commit in one transaction; the watermark and the run's counts advance only
 * after that commit. A run killed anywhere leaves whole payloads behind, and running it
 * again converges on the data of one clean run (upserts by natural key change nothing twice).
 */
import type { Db } from '../../db/client';
import { describeError } from '../../db/errors';
import type { IngestRunCounts } from '../../db/schema';
import type { EntityCache } from '../../lib/cache';
import type { FetchContext, ParsedPayload, RawPayload, Source } from '../types';
import { ensureMarketplaces } from './marketplaces';
import { invalidateStaleCaches } from './invalidate';
import { refreshPendingMart } from './mart-pending';
import { type MarketplaceIds, sweepUnseen } from './core';
import {
  commitPayload,
  type Footprint,
  overlaps,
  type PayloadResult,
  type PreparedPayload,
  preparePayload,
} from './process';
import { transactionsInFlight } from './transaction';
import {
  abandonDeadRuns,
  beat,
  HEARTBEAT_INTERVAL_MS,
  finishRun,
  linkRaw,
  readWatermark,
  recordProgress,
  type RunError,
  startRun,
  storeRaw,
} from './runs';

export type IngestDeps = { db: Db; cache?: EntityCache; now?: () => Date };
/** Where a run stands after each committed payload; `expected` when the source said how many records to expect. */
export type RunProgress = IngestRunCounts & { runId: number; startedAt: Date; expected?: number };
export type RunOptions = {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** A warning as it happens (a retry, a wait for tokens), for a live display. */
  onWarning?: (warning: RunError) => void;
};
export type RunSummary = {
  runId: number;
  status: 'SUCCEEDED' | 'FAILED';
  counts: IngestRunCounts;
  errors: RunError[];
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
  /** For a search that tracks presence (`Source.presence`): what a complete run of `scope` missed is marked. */
  presence?: { endAfterMs: number };
  pages(context: FetchContext): AsyncIterable<RunPage>;
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
      presence: source.presence,
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
  constructor() {
    super('the run was aborted; committed payloads are kept');
  }
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
    // PostgreSQL's reason rather than Drizzle's SQL dump; NUL cannot be stored in the run's jsonb.
    message: describeError(error).replaceAll('\u0000', '\\0'),
    ...(code ? { code } : {}),
  };
}

type Phase = 'fetch' | 'parse' | 'core' | 'mart' | 'total';

/** What a run accumulates as it goes: counts, errors, phase timings, and whether it failed. */
class RunLedger {
  readonly counts: IngestRunCounts = { pages: 0, fetched: 0, inserted: 0, updated: 0, unchanged: 0, quarantined: 0 };
  readonly errors: RunError[] = [];
  readonly timings: Record<Phase, number> = { fetch: 0, parse: 0, core: 0, mart: 0, total: 0 };
  status: RunSummary['status'] = 'SUCCEEDED';
  categoriesChanged = 0;
  readonly marketplacesWritten = new Set<number>();
  martDaysRefreshed: string[] = [];
  /** How many records the source said the whole fetch holds, once it said. */
  expected: number | undefined;
  /** The source said it fetched every page of its scope. */
  scopeComplete = false;
  readonly startedAt: Date;
  private readonly started = performance.now();

  constructor(readonly now: () => Date) {
    this.startedAt = now();
  }

  /** Runs `work`, adding its duration to `phase`. */
  async timed<T>(phase: Phase, work: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.timings[phase] += performance.now() - t0;
    }
  }

  /** Records an error; `fatal` ends the run FAILED (a warning, such as a retried request, does not). */
  record(error: unknown, fatal: boolean): void {
    if (fatal) this.status = 'FAILED';
    this.errors.push(runError(error, this.now()));
  }

  add(result: PayloadResult): void {
    this.counts.pages += 1;
    this.counts.fetched += result.fetched;
    this.counts.inserted += result.inserted;
    this.counts.updated += result.updated;
    this.counts.unchanged += result.unchanged;
    this.counts.quarantined += result.quarantined;
    this.categoriesChanged += result.categoriesChanged;
    for (const id of result.marketplaceIds) this.marketplacesWritten.add(id);
  }

  /** Timings in whole milliseconds, the total measured now. */
  roundedTimings(): Record<string, number> {
    this.timings.total = performance.now() - this.started;
    return Object.fromEntries(Object.entries(this.timings).map(([phase, ms]) => [phase, Math.round(ms)]));
  }
}

/** A payload fetched, parsed and validated, ready to commit. */
type ReadyPayload = { page: RunPage; parsed: ParsedPayload; prepared: PreparedPayload };

/** Parses a page; an unreadable payload becomes one quarantined record and the run goes on. */
function parsePage(page: RunPage): ParsedPayload {
  try {
    return page.parse(page.payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { records: [], rejects: [{ locator: page.payload.endpoint, code: 'UNPARSEABLE_PAYLOAD', reason }] };
  }
}

/** Fetches, parses and validates the next page of `pages`, or undefined at the end. */
async function readNext(pages: AsyncIterator<RunPage>, ledger: RunLedger): Promise<ReadyPayload | undefined> {
  const next = await ledger.timed('fetch', () => pages.next());
  if (next.done) return undefined;
  const page = next.value;
  const parsed = await ledger.timed('parse', () => parsePage(page));
  return { page, parsed, prepared: await ledger.timed('parse', () => preparePayload(parsed)) };
}

/**
 * Payloads whose core transactions are in flight. Payloads writing disjoint rows commit in
 * parallel (see CORE_TRANSACTIONS_IN_FLIGHT and `overlaps`); the others wait for those before
 * them. Counts and the watermark advance strictly in payload order, each once its payload and
 * all before it committed; after a failure the payloads still in flight are counted, and the
 * watermark stays where it was.
 */
class CommitQueue {
  private readonly inFlight: { footprint: Footprint; watermark?: string; result: Promise<PayloadResult> }[] = [];
  private watermarkHeld = false;

  constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly spec: RunSpec,
    private readonly ledger: RunLedger,
    private readonly onProgress?: (progress: RunProgress) => void,
  ) {}

  get size(): number {
    return this.inFlight.length;
  }

  overlapsAny(footprint: Footprint): boolean {
    return this.inFlight.some((other) => overlaps(other.footprint, footprint));
  }

  push(footprint: Footprint, watermark: string | undefined, result: Promise<PayloadResult>): void {
    // Handled when settled; without a handler now an early failure would crash the process.
    result.catch(() => undefined);
    this.inFlight.push({ footprint, watermark, result });
  }

  /** Waits for the oldest payload, counts it and advances the watermark to it. */
  async settleOldest(): Promise<void> {
    const oldest = this.inFlight.shift();
    if (!oldest) return;
    let result: PayloadResult;
    try {
      result = await this.ledger.timed('core', () => oldest.result);
    } catch (error) {
      this.watermarkHeld = true;
      throw error;
    }
    this.ledger.add(result);
    const { source, scope } = this.spec;
    const mark =
      !this.watermarkHeld && scope !== undefined && oldest.watermark !== undefined
        ? { source, scope, value: oldest.watermark }
        : undefined;
    const { counts, now } = this.ledger;
    await recordProgress(this.db, this.runId, counts, now(), mark);
    this.onProgress?.({
      ...counts,
      runId: this.runId,
      startedAt: this.ledger.startedAt,
      ...(this.ledger.expected !== undefined ? { expected: this.ledger.expected } : {}),
    });
  }

  /** Settles everything still in flight; a failure here is recorded beside the one that ended the run. */
  async drainAfterFailure(): Promise<void> {
    while (this.inFlight.length > 0)
      await this.settleOldest().catch((error: unknown) => this.ledger.record(error, false));
  }
}

/**
 * Stores, commits and counts every page of the run. The next payload is fetched, parsed and
 * validated while the current one commits; raw is stored before anything of a payload
 * reaches core. Throws on the first failure, after the payloads in flight have finished.
 */
async function commitPages(
  deps: IngestDeps,
  spec: RunSpec,
  run: RunOptions,
  ids: { runId: number; marketplaceIds: MarketplaceIds },
  ledger: RunLedger,
): Promise<void> {
  const { db } = deps;
  const { now } = ledger;
  const signal = run.signal ?? new AbortController().signal;
  const watermark = spec.scope === undefined ? undefined : await readWatermark(db, spec.source, spec.scope);
  const source = spec.pages({
    watermark,
    signal,
    warn: (message, code) => {
      const warning: RunError = { at: now().toISOString(), message, ...(code ? { code } : {}), warning: true };
      ledger.errors.push(warning);
      run.onWarning?.(warning);
    },
    expect: (records) => {
      ledger.expected = records;
    },
    scopeComplete: () => {
      ledger.scopeComplete = true;
    },
  });
  const sighting =
    spec.presence && spec.scope !== undefined
      ? { source: spec.source, scope: spec.scope, runId: ids.runId }
      : undefined;
  const pages = source[Symbol.asyncIterator]();
  const queue = new CommitQueue(db, ids.runId, spec, ledger, run.onProgress);
  const inParallel = transactionsInFlight(db);
  let upcoming = readNext(pages, ledger);
  try {
    for (let pageNumber = 0; ; pageNumber += 1) {
      if (signal.aborted) throw new AbortedError();
      const current = await upcoming;
      if (!current) break;
      const { page, parsed, prepared } = current;
      while (queue.overlapsAny(prepared.footprint)) await queue.settleOldest();
      if (signal.aborted) throw new AbortedError();
      const rawId =
        page.rawId ??
        (await ledger.timed('core', () => storeRaw(db, page.source, ids.runId, pageNumber, page.payload, now())));
      if (page.rawId !== undefined) await linkRaw(db, ids.runId, pageNumber, page.rawId);
      upcoming = readNext(pages, ledger);
      // Handled when awaited on the next turn; without a handler now an early failure would crash the process.
      upcoming.catch(() => undefined);
      const context = { runId: ids.runId, rawId, source: page.source, marketplaceIds: ids.marketplaceIds, sighting };
      queue.push(prepared.footprint, parsed.watermark, commitPayload(db, prepared, context));
      if (queue.size >= inParallel) await queue.settleOldest();
    }
    while (queue.size > 0) await queue.settleOldest();
  } finally {
    // Whatever is still in flight finishes (and is counted if it committed) before the run ends.
    await queue.drainAfterFailure();
    // Stop the source (close its file or connection) when the loop ends early.
    await upcoming.catch(() => undefined);
    await pages.return?.();
  }
}

/**
 * After a clean run that fetched its whole scope, marks the listings a presence-tracking search
 * missed as unseen and ends those unseen long enough (core/presence.ts). A run that failed, was
 * cut short or quarantined a record (an item listed but unreadable, so not missing) marks nothing.
 */
async function sweepMissedListings(db: Db, spec: RunSpec, runId: number, ledger: RunLedger): Promise<void> {
  const { presence, scope } = spec;
  if (!presence || scope === undefined || !ledger.scopeComplete) return;
  if (ledger.status !== 'SUCCEEDED' || ledger.counts.quarantined > 0) return;
  const changed = await sweepUnseen(db, {
    source: spec.source,
    scope,
    runId,
    at: ledger.startedAt,
    endAfterMs: presence.endAfterMs,
  });
  for (const id of changed) ledger.marketplacesWritten.add(id);
}

/** The loop behind `runIngest` and replay. */
export async function executeRun(deps: IngestDeps, spec: RunSpec, run: RunOptions = {}): Promise<RunSummary> {
  const { db } = deps;
  const ledger = new RunLedger(deps.now ?? (() => new Date()));
  const { now } = ledger;
  const marketplaces = await ensureMarketplaces(db);
  await abandonDeadRuns(db, now());
  const runId = await startRun(db, spec, now());
  // Beats on a timer, not per payload: a long token wait or payload must not look like a death.
  let beating = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beating.then(() => beat(db, runId)).catch(() => undefined);
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  try {
    try {
      await commitPages(deps, spec, run, { runId, marketplaceIds: marketplaces.ids }, ledger);
    } catch (error) {
      ledger.record(error, true);
    }
    try {
      await sweepMissedListings(db, spec, runId, ledger);
    } catch (error) {
      ledger.record(error, true);
    }

    // Committed payloads get their rollups and fresh caches even when the run failed later.
    try {
      ledger.martDaysRefreshed = await ledger.timed('mart', () => refreshPendingMart(db));
    } catch (error) {
      ledger.status = 'FAILED';
      ledger.errors.push({
        at: now().toISOString(),
        message: `mart refresh failed: ${error instanceof Error ? error.message : String(error)}`,
        code: 'MART_REFRESH_FAILED',
      });
    }
    const purge = await invalidateStaleCaches(deps.cache, {
      marketplacesAdded: marketplaces.added,
      categoriesChanged: ledger.categoriesChanged,
      marketplacesWritten: [...ledger.marketplacesWritten],
      martDaysRefreshed: ledger.martDaysRefreshed,
      // A refresh that failed partway may have committed some months: which ones is unknown.
      martRefreshFailed: ledger.errors.some((error) => error.code === 'MART_REFRESH_FAILED'),
    });
    if (!purge.reached) {
      // Not fatal: the data landed. Gateways serve their cached answers until those expire.
      ledger.errors.push({
        at: now().toISOString(),
        message: `the shared cache was unreachable, so cached answers over ${purge.tags.join(', ')} were not purged; they expire on their own`,
        code: 'CACHE_PURGE_FAILED',
      });
    }
    const timings = ledger.roundedTimings();
    await finishRun(db, runId, ledger.status, ledger.counts, ledger.errors, timings, now());
    return { runId, status: ledger.status, counts: ledger.counts, errors: ledger.errors, timings };
  } finally {
    clearInterval(heartbeat);
    await beating;
  }
}
