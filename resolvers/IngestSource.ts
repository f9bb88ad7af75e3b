import type { IngestScopeResolvers, IngestSourceResolvers } from './__generated__/resolvers-types';

export const IngestSource: IngestSourceResolvers = {
  lastRunAt: ({ lastRun }) => lastRun.startedAt,
  lastRunStatus: ({ lastRun }) => lastRun.status,
  counts: ({ lastRun }) => lastRun,
  watermarks: ({ source }, _args, { data }) => data.watermarks(source),
  scopes: ({ source }, _args, { data }) => data.ingestScopes(source),
};

export const IngestScope: IngestScopeResolvers = {
  lastRunAt: ({ lastRun }) => lastRun.startedAt,
  lastRunStatus: ({ lastRun }) => lastRun.status,
  counts: ({ lastRun }) => lastRun,
  // The source's watermarks, loaded for all sources at once, hold this scope's.
  watermark: async ({ source, scope }, _args, { data }) =>
    (await data.watermarks(source)).find((watermark) => watermark.scope === scope) ?? null,
};
