import type { IngestSourceResolvers } from './__generated__/resolvers-types';

export const IngestSource: IngestSourceResolvers = {
  lastRunAt: ({ lastRun }) => lastRun.startedAt,
  lastRunStatus: ({ lastRun }) => lastRun.status,
  counts: ({ lastRun }) => lastRun,
  watermarks: ({ source }, _args, { data }) => data.watermarks(source),
};
