import { webConfig } from './config';

// Request headers the gateway acts on; everything else (cookies included) stays here.
const FORWARDED_REQUEST = ['accept', 'content-type', 'x-request-id', 'if-none-match'];
// Response headers worth passing back: the payload's type, caching, and the gateway's diagnostics.
const FORWARDED_RESPONSE = [
  'content-type',
  'cache-control',
  'etag',
  'vary',
  'x-request-id',
  'x-sql-statements',
  'server-timing',
];

/**
 * Forwards a GraphQL request (GET with its query string, or POST with its body) to the
 * gateway and streams the answer back. Compression is left to this server: the gateway is
 * asked for identity encoding so the bytes pass through untouched.
 */
export async function forwardToGateway(request: Request): Promise<Response> {
  const target = new URL(webConfig.gatewayUrl);
  target.search = new URL(request.url).search;
  const headers = new Headers({ 'accept-encoding': 'identity' });
  for (const name of FORWARDED_REQUEST) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer(),
      cache: 'no-store',
      redirect: 'manual',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Response.json(
      {
        errors: [
          {
            message: `The gateway at ${target.origin} could not be reached: ${reason}`,
            extensions: { code: 'GATEWAY_UNREACHABLE' },
          },
        ],
      },
      { status: 502 },
    );
  }
  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}
