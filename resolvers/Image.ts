import { parseId } from './arguments/scalars';
import type { ImageResolvers } from './__generated__/resolvers-types';

export const Image: ImageResolvers = {
  __resolveReference: ({ id }, { data }) => data.image(parseId(id, 'Image.id')),
  product: async (image, _args, { data }) => {
    const product = await data.product(image.productId);
    if (!product) throw new Error(`product ${image.productId} of image ${image.id} is missing`);
    return product;
  },
};
