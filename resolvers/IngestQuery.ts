import { ingestRunSortKey } from '../data/ingest-runs';
import { parseRunFilter } from './arguments/filters';
import { parsePaging } from './arguments/paging';
import { parseId } from './arguments/scalars';
import type { QueryResolvers } from './__generated__/resolvers-types';

/** Operator entry points: ingestion runs and per-source freshness. */
export const ingestQuery: QueryResolvers = {
  ingestRuns: (_root, args, { data }) =>
    data.ingestRuns({ ...parsePaging(args, ingestRunSortKey, 20), filter: parseRunFilter(args.filter) }),
  ingestRun: (_root, { id }, { data }) => data.ingestRun(parseId(id, 'id')),
  ingestSources: (_root, _args, { data }) => data.ingestSources(),
};
