import persistedDocuments from '@/__generated__/persisted-documents.json';
import { webConfig } from './config';

// Request headers the gateway acts on; everything else (cookies included) stays here.
const FORWARDED_REQUEST = ['accept', 'x-request-id', 'if-none-match', 'x-forwarded-for'];
// Response headers worth passing back: the payload's type, caching, and the gateway's diagnostics.
const FORWARDED_RESPONSE = [
  'content-type',
  'cache-control',
  'etag',
  'vary',
  'x-request-id',
  'x-sql-statements',
  'server-timing',
  'retry-after',
  'ratelimit',
  'ratelimit-policy',
];

/** The hashes of the dashboard's own operations, as codegen listed them. */
const SAFELIST = new Set(Object.keys(persistedDocuments).map((hash) => hash.replace(/^sha256:/, '')));

function graphqlError(status: number, message: string, code: string): Response {
  return Response.json({ errors: [{ message, extensions: { code } }] }, { status });
}

/**
 * The persisted-operation hash a GET names, when it names one of the dashboard's operations
 * and nothing else (no query text); undefined for anything else.
 */
function safelistedHash(url: URL): string | undefined {
  if (url.searchParams.has('query')) return undefined;
  try {
    const extensions = JSON.parse(url.searchParams.get('extensions') ?? '{}') as {
      persistedQuery?: { sha256Hash?: unknown };
    };
    const hash = extensions.persistedQuery?.sha256Hash;
    return typeof hash === 'string' && SAFELIST.has(hash) ? hash : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Forwards one of the dashboard's own operations (a GET naming a safelisted hash) to the
 * gateway and streams the answer back. Anything else is refused here: this route is the
 * dashboard's, not an open proxy to the API. Compression is left to this server: the gateway
 * is asked for identity encoding so the bytes pass through untouched.
 */
export async function forwardToGateway(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== 'GET' || !safelistedHash(url)) {
    return graphqlError(
      403,
      "This endpoint runs the dashboard's own operations only. For other queries use the gateway's API, with an API key where it asks for one.",
      'FORBIDDEN',
    );
  }
  const target = new URL(webConfig.gatewayUrl);
  target.search = url.search;
  // A server-to-server call, marked as an API call for the gateway's CSRF prevention.
  const headers = new Headers({ 'accept-encoding': 'identity', 'apollo-require-preflight': 'true' });
  for (const name of FORWARDED_REQUEST) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (webConfig.gatewayApiKey) headers.set('authorization', `Bearer ${webConfig.gatewayApiKey}`);
  let upstream: Response;
  try {
    upstream = await fetch(target, { method: 'GET', headers, cache: 'no-store', redirect: 'manual' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return graphqlError(502, `The gateway at ${target.origin} could not be reached: ${reason}`, 'GATEWAY_UNREACHABLE');
  }
  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}
