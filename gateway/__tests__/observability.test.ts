import { Writable } from 'node:stream';
import pino from 'pino';
import { createApiKey } from '../../data/api-keys';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';

/** The gateway's log lines as parsed JSON, in order. */
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ gateway: { logger: pino({ level: 'info' }, sink) } });
});

afterAll(async () => {
  await gw?.stop();
});

/** The scrape as Prometheus reads it: `name{labels} value` lines, comments left out. */
async function scrape(headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(`${gw.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** The log line of the request whose answer carried this x-request-id. */
async function logLineOf(requestId: string | null): Promise<Record<string, unknown>> {
  // The line is written when the response finishes, a moment after the client has it.
  for (let waited = 0; ; waited += 10) {
    const line = lines.find((entry) => entry.msg === 'request' && entry.requestId === requestId);
    if (line) return line;
    if (waited > 5_000) throw new Error(`no log line for request ${requestId}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Eleven levels over the cycle marketplaces -> rootCategories -> marketplace: one past the depth limit. */
const DEEP = `{ marketplaces { ${'rootCategories { marketplace { '.repeat(4)} rootCategories { name } ${'} } '.repeat(4)} } }`;
const EXPENSIVE = `{ topProducts(first: 100, from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z") {
  product { sales(first: 100) { nodes { product { sales(first: 100) { nodes { id } } } } } } } }`;

describe('Prometheus metrics', () => {
  it('counts requests by operation and status, with latency, SQL statements, cost and the pool', async () => {
    const before = await scrape();
    const requests = 'soldgraph_graphql_requests_total{operation="Listing",status="200"}';
    for (let i = 0; i < 3; i += 1) {
      // Past the response cache, so each of the three runs.
      const listing = 'query Listing { products(first: 2) { nodes { id title } } }';
      const { status } = await gw.post(listing, undefined, { 'cache-control': 'no-store' });
      expect(status).toBe(200);
    }
    const after = await scrape();
    expect((after.get(requests) ?? 0) - (before.get(requests) ?? 0)).toBe(3);
    const latency = 'soldgraph_graphql_request_duration_seconds_count{operation="Listing"}';
    expect((after.get(latency) ?? 0) - (before.get(latency) ?? 0)).toBe(3);
    // Each of the three ran at least one statement, so the sum grew by at least three.
    const statements = 'soldgraph_sql_statements_per_request_sum';
    expect((after.get(statements) ?? 0) - (before.get(statements) ?? 0)).toBeGreaterThanOrEqual(3);
    expect(
      (after.get('soldgraph_graphql_operation_cost_count') ?? 0) -
        (before.get('soldgraph_graphql_operation_cost_count') ?? 0),
    ).toBe(3);
    expect(after.get('soldgraph_db_pool_connections{state="max"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('soldgraph_db_pool_connections{state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(after.has('soldgraph_db_pool_connections{state="waiting"}')).toBe(true);
    expect(after.has('soldgraph_bulkhead_waiting')).toBe(true);
    expect(after.get('soldgraph_admission_cost{state="capacity"}')).toBe(25_000);
    // prom-client's process metrics come along: memory is what an operator alerts on first.
    expect(after.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts refusals by the limit that refused and errors by code', async () => {
    const before = await scrape();
    const delta = (after: Map<string, number>, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect((await gw.post(DEEP)).status).toBe(400);
    expect((await gw.post(EXPENSIVE)).status).toBe(400);
    expect((await gw.post('{ product(id: "abc") { id } }')).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = await scrape();
    expect(delta(after, 'soldgraph_refusals_total{limit="depth"}')).toBe(1);
    expect(delta(after, 'soldgraph_refusals_total{limit="cost"}')).toBe(1);
    expect(delta(after, 'soldgraph_graphql_errors_total{code="MAX_DEPTH_LIMIT"}')).toBe(1);
    expect(delta(after, 'soldgraph_graphql_errors_total{code="COST_ESTIMATED_TOO_EXPENSIVE"}')).toBe(1);
    expect(delta(after, 'soldgraph_graphql_errors_total{code="BAD_USER_INPUT"}')).toBe(1);
    // Refused before an operation was found: no name to give it.
    expect(delta(after, 'soldgraph_graphql_requests_total{operation="(none)",status="400"}')).toBe(1);
  });

  it('counts reads of the entity cache by tier, and answers by what the response cache did', async () => {
    const before = await scrape();
    const delta = (after: Map<string, number>, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    // The catalog is kept parsed in this process: past the first load every read is a process hit.
    const uncached = { 'cache-control': 'no-store' };
    await gw.post('{ marketplaces { code name } }', undefined, uncached);
    await gw.post('{ marketplaces { code name } }', undefined, uncached);
    // The response cache: the first of these computes, the second is answered from the cache.
    await gw.post('{ marketplaces { code defaultCurrency } }');
    await gw.post('{ marketplaces { code defaultCurrency } }');
    const after = await scrape();
    expect(delta(after, 'soldgraph_cache_reads_total{tier="process",result="hit"}')).toBeGreaterThanOrEqual(2);
    expect(delta(after, 'soldgraph_response_cache_total{status="BYPASS"}')).toBe(2);
    expect(delta(after, 'soldgraph_response_cache_total{status="MISS"}')).toBe(1);
    expect(delta(after, 'soldgraph_response_cache_total{status="HIT"}')).toBe(1);
  });

  it('gives at most 200 operation names a label of their own; the rest share (other)', async () => {
    for (let i = 0; i < 210; i += 1) await gw.post(`query Invented${i} { __typename }`);
    const after = await scrape();
    const operations = new Set(
      [...after.keys()].map((name) => /^soldgraph_graphql_requests_total\{operation="([^"]*)"/.exec(name)?.[1]),
    );
    operations.delete(undefined);
    expect(operations.size).toBe(201);
    expect(after.get('soldgraph_graphql_requests_total{operation="(other)",status="200"}')).toBeGreaterThanOrEqual(10);
  });
});

describe('request logs', () => {
  it('carry the operation, audience, cost, cache reads and SQL statements of each request', async () => {
    const markets = 'query Markets { marketplaces { code } products(first: 1) { nodes { id } } }';
    const { headers } = await gw.post(markets);
    const line = await logLineOf(headers.get('x-request-id'));
    expect(line).toMatchObject({
      path: '/graphql',
      status: 200,
      operationName: 'Markets',
      role: 'admin',
      cost: { estimated: expect.any(Number), actual: expect.any(Number), budget: 100_000 },
      cache: { hits: expect.any(Number), misses: expect.any(Number) },
      sqlStatements: Number(headers.get('x-sql-statements')),
    });
    expect(line.sqlStatements).toBeGreaterThan(0);
    const cache = line.cache as { hits: number; misses: number };
    expect(cache.hits + cache.misses).toBeGreaterThan(0);
    expect(line.responseCache).toBe('MISS');

    // The same again is answered by the response cache, and its line says so under the same name.
    const again = await gw.post(markets);
    expect(await logLineOf(again.headers.get('x-request-id'))).toMatchObject({
      operationName: 'Markets',
      responseCache: 'HIT',
      sqlStatements: 0,
    });
  });

  it('carry the error codes of a refused request', async () => {
    const { headers } = await gw.post(EXPENSIVE);
    const line = await logLineOf(headers.get('x-request-id'));
    expect(line).toMatchObject({ status: 400, errorCodes: ['COST_ESTIMATED_TOO_EXPENSIVE'], sqlStatements: 0 });
  });
});

describe('/metrics with API keys', () => {
  let keyed: TestGateway;

  beforeAll(async () => {
    keyed = await startTestGateway({ gateway: { authMode: 'keys', keyCacheMs: 0 } });
  });

  afterAll(async () => {
    await keyed?.stop();
  });

  it('is for operators and admins only', async () => {
    const mint = async (role: 'analyst' | 'operator') =>
      (await createApiKey(keyed.database.db, { name: `${role} scraper`, role })).key;
    const metrics = (key?: string) =>
      fetch(`${keyed.url}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect((await metrics()).status).toBe(401);
    const analyst = await metrics(await mint('analyst'));
    expect(analyst.status).toBe(403);
    expect(((await analyst.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'FORBIDDEN',
    );
    const operator = await metrics(await mint('operator'));
    expect(operator.status).toBe(200);
    expect(await operator.text()).toMatch(/^# TYPE soldgraph_graphql_requests_total counter$/m);
  });
});
