/**
 * bench:explorer's baseline: GraphiQL as @graphql-yoga/render-graphiql renders it, one 9 MB page
 * with everything inlined (gzipped, no caching), served in front of the same gateway. Every other
 * request (the schema's introspection, queries) goes through to the gateway unchanged.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

export type StockExplorer = { url: string; close(): Promise<void> };

export async function startStockExplorer(gatewayOrigin: string): Promise<StockExplorer> {
  const upstream = new URL(gatewayOrigin);
  // With the docs open on a first visit, as the gateway's page has them: the same work to the loaded schema.
  const openDocs = `<script>
    if (localStorage.getItem('graphiql:visiblePlugin') === null) localStorage.setItem('graphiql:visiblePlugin', 'Documentation Explorer');
  </script>`;
  const html = renderGraphiQL({
    title: 'Soldgraph GraphiQL',
    endpoint: '/graphql',
    defaultQuery: '{ marketplaces { code } }',
  });
  const page = gzipSync(html.replace('</head>', `${openDocs}</head>`));
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'GET' && (incoming.headers.accept ?? '').includes('text/html')) {
      outgoing.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      outgoing.end(page);
      return;
    }
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
