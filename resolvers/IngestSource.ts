import type { IngestScopeResolvers, IngestSourceResolvers } from './__generated__/resolvers-types';
import type { IngestSourceValue } from './mappers';

/** What a source and each of its scopes report alike: their latest run. */
const latestRun = {
  lastRunAt: ({ lastRun }: IngestSourceValue) => lastRun.startedAt,
  lastRunStatus: ({ lastRun }: IngestSourceValue) => lastRun.status,
  counts: ({ lastRun }: IngestSourceValue) => lastRun,
};

export const IngestSource: IngestSourceResolvers = {
  ...latestRun,
  watermarks: ({ source }, _args, { data }) => data.watermarks(source),
  scopes: ({ source }, _args, { data }) => data.ingestScopes(source),
};

export const IngestScope: IngestScopeResolvers = {
  ...latestRun,
  // The source's watermarks, loaded for all sources at once, hold this scope's.
  watermark: async ({ source, scope }, _args, { data }) =>
    (await data.watermarks(source)).find((watermark) => watermark.scope === scope) ?? null,
};
