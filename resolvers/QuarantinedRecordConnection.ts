import type { QuarantinedRecordConnectionResolvers } from './__generated__/resolvers-types';

export const QuarantinedRecordConnection: QuarantinedRecordConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
  totalCount: (page) => page.totalCount(),
};
