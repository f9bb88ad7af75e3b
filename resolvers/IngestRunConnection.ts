import type { IngestRunConnectionResolvers } from './__generated__/resolvers-types';

export const IngestRunConnection: IngestRunConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
  totalCount: (page) => page.totalCount(),
};
