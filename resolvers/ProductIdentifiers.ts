import type { ProductIdentifiersResolvers } from './__generated__/resolvers-types';

// Identifiers are columns of the product row; the type only groups them for clients.
export const ProductIdentifiers: ProductIdentifiersResolvers = {
  gtin: (product) => product.gtin,
  mpn: (product) => product.mpn,
  epid: (product) => product.epid,
};
