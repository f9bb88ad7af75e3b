import { createHash } from 'node:crypto';
import type { Env } from '../../config/env';
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
export class RunFailedError extends Error {
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

/** Sorted keys at every depth, so equal options give equal keys whatever order the file wrote them in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Runs schedules through the registry's entries, one pipeline run per job. */
export type IngestJobs = {
  /**
   * The no-overlap key of a schedule: its source and options. Two schedules with the same
   * key never run at once, in one process or across machines. Safe as a BullMQ job id
   * (no `:`, never a bare integer).
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
      entryOf(source);
      const digest = createHash('sha256').update(canonicalJson(options)).digest('hex').slice(0, 24);
      return `run-${source.replace(/[^A-Za-z0-9_.-]/g, '_')}-${digest}`;
    },
    async run({ source, options }, signal) {
      const entry = entryOf(source);
      let summary: RunSummary;
      try {
        summary = await entry.run(options as SourceArgs, deps.env, { db: deps.db, cache: deps.cache, now: deps.now }, { signal });
      } catch (error) {
        if (error instanceof SourceArgumentError || isConfigError(error)) {
          throw new PermanentJobError(`source "${source}": ${(error as Error).message}`);
        }
        throw error;
      }
      if (summary.status !== 'SUCCEEDED') throw new RunFailedError(summary);
      return summary;
    },
  };
}
