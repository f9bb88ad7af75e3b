import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { exitOf, killSpawnedGateways, startGatewayProcess } from '../../test/support/gateway-process';
import { programArgs } from '../../test/support/programs';
import { runProgram } from '../../test/support/cli';
import { until } from '../../test/support/wait';

// `npm start` owns the embedded database and lets other processes in: the scenario,
// with every process real. It is about the embedded database, so it runs the same with or
// without DATABASE_URL in the test's environment.
const dir = mkdtempSync(path.join(tmpdir(), 'soldgraph-shared-'));
const children: ReturnType<typeof spawn>[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await killSpawnedGateways();
  rmSync(dir, { recursive: true, force: true });
});

// Answers stay cached for an hour unless purged: a count that changes in this test was purged.
const gatewayEnv = { PGLITE_DIR: dir, SEED_ON_EMPTY: 'false', AUTH_MODE: 'open', CACHE_TTL_SECONDS: '3600' };
const cliEnv = { ...process.env, DATABASE_URL: '', REDIS_URL: '', PGLITE_DIR: dir };

type Counts = { products: number; runs: number; statuses: string[] };

async function ask<Data>(url: string, query: string): Promise<{ data: Data; cached?: string }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Data; extensions?: { cache?: { status?: string } } };
  if (!body.data) throw new Error(`no data for ${query}: ${JSON.stringify(body)}`);
  return { data: body.data, cached: body.extensions?.cache?.status };
}

async function countsAt(url: string): Promise<Counts> {
  // Two requests: the product count is cached, the runs (pipeline data) are not.
  const [products, runs] = await Promise.all([
    ask<{ products: { totalCount: number } }>(url, '{ products(first: 1) { totalCount } }'),
    ask<{ ingestRuns: { totalCount: number; nodes: { status: string }[] } }>(
      url,
      '{ ingestRuns(first: 50) { totalCount nodes { status } } }',
    ),
  ]);
  return {
    products: products.data.products.totalCount,
    runs: runs.data.ingestRuns.totalCount,
    statuses: [...new Set(runs.data.ingestRuns.nodes.map((run) => run.status))],
  };
}

function runIngest(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, programArgs('ingest/cli', args), { env: cliEnv });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('the embedded database shared by npm start', () => {
  it('takes ingestion from another process, shows it at once, and keeps it across a restart', async () => {
    const first = await startGatewayProcess(gatewayEnv);
    expect(first.output()).toMatch(/Database:\s+postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres/);
    expect(await countsAt(first.url)).toEqual({ products: 0, runs: 0, statuses: [] });
    // The gateway now answers the product count from its cache.
    const cached = await ask(first.url, '{ products(first: 1) { totalCount } }');
    expect(cached).toMatchObject({ cached: 'HIT', data: { products: { totalCount: 0 } } });

    // The catalog too: the gateway keeps it in its memory for the cache's TTL.
    const roots = '{ canonicalCategories(rootsOnly: true) { name } }';
    expect(await ask(first.url, roots)).toMatchObject({ data: { canonicalCategories: [] } });

    const ingest = await runIngest(['samples']);
    expect(ingest).toMatchObject({ code: 0 });
    // The run's cache purge reached the gateway through the database: no answer waited out its TTL.
    const after = await until(
      async () => {
        // Paced below the open mode's rate limit (600 requests a minute).
        await new Promise((resolve) => setTimeout(resolve, 250));
        return countsAt(first.url);
      },
      (counts) => counts.runs > 0 && counts.products > 0,
    );
    expect(after.statuses).toEqual(['SUCCEEDED']);
    // The run added marketplaces and categories: every product finds its own in the catalog.
    const listed = await ask<{
      products: { nodes: { marketplace: { code: string }; category: { name: string } | null }[] };
    }>(first.url, '{ products(first: 50) { nodes { marketplace { code } category { name } } } }');
    expect(listed.data.products.nodes.length).toBe(after.products);
    expect(listed.data.products.nodes.filter((product) => product.category === null)).toEqual([]);
    const rootNames = async () =>
      (await ask<{ canonicalCategories: { name: string }[] }>(first.url, roots)).data.canonicalCategories.map(
        (node) => node.name,
      );
    expect(await rootNames()).toContain('Cell Phones & Accessories');

    // A database command purges the gateway's cache the same way.
    const mapped = await runProgram('db/cli/taxonomy', ['map', 'ebay-us:9355', 'Telephones > Smartphones'], {
      DATABASE_URL: '',
      PGLITE_DIR: dir,
    });
    expect(mapped).toMatchObject({ code: 0 });
    expect(await rootNames()).toContain('Telephones');

    // psql (and anything speaking PostgreSQL's protocol) reads the same data with the advertised URL.
    const url = readFileSync(path.join(dir, 'soldgraph.server'), 'utf8').split('\n')[1] ?? '';
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from products');
    await client.end();
    expect(rows[0]?.n).toBe(after.products);
    if (spawnSync('psql', ['--version']).status === 0) {
      const psql = spawnSync('psql', [url, '-Atc', 'select count(*) from ingest_runs'], { encoding: 'utf8' });
      expect({ out: psql.stdout.trim(), err: psql.stderr }).toMatchObject({ out: String(after.runs) });
    }

    const stopped = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect({ code: await stopped, output: first.output() }).toMatchObject({ code: 0 });

    const second = await startGatewayProcess(gatewayEnv);
    try {
      expect(await countsAt(second.url)).toEqual(after);
    } finally {
      const exited = exitOf(second.child);
      second.child.kill('SIGTERM');
      await exited;
    }
  });
});
