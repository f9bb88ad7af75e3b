// Hosts reserved for examples (RFC 2606) never resolve; the demo data's pictures live there.
const RESERVED = /(^|\.)example(\.(com|net|org))?$/;

/**
 * Where the browser loads a product picture from: the marketplace's URL, or for the demo
 * data's reserved example.com addresses a generated placeholder served by this app.
 * @example imageSrc('https://images.example.com/ebay-us/1/0.jpg') // "/placeholder?seed=%2Febay-us%2F1%2F0.jpg"
 */
export function imageSrc(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  return RESERVED.test(parsed.hostname) ? `/placeholder?seed=${encodeURIComponent(parsed.pathname)}` : url;
}
