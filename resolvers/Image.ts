import { parseId } from './arguments/scalars';
import type { ImageResolvers } from './__generated__/resolvers-types';

export const Image: ImageResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.imageById.load(parseId(id, 'Image.id')),
  product: async (image, _args, { loaders }) => {
    const product = await loaders.productById.load(image.productId);
    if (!product) throw new Error(`product ${image.productId} of image ${image.id} is missing`);
    return product;
  },
};
