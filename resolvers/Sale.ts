import { parseId } from './arguments/scalars';
import type { SaleResolvers } from './__generated__/resolvers-types';

export const Sale: SaleResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.saleById.load(parseId(id, 'Sale.id')),
  product: async (sale, _args, { loaders }) => {
    const product = await loaders.productById.load(sale.productId);
    // sales.product_id is a foreign key, so the product exists unless deleted mid-request.
    if (!product) throw new Error(`product ${sale.productId} of sale ${sale.id} is missing`);
    return product;
  },
  price: (sale) => ({ minorUnits: sale.unitPriceMinor, currency: sale.currency }),
  total: (sale) => ({ minorUnits: sale.unitPriceMinor * sale.quantity, currency: sale.currency }),
  shipping: (sale) =>
    sale.shippingMinor === null ? null : { minorUnits: sale.shippingMinor, currency: sale.currency },
};
