import type { ComparedPriceResolvers, ProductLinkResolvers } from './__generated__/resolvers-types';

export const ProductLink: ProductLinkResolvers = {
  product: async (link, _args, { data }) => {
    const product = await data.product(link.otherId);
    // The link was read in this request's statement: the product is there unless deleted since.
    if (!product) throw new Error(`linked product ${link.otherId} is gone`);
    return product;
  },
};

export const ComparedPrice: ComparedPriceResolvers = {
  original: (amount) => ({ minorUnits: amount.minorUnits, currency: amount.currency }),
  converted: (amount) =>
    amount.convertedMinorUnits === null
      ? null
      : { minorUnits: amount.convertedMinorUnits, currency: amount.convertedCurrency },
};
