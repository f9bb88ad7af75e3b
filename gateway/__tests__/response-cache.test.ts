import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runIngest } from '../../ingest/pipeline/run';
import { fileSource } from '../../ingest/sources/file/source';
import { createEntityCache, type EntityCache } from '../../lib/cache';
import { untilCacheIsUp } from '../../test/support/cache';
import { type GraphQLResponse, startTestGateway, type TestGateway } from '../../test/support/gateway';

type CacheExtension = { status: string; age?: number; staleAt?: string; reason?: string };
type ProductsData = { products: { totalCount: number; nodes: { id: string; title: string }[] } };

const PRODUCTS = `query Products($marketplace: [String!], $first: Int) {
  products(filter: { marketplace: $marketplace }, first: $first) { totalCount nodes { id title } }
}`;

const cacheOf = <Data>(body: GraphQLResponse<Data>) => body.extensions?.cache as CacheExtension;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('response cache', () => {
  let gw: TestGateway;
  let clock = Date.now();
  beforeAll(async () => {
    // Misses wait for the first one however loaded the machine is, so the count below is exact.
    const responseCache = { staleSeconds: 300, now: () => clock, sharedMissWaitMs: 60_000 };
    gw = await startTestGateway({ gateway: { responseCache } });
  });
  afterAll(() => gw.stop());

  async function products(variables: Record<string, unknown>, headers: Record<string, string> = {}) {
    const { status, body, headers: answered } = await gw.post<ProductsData>(PRODUCTS, variables, headers);
    return { status, body, headers: answered, statements: Number(answered.get('x-sql-statements')) };
  }

  it('answers a repeat from the cache: same data, no SQL, and says so', async () => {
    const variables = { marketplace: ['ebay-us'], first: 3 };
    const first = await products(variables);
    expect(cacheOf(first.body)).toMatchObject({ status: 'MISS', age: 0 });
    expect(first.statements).toBeGreaterThan(0);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=300$/);

    const second = await products({ first: 3, marketplace: ['ebay-us'] }); // same variables, other order
    expect(cacheOf(second.body)).toMatchObject({ status: 'HIT', staleAt: cacheOf(first.body).staleAt });
    expect(second.statements).toBe(0);
    expect(second.body.data).toEqual(first.body.data);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.body.extensions?.freshness).toEqual(first.body.extensions?.freshness);
  });

  it('bypasses on request, for operator data, for introspection, and never stores errors', async () => {
    const asked = await products({ marketplace: ['ebay-us'], first: 3 }, { 'cache-control': 'no-store' });
    expect(cacheOf(asked.body)).toMatchObject({ status: 'BYPASS', reason: expect.stringMatching(/no-store/) });
    expect(asked.statements).toBeGreaterThan(0);

    for (const query of ['{ ingestRuns(first: 1) { nodes { id } } }', '{ __schema { queryType { name } } }']) {
      for (let i = 0; i < 2; i += 1) {
        const { body } = await gw.post(query);
        expect(cacheOf(body).status).toBe('BYPASS');
      }
    }

    const failing = 'query { products(first: 3, after: "not-a-cursor") { nodes { id } } }';
    for (let i = 0; i < 2; i += 1) {
      const { body } = await gw.post(failing);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(cacheOf(body).status).toBe('MISS');
    }
  });

  it('serves GET with an ETag and answers a conditional GET with 304', async () => {
    const params = new URLSearchParams({ query: '{ marketplaces { code } }' });
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${gw.url}/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
    const first = await get();
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=/);
    const hit = await get();
    expect(((await hit.json()) as GraphQLResponse).extensions?.cache).toMatchObject({ status: 'HIT' });
    const conditional = await get({ 'if-none-match': etag as string });
    expect(conditional.status).toBe(304);
    expect(await conditional.text()).toBe('');
    // A GET a browser could send cross-site is still refused, cached or not.
    expect((await fetch(`${gw.url}/graphql?${params}`)).status).toBe(400);
  });

  it('serves a stale answer at once and refreshes it in the background, then expires it', async () => {
    const variables = { marketplace: ['ebay-de'], first: 2 };
    const first = await products(variables);
    expect(cacheOf(first.body).status).toBe('MISS');
    clock += 61_000; // past the products' max age of 60 s
    const stale = await products(variables);
    expect(cacheOf(stale.body)).toMatchObject({ status: 'STALE', age: 61 });
    expect(stale.statements).toBe(0);
    expect(stale.body.data).toEqual(first.body.data);
    const refreshed = await until('the background refresh', async () => {
      const answer = await products(variables);
      return cacheOf(answer.body).status === 'HIT' ? answer : undefined;
    });
    expect(cacheOf(refreshed.body).age).toBe(0);
    expect(refreshed.body.extensions?.freshness).not.toEqual(first.body.extensions?.freshness);

    clock += 61_000 + 300_000; // past staleAt and the stale window
    expect(cacheOf((await products(variables)).body).status).toBe('MISS');
  });

  it('computes a cold key once for 50 concurrent requests', async () => {
    const variables = { marketplace: ['amazon-jp'], first: 7 };
    const answers = await Promise.all(Array.from({ length: 50 }, () => products(variables)));
    const statuses = answers.map((answer) => cacheOf(answer.body).status);
    expect(statuses.filter((status) => status === 'MISS')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'HIT')).toHaveLength(49);
    const statements = answers.reduce((sum, answer) => sum + answer.statements, 0);
    const miss = answers.find((answer) => cacheOf(answer.body).status === 'MISS');
    expect(statements).toBe(miss?.statements);
    for (const answer of answers) expect(answer.body.data).toEqual(miss?.body.data);
  });
});

describe('invalidation by ingestion', () => {
  let gw: TestGateway;
  let directory: string;
  // The ingest runs as another process would: its own connection to the shared cache.
  let ingestCache: EntityCache;
  beforeAll(async () => {
    const namespace = `soldgraph-test-${randomBytes(6).toString('hex')}`;
    const connect = () =>
      createEntityCache({ redisUrl: process.env.REDIS_URL, namespace, timeoutMs: 1_000, defaultTtlMs: 60_000 });
    const gatewayCache = connect();
    ingestCache = process.env.REDIS_URL ? connect() : gatewayCache;
    await Promise.all([untilCacheIsUp(gatewayCache), untilCacheIsUp(ingestCache)]);
    gw = await startTestGateway({ cache: gatewayCache });
    directory = await mkdtemp(path.join(tmpdir(), 'soldgraph-purge-'));
  });
  afterAll(async () => {
    if (ingestCache !== gw.cache) await ingestCache.close();
    await gw.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('drops answers over what a run wrote, keeps the others, and the next answer is new', async () => {
    const ebayUs = { marketplace: ['ebay-us'], first: 1 };
    const amazonJp = { marketplace: ['amazon-jp'], first: 1 };
    const before = (await gw.post<ProductsData>(PRODUCTS, ebayUs)).body;
    await gw.post(PRODUCTS, amazonJp);
    expect(cacheOf((await gw.post(PRODUCTS, ebayUs)).body).status).toBe('HIT');
    expect(cacheOf((await gw.post(PRODUCTS, amazonJp)).body).status).toBe('HIT');

    const file = path.join(directory, `new-${randomBytes(4).toString('hex')}.csv`);
    await writeFile(
      file,
      'marketplace,external_id,title,price,currency,observed_at\n' +
        'ebay-us,990000000001,A brand-new listing,10.00,USD,2026-06-29T08:00:00Z\n',
    );
    const run = await runIngest({ db: gw.database.db, cache: ingestCache }, fileSource, { path: file });
    expect(run.status).toBe('SUCCEEDED');

    // The purge reaches the gateway's in-process copy over the cache's channel: no stale answer after it.
    const after = await until('the purge', async () => {
      const { body } = await gw.post<ProductsData>(PRODUCTS, ebayUs);
      return cacheOf(body).status === 'MISS' ? body : undefined;
    });
    expect(after.data?.products.totalCount).toBe((before.data?.products.totalCount ?? 0) + 1);
    expect(after.extensions?.freshness).toMatchObject({ lastChangeAt: expect.any(String) });
    expect(cacheOf((await gw.post(PRODUCTS, ebayUs)).body).status).toBe('HIT');
    expect(cacheOf((await gw.post(PRODUCTS, amazonJp)).body).status).toBe('HIT');
  });
});

describe('a shared cache that is down', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    const dead = createEntityCache({ redisUrl: 'redis://127.0.0.1:1', timeoutMs: 100, defaultTtlMs: 60_000 });
    gw = await startTestGateway({ cache: dead });
  });
  afterAll(() => gw.stop());

  it('answers from the database and this process, never an error', async () => {
    const first = await gw.post(PRODUCTS, { marketplace: ['ebay-us'], first: 2 });
    expect(first.status).toBe(200);
    expect(cacheOf(first.body).status).toBe('MISS');
    const second = await gw.post(PRODUCTS, { marketplace: ['ebay-us'], first: 2 });
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual(first.body.data);
    // The in-process copy still answers while Redis is away.
    expect(cacheOf(second.body).status).toBe('HIT');
  });
});

(process.env.REDIS_URL ? describe : describe.skip)('automatic persisted queries (REDIS_URL)', () => {
  const gateways: TestGateway[] = [];
  afterAll(async () => {
    for (const gw of gateways) await gw.stop();
  });

  it('registers a document with one gateway process and runs it by hash on another', async () => {
    const shared = createEntityCache({
      redisUrl: process.env.REDIS_URL as string,
      namespace: `soldgraph-test-${randomBytes(6).toString('hex')}`,
      timeoutMs: 1_000,
      defaultTtlMs: 60_000,
    });
    await untilCacheIsUp(shared);
    gateways.push(await startTestGateway({ cache: shared }), await startTestGateway({ cache: shared }));
    const [one, two] = gateways as [TestGateway, TestGateway];
    const query = '{ marketplaces { code name } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    // Past the response cache, which would answer a known hash without the document.
    const send = async (gw: TestGateway, body: object) => {
      const response = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as GraphQLResponse;
    };

    const unknown = await send(two, { extensions });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await send(one, { query, extensions });
    expect(registered.errors).toBeUndefined();
    const byHash = await send(two, { extensions });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
  });
});

describe('answers over the size limit', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ gateway: { responseMaxBytes: 2_000 } });
  });
  afterAll(() => gw.stop());

  it('are refused every time, never stored and served from the cache', async () => {
    for (let i = 0; i < 2; i += 1) {
      const { body } = await gw.post(PRODUCTS, { marketplace: ['ebay-us'], first: 50 });
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
    }
  });
});
