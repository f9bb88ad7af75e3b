import { startTestGateway, type TestGateway } from '../../test/support/gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

describe('GraphQL over HTTP', () => {
  it('answers POST with JSON', async () => {
    const { status, body, headers } = await gw.post('query { marketplaces { code } }');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/application\/(graphql-response\+)?json/);
    expect(body.data?.marketplaces).toEqual(expect.arrayContaining([{ code: 'ebay-us' }, { code: 'amazon-jp' }]));
  });

  it('answers GET with the query in the URL', async () => {
    const params = new URLSearchParams({
      query: 'query ($first: Int) { products(first: $first) { nodes { id } } }',
      variables: JSON.stringify({ first: 2 }),
    });
    const response = await fetch(`${gw.url}/graphql?${params}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { products: { nodes: unknown[] } } };
    expect(body.data.products.nodes).toHaveLength(2);
  });

  it('refuses a mutation over GET and an empty body with 400', async () => {
    const empty = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(empty.status).toBe(400);
  });

  it('gives every response a request id, keeping the caller\'s', async () => {
    const own = await fetch(`${gw.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-123');
    const generated = await fetch(`${gw.url}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GraphiQL', () => {
  it('serves a self-contained explorer to browsers on GET /graphql', async () => {
    const response = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('Soldgraph GraphiQL');
    // Offline: no script or stylesheet is fetched from anywhere else.
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    expect(html).not.toMatch(/@import\s+url\(["']?https?:/i);
    expect(html).toContain('"endpoint":"/graphql"');
  });

  it('answers a revalidation with 304', async () => {
    const first = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html', 'if-none-match': etag ?? '' } });
    expect(second.status).toBe(304);
  });
});

describe('/health', () => {
  it('reports each dependency with status and latency', async () => {
    const response = await fetch(`${gw.url}/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, any>;
    expect(health).toMatchObject({
      status: 'ok',
      dependencies: {
        database: { status: 'up', driver: process.env.DATABASE_URL ? 'postgres' : 'pglite' },
        cache: { status: 'up', kind: process.env.REDIS_URL ? 'redis' : 'memory' },
      },
    });
    expect(typeof health.dependencies.database.latencyMs).toBe('number');
    expect(typeof health.dependencies.cache.latencyMs).toBe('number');
  });
});
