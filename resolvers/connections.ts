import type {
  PageInfoResolvers,
  ProductConnectionResolvers,
  SaleConnectionResolvers,
} from './__generated__/resolvers-types';

// Connections resolve from a Page: edges are ready, pageInfo reads the same page, and
// totalCount runs its count query only when selected.

export const ProductConnection: ProductConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
  totalCount: (page) => page.totalCount(),
};

export const SaleConnection: SaleConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
  totalCount: (page) => page.totalCount(),
};

export const PageInfo: PageInfoResolvers = {
  hasNextPage: (page) => page.hasNextPage,
  hasPreviousPage: (page) => page.hasPreviousPage,
  startCursor: (page) => page.edges[0]?.cursor ?? null,
  endCursor: (page) => page.edges.at(-1)?.cursor ?? null,
};
