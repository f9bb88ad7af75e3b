import { createHash } from 'node:crypto';
import type { Env } from '../../lib/env';
import type { Db } from '../../db/client';
import type { EntityCache } from '../../lib/cache';
import { type SourceArgs, SourceArgumentError, type SourceEntry } from '../pipeline/entry';
import type { RunSummary } from '../pipeline/run';
import type { Schedule } from './schedules';

/** What a scheduled job needs: the source registry, the configuration, the database and the cache to invalidate. */
export type IngestJobDeps = {
  sources: Record<string, SourceEntry>;
  env: Env;
  db: Db;
  cache?: EntityCache;
  now?: () => Date;
};

/** A run that ended FAILED: thrown so the scheduler retries it with backoff. */
class RunFailedError extends Error {
  override name = 'RunFailedError';
  constructor(readonly summary: RunSummary) {
    const last = summary.errors.at(-1);
    super(`run ${summary.runId} failed${last ? `: ${last.message}` : ''}`);
  }
}

/** A job that can never succeed as configured (unknown source, options the source refuses): not retried. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** Sources refuse options they cannot use with the code `SOURCE_CONFIG`; retrying will not help. */
function isConfigError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'SOURCE_CONFIG';
}

/** Options a source refuses never work, however often retried: such errors become a PermanentJobError. */
function asJobError(source: string, error: unknown): unknown {
  if (error instanceof SourceArgumentError || isConfigError(error)) {
    return new PermanentJobError(`source "${source}": ${(error as Error).message}`);
  }
  return error;
}

/** Runs schedules through the registry's entries, one pipeline run per job. */
export type IngestJobs = {
  /**
   * The no-overlap key of a schedule: its source and the scope its options select (the
   * source's own `scope`), so schedules that differ only in options which leave the scope
   * alone (page size, details) still never run at once, in one process or across machines.
   * Safe as a BullMQ job id (no `:`, never a bare integer). Throws PermanentJobError for an
   * unknown source or options the source refuses.
   */
  keyOf(schedule: Pick<Schedule, 'source' | 'options'>): string;
  /** Runs one schedule to the end: the summary of a SUCCEEDED run, else throws RunFailedError or PermanentJobError. */
  run(schedule: Pick<Schedule, 'source' | 'options'>, signal: AbortSignal): Promise<RunSummary>;
};

/**
 * Jobs backed by the source registry and the real pipeline.
 * @example const jobs = createIngestJobs({ sources, env, db, cache });
 */
export function createIngestJobs(deps: IngestJobDeps): IngestJobs {
  const entryOf = (name: string) => {
    const entry = deps.sources[name];
    if (!entry) {
      throw new PermanentJobError(`unknown source "${name}"; known sources: ${Object.keys(deps.sources).join(', ')}`);
    }
    return entry;
  };
  return {
    keyOf({ source, options }) {
      const entry = entryOf(source);
      let scope: string;
      try {
        scope = entry.scope(options as SourceArgs, deps.env);
      } catch (error) {
        throw asJobError(source, error);
      }
      const digest = createHash('sha256').update(scope).digest('hex').slice(0, 24);
      return `run-${source.replace(/[^A-Za-z0-9_.-]/g, '_')}-${digest}`;
    },
    async run({ source, options }, signal) {
      const entry = entryOf(source);
      let summary: RunSummary;
      try {
        summary = await entry.run(
          options as SourceArgs,
          deps.env,
          { db: deps.db, cache: deps.cache, now: deps.now },
          { signal },
        );
      } catch (error) {
        throw asJobError(source, error);
      }
      if (summary.status !== 'SUCCEEDED') throw new RunFailedError(summary);
      return summary;
    },
  };
}
