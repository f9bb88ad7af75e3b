import type { Edge, Page } from '../data/pagination';
import type {
  IngestRunConnectionResolvers,
  PageInfoResolvers,
  ProductConnectionResolvers,
  QuarantinedRecordConnectionResolvers,
  SaleConnectionResolvers,
  SalesStatsConnectionResolvers,
} from './__generated__/resolvers-types';

// Every connection resolves from a Page: edges are ready, pageInfo reads the same page, and
// totalCount runs its count query only when selected.
function fromPage<T>() {
  return {
    edges: (page: Page<T>): Edge<T>[] => page.edges,
    nodes: (page: Page<T>): T[] => page.edges.map((edge) => edge.node),
    pageInfo: (page: Page<T>): Page<T> => page,
    totalCount: (page: Page<T>): Promise<number> => page.totalCount(),
  };
}

export const ProductConnection: ProductConnectionResolvers = fromPage();
export const SaleConnection: SaleConnectionResolvers = fromPage();
export const SalesStatsConnection: SalesStatsConnectionResolvers = fromPage();
export const IngestRunConnection: IngestRunConnectionResolvers = fromPage();
export const QuarantinedRecordConnection: QuarantinedRecordConnectionResolvers = fromPage();

export const PageInfo: PageInfoResolvers = {
  hasNextPage: (page) => page.hasNextPage,
  hasPreviousPage: (page) => page.hasPreviousPage,
  startCursor: (page) => page.edges[0]?.cursor ?? null,
  endCursor: (page) => page.edges.at(-1)?.cursor ?? null,
};
