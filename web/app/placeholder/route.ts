import { placeholderSvg } from '@/lib/placeholder-svg';

// A picture for demo listings whose image URLs point at the reserved example.com domain.
export function GET(request: Request): Response {
  const seed = new URL(request.url).searchParams.get('seed') ?? '';
  return new Response(placeholderSvg(seed), {
    headers: { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=31536000, immutable' },
  });
}
