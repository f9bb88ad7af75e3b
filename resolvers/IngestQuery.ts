import { parseId, parsePageSize } from './arguments/scalars';
import { findIngestRuns, ingestRunSortKey, type IngestRunFilterValue } from '../data/ingest-runs';
import { findIngestSources } from '../data/ingest-sources';
import { positionAfter } from '../data/pagination';
import type { IngestRunFilter, QueryResolvers } from './__generated__/resolvers-types';

function parseRunFilter(input: IngestRunFilter | null | undefined): IngestRunFilterValue {
  return { sources: input?.source ?? undefined, statuses: input?.status ?? undefined };
}

/** Operator entry points: ingestion runs and per-source freshness. */
export const ingestQuery: QueryResolvers = {
  ingestRuns: async (_root, args, { db, loaders }) => {
    const first = parsePageSize(args.first, 20);
    const afterCursor = positionAfter(ingestRunSortKey, args.after);
    const page = await findIngestRuns(db, { filter: parseRunFilter(args.filter), sort: ingestRunSortKey, first, afterCursor });
    for (const { node } of page.edges) loaders.ingestRunById.prime(node.id, node);
    return page;
  },
  ingestRun: (_root, { id }, { loaders }) => loaders.ingestRunById.load(parseId(id, 'id')),
  ingestSources: (_root, _args, { db }) => findIngestSources(db),
};
