import { parseId } from './arguments/scalars';
import type { SaleResolvers } from './__generated__/resolvers-types';

export const Sale: SaleResolvers = {
  __resolveReference: ({ id }, { data }) => data.sale(parseId(id, 'Sale.id', Number.MAX_SAFE_INTEGER)),
  product: async (sale, _args, { data }) => {
    const product = await data.product(sale.productId);
    // sales.product_id is a foreign key, so the product exists unless deleted mid-request.
    if (!product) throw new Error(`product ${sale.productId} of sale ${sale.id} is missing`);
    return product;
  },
  price: (sale) => ({ minorUnits: sale.unitPriceMinor, currency: sale.currency }),
  total: (sale) => ({ minorUnits: sale.unitPriceMinor * sale.quantity, currency: sale.currency }),
  shipping: (sale) =>
    sale.shippingMinor === null ? null : { minorUnits: sale.shippingMinor, currency: sale.currency },
};
