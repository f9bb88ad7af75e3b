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
    // A GET must say it is an API call (CSRF prevention): a header a browser would preflight.
    const response = await fetch(`${gw.url}/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { products: { nodes: unknown[] } } };
    expect(body.data.products.nodes).toHaveLength(2);
  });

  it('refuses a GET that a browser could send cross-site (CSRF prevention)', async () => {
    const params = new URLSearchParams({ query: '{ marketplaces { code } }' });
    const response = await fetch(`${gw.url}/graphql?${params}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('refuses a mutation over GET and an empty body with 400', async () => {
    const empty = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(empty.status).toBe(400);
  });

  it('answers malformed JSON with a 400 in the GraphQL error shape, without a stack', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ marketplaces { code } }"',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]?.message).toMatch(/^Bad request: /);
    expect(JSON.stringify(body)).not.toMatch(/node_modules|at \w+ \(/);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ marketplaces { code } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'BAD_REQUEST',
    );
  });

  it('lets browsers on other origins call the API (CORS)', async () => {
    const preflight = await fetch(`${gw.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('sends the bare host to the explorer', async () => {
    const response = await fetch(`${gw.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });

  it("gives every response a request id, keeping the caller's", async () => {
    const own = await fetch(`${gw.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-123');
    const generated = await fetch(`${gw.url}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GraphiQL', () => {
  it('serves a small page to browsers on GET /graphql, whose files all come from the gateway', async () => {
    const response = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('Soldgraph GraphiQL');
    expect(html).toContain('"endpoint":"/graphql"');
    // GraphiQL's 5 MB bundle and Monaco's workers are files of their own, not inlined.
    expect(html.length).toBeLessThan(20_000);
    // Offline: no script, stylesheet or icon is fetched from anywhere else.
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    const files = [...html.matchAll(/(?:src|href)="(\/graphiql-assets\/[0-9a-f]{16}\.(css|js|ico))"/g)];
    expect(files.map(([, , extension]) => extension).sort()).toEqual(['css', 'ico', 'js']);
  });

  it("serves the explorer's files named by content, cached for a year, gzipped when asked", async () => {
    const html = await (await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    const bundle = /src="(\/graphiql-assets\/[0-9a-f]{16}\.js)"/.exec(html)?.[1];
    const plain = await fetch(`${gw.url}${bundle}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = await plain.text();
    expect(body).toContain('renderYogaGraphiQL');
    const zipped = await fetch(`${gw.url}${bundle}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.text()).toBe(body);
    expect((await fetch(`${gw.url}/graphiql-assets/0000000000000000.js`)).status).toBe(404);
  });

  it("serves Monaco's three workers as files of their own, outside the bundle", async () => {
    const html = await (await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    const workers = /getWorkerUrl: \(moduleId, label\) => \((\{[^}]+\})\)\[label\]/.exec(html)?.[1];
    const urls = JSON.parse(workers ?? '{}') as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(['editorWorkerService', 'graphql', 'json']);
    const bundle = await (
      await fetch(`${gw.url}${/src="(\/graphiql-assets\/[0-9a-f]{16}\.js)"/.exec(html)?.[1]}`)
    ).text();
    for (const url of Object.values(urls)) {
      expect(url).toMatch(/^\/graphiql-assets\/[0-9a-f]{16}\.js$/);
      const worker = await fetch(`${gw.url}${url}`);
      expect(worker.status).toBe(200);
      expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(worker.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const code = await worker.text();
      // Not also inlined: the bundle carries the worker's code neither as is nor as a string literal.
      const sample = code.slice(code.length / 2, code.length / 2 + 200);
      expect(bundle).not.toContain(sample);
      expect(bundle).not.toContain(JSON.stringify(sample).slice(1, -1));
    }
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
