import { forwardToGateway } from '@/lib/gateway-proxy';

// The browser's GraphQL endpoint for the dashboard's client components: the dashboard's own
// operations by hash, forwarded to the gateway, so the gateway's address stays server-side.
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return forwardToGateway(request);
}

export function POST(request: Request): Promise<Response> {
  return forwardToGateway(request);
}
