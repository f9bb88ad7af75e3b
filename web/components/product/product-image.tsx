import { imageSrc } from '@/lib/images';

type ProductImageProps = { url: string; alt: string; size: number; eager?: boolean };

/**
 * A product picture in a fixed square box: width and height are set before it loads, so
 * nothing shifts, and it loads lazily unless it is the page's main picture.
 */
export function ProductImage({ url, alt, size, eager = false }: ProductImageProps) {
  return (
    // eslint-disable-next-line @next/next/no-img-element -- marketplace CDNs serve sized pictures; no optimizer needed
    <img
      className="product-image"
      src={imageSrc(url)}
      alt={alt}
      width={size}
      height={size}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      {...(eager ? { fetchPriority: 'high' as const } : {})}
    />
  );
}
