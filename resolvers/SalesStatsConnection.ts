import type { SalesStatsConnectionResolvers } from './__generated__/resolvers-types';

export const SalesStatsConnection: SalesStatsConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
  totalCount: (page) => page.totalCount(),
};
