'use client';

import { useState } from 'react';
import { getFragmentData, type FragmentType } from '@/__generated__/fragment-masking';
import { ImageGalleryFragmentDoc } from '@/__generated__/graphql';
import { ProductImage } from './product-image';

/** The listing's pictures: one large, the rest as buttons that bring theirs to the front. */
export function ImageGallery({ product: ref }: { product: FragmentType<typeof ImageGalleryFragmentDoc> }) {
  const product = getFragmentData(ImageGalleryFragmentDoc, ref);
  const [selected, setSelected] = useState(0);
  const main = product.images[selected] ?? product.images[0];
  if (!main) return <p className="card muted">No pictures for this listing.</p>;
  return (
    <section className="card" aria-label="Pictures">
      <div className="gallery-main">
        <ProductImage
          key={main.id}
          url={main.url}
          alt={`${product.title}, picture ${main.position + 1}`}
          size={480}
          eager
        />
      </div>
      {product.images.length > 1 ? (
        <ul className="gallery-thumbs">
          {product.images.map((image, index) => (
            <li key={image.id}>
              <button
                type="button"
                aria-pressed={index === selected}
                aria-label={`Show picture ${image.position + 1} of ${product.images.length}`}
                onClick={() => setSelected(index)}
              >
                <ProductImage url={image.url} alt="" size={64} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
