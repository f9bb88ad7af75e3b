import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decimalAmount } from '../../lib/money';
import { openTestDatabase } from '../../test/support/database';
import { killPrograms, type Program, runToEnd, startProgram, stopProgram } from '../../test/support/federated-stack';

// The federated stack as `npm run start:federated` runs it, as real processes over real HTTP:
// the core subgraph, the watchlists subgraph and the Hive federation gateway. On PostgreSQL
// (DATABASE_URL) everything runs in keys mode with a key minted by the keys CLI, and Redis
// (REDIS_URL) carries ingestion's purges to the watchlists.
const postgres = process.env.DATABASE_URL;
const redis = process.env.REDIS_URL ?? '';
// Real processes on a shared two-core machine: starting, seeding and ingesting take a while.
jest.setTimeout(300_000);

/** Lower than the default so a plausible analyst query can be refused at the gateway. */
const MAX_COST = 5_000;

type Answer<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cost?: { estimated: number; max: number } };
};

let dataDir: string | undefined;
let closeDatabase: (() => Promise<void>) | undefined;
let key: string | undefined;
let coreEnv: Record<string, string>;
let core: Program & { url: string };
let federationUrl: string;

const banner = {
  core: /GraphQL API:\s+(http:\/\/\S+)\/graphql/,
  watchlists: /Watchlists API:\s+(http:\/\/\S+)\/graphql/,
  federation: /Federated API:\s+(http:\/\/\S+)\/graphql/,
};

/**
 * One request through the federation gateway, with the test's key on PostgreSQL unless
 * `withKey` is false; `statements` is the gateway's per-subgraph SQL report.
 */
async function federated<T>(body: Record<string, unknown>, withKey = true) {
  const response = await fetch(`${federationUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key && withKey ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const report = response.headers.get('x-subgraph-sql-statements');
  const statements: Record<string, number[]> = {};
  for (const entry of report ? report.split(', ') : []) {
    const [name = '', count = ''] = entry.split('=');
    statements[name] = [...(statements[name] ?? []), Number(count)];
  }
  return { status: response.status, body: (await response.json()) as Answer<T>, statements };
}

const query = <T>(text: string, variables?: Record<string, unknown>) => federated<T>({ query: text, variables });

type Product = { id: string; title: string; price: { minorUnits: number; currency: string; amount: string } };

beforeAll(async () => {
  const shared: Record<string, string> = { REDIS_URL: postgres ? redis : '', LOG_LEVEL: 'warn', AUTH_MODE: '' };
  let watchlistsStorage: Record<string, string>;
  if (postgres) {
    const database = await openTestDatabase(2);
    closeDatabase = () => database.close();
    shared.DATABASE_URL = database.url ?? '';
    const minted = await runToEnd('gateway/keys-cli', ['create', '--name', 'federation-test', '--role', 'admin'], {
      ...shared,
    });
    key = /\b(sg_\S+)/.exec(minted.output)?.[1];
    if (!key) throw new Error(`no key minted:\n${minted.output}`);
    watchlistsStorage = { WATCHLISTS_CORE_KEY: key, WATCHLISTS_POLL_SECONDS: '5' };
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'soldgraph-federated-'));
    shared.DATABASE_URL = '';
    watchlistsStorage = {
      WATCHLISTS_PGLITE_DIR: path.join(dataDir, 'watchlists'),
      WATCHLISTS_POLL_SECONDS: '1',
    };
  }
  coreEnv = {
    ...shared,
    PORT: '0',
    PGLITE_DIR: dataDir ? path.join(dataDir, 'core') : 'memory://',
    SEED_SIZE: 'small',
    // Other test files share this Redis: answers cached by their gateways must not reach this one.
    RESPONSE_CACHE: 'false',
  };
  core = await startProgram('gateway/main', coreEnv, banner.core);
  const coreUrl = `${core.url}/graphql`;
  const watchlists = await startProgram(
    'watchlists/main',
    { ...shared, ...watchlistsStorage, PORT: '0', CORE_URL: coreUrl },
    banner.watchlists,
  );
  const federation = await startProgram(
    'federation/main',
    {
      ...shared,
      PORT: '0',
      CORE_URL: coreUrl,
      WATCHLISTS_URL: `${watchlists.url}/graphql`,
      FEDERATION_MAX_COST: String(MAX_COST),
    },
    banner.federation,
  );
  federationUrl = federation.url;
});

afterAll(async () => {
  await killPrograms();
  await closeDatabase?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Lands ingestion runs in the core (the bundled samples, through the ingest CLI); returns the newest run's id. */
async function landIngestionRuns(): Promise<string> {
  // The embedded database belongs to one process: the core stops for the run, then comes back
  // on the same port (the gateway and the watchlists know it by that address).
  if (!postgres) await stopProgram(core);
  const run = await runToEnd('ingest/cli', ['samples'], coreEnv);
  expect({ code: run.code, output: run.output }).toMatchObject({ code: 0 });
  if (!postgres) core = await startProgram('gateway/main', { ...coreEnv, PORT: new URL(core.url).port }, banner.core);
  const runs = [...run.output.matchAll(/run (\d+) SUCCEEDED/g)].map((match) => Number(match[1]));
  expect(runs.length).toBeGreaterThan(0);
  return String(Math.max(...runs));
}

/** Polls the federated API until `done` holds for its answer; jest's timeout bounds the wait. */
async function until<T>(text: string, done: (data: T) => boolean): Promise<T> {
  for (;;) {
    const { body } = await query<T>(text).catch(() => ({ body: {} as Answer<T> }));
    if (body.data && done(body.data)) return body.data;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the federated graph', () => {
  let products: Product[];
  let ended: Product;

  beforeAll(async () => {
    const { body } = await query<{ active: { nodes: Product[] }; ended: { nodes: Product[] } }>(
      `{ active: products(first: 3, filter: { status: [ACTIVE] }) { nodes { ...Priced } }
         ended: products(first: 1, filter: { status: [ENDED, SOLD] }) { nodes { ...Priced } } }
       fragment Priced on Product { id title price { minorUnits currency amount } }`,
    );
    expect(body.errors).toBeUndefined();
    products = body.data?.active.nodes ?? [];
    expect(products).toHaveLength(3);
    const [first] = body.data?.ended.nodes ?? [];
    if (!first) throw new Error('the demo data holds no ended listing');
    ended = first;
  });

  it('takes watches through the gateway, with clear errors for bad input', async () => {
    const [atTarget, aboveTarget, otherCurrency] = products as [Product, Product, Product];
    const watch = (product: Product, amount: string, currency: string) =>
      query<{ watchProduct: { status: string } }>(
        `mutation ($id: ID!, $amount: String!, $currency: String!) {
          watchProduct(productId: $id, targetPrice: { amount: $amount, currency: $currency }) { status }
        }`,
        { id: product.id, amount, currency },
      );
    const below = (price: Product['price']) => ({ ...price, minorUnits: price.minorUnits - 1 });
    const results = await Promise.all([
      watch(atTarget, atTarget.price.amount, atTarget.price.currency),
      watch(aboveTarget, decimalAmount(below(aboveTarget.price)), aboveTarget.price.currency),
      watch(otherCurrency, '1', otherCurrency.price.currency === 'USD' ? 'EUR' : 'USD'),
      watch(ended, ended.price.amount, ended.price.currency),
    ]);
    for (const { body } of results) expect(body).toMatchObject({ data: { watchProduct: { status: 'PENDING' } } });

    const unknown = await watch({ ...atTarget, id: '99999999' }, '1', 'USD');
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const badAmount = await watch(atTarget, '1.001', 'USD');
    expect(badAmount.body.errors?.[0]).toMatchObject({
      message: 'targetPrice.amount: USD has 2 decimal digits, got "1.001".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('spans both subgraphs with one SQL statement per entity fetch in each', async () => {
    // Core first (products), then one _entities fetch to the watchlists for all five.
    const fromCore = await query<{ products: { nodes: { id: string; watchers: number; alertState: unknown }[] } }>(
      '{ products(first: 5, filter: { status: [ACTIVE] }) { nodes { id watchers alertState { status targetPrice { amount } } } } }',
    );
    expect(fromCore.body.errors).toBeUndefined();
    expect(fromCore.body.data?.products.nodes.map((p) => p.watchers)).toEqual([1, 1, 1, 0, 0]);
    expect(fromCore.statements.watchlists).toEqual([1]);

    // Watchlists first (the caller's alerts), then one _entities fetch to the core for their products.
    const fromWatchlists = await query<{ watchlist: { product: { title: string } }[] }>(
      '{ watchlist { status targetPrice { amount currency } product { id title price { amount currency } } } }',
    );
    expect(fromWatchlists.body.errors).toBeUndefined();
    expect(fromWatchlists.body.data?.watchlist.map((alert) => alert.product.title).sort()).toEqual(
      [...products, ended].map((product) => product.title).sort(),
    );
    expect(fromWatchlists.statements).toEqual({ watchlists: [1], core: [1] });
  });

  it('evaluates the alert rules after an ingestion run lands', async () => {
    const newestRun = await landIngestionRuns();

    type Evaluated = {
      lastAlertEvaluation: { runId: string; alerts: number; triggered: number } | null;
      watchlist: {
        status: string;
        evaluatedRunId: string | null;
        triggeredAt: string | null;
        lastPrice: unknown;
        product: { id: string };
      }[];
    };
    const data = await until<Evaluated>(
      `{ lastAlertEvaluation { runId alerts triggered }
         watchlist { status evaluatedRunId triggeredAt lastPrice { minorUnits currency } product { id } } }`,
      // With Redis each run's purge may start a pass of its own: wait for the one after the newest.
      // A pass saves alerts page by page and records itself last, so wait for the record too.
      (answer) =>
        answer.lastAlertEvaluation?.runId === newestRun &&
        answer.watchlist.every((alert) => alert.evaluatedRunId === newestRun),
    );
    const [atTarget, aboveTarget, otherCurrency] = products as [Product, Product, Product];
    const byProduct = new Map(data.watchlist.map((alert) => [alert.product.id, alert]));
    expect(byProduct.get(atTarget.id)).toMatchObject({
      status: 'TRIGGERED',
      lastPrice: { minorUnits: atTarget.price.minorUnits, currency: atTarget.price.currency },
    });
    expect(byProduct.get(atTarget.id)?.triggeredAt).toEqual(expect.any(String));
    expect(byProduct.get(aboveTarget.id)).toMatchObject({ status: 'WAITING', triggeredAt: null });
    expect(byProduct.get(otherCurrency.id)).toMatchObject({ status: 'CURRENCY_MISMATCH' });
    expect(byProduct.get(ended.id)).toMatchObject({ status: 'ENDED', triggeredAt: null });
    // The alert fired in the first pass that saw its price; a later pass keeps it without firing again.
    expect(data.lastAlertEvaluation).toMatchObject({ runId: newestRun, alerts: 4 });
    expect(data.lastAlertEvaluation?.triggered).toBeLessThanOrEqual(1);
  });
});

describe('demand control at the gateway', () => {
  it('reports the estimated cost from the SDL weights', async () => {
    const { body } = await query('{ products(first: 10) { nodes { id images(first: 3) { url } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.cost).toEqual({ estimated: expect.any(Number), max: MAX_COST });
    expect(body.extensions?.cost?.estimated).toBeGreaterThanOrEqual(40);
  });

  it('refuses an operation over the budget before any subgraph is asked', async () => {
    const { body, statements } = await query(
      '{ products(first: 100) { nodes { id sales(first: 100) { nodes { id } } } } }',
    );
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(statements).toEqual({});
  });
});

describe('persisted operations at the gateway', () => {
  const documents = JSON.parse(
    readFileSync(path.join(__dirname, '../../web/__generated__/persisted-documents.json'), 'utf8'),
  ) as Record<string, string>;
  const anchor = Object.keys(documents).find((hash) => /query DataAnchor\b/.test(documents[hash] ?? ''));
  const byHash = (hash: string) => federated({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

  it("runs the dashboard's operations by hash", async () => {
    expect(anchor).toBeDefined();
    const { body } = await byHash((anchor ?? '').replace(/^sha256:/, ''));
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(expect.any(Object));
  });

  it('refuses a hash that is not in the list', async () => {
    const { body } = await byHash('0'.repeat(64));
    expect(body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  (postgres ? it : it.skip)('refuses other documents without a key in keys mode', async () => {
    const { status, body } = await federated({ query: '{ marketplaces { code } }' }, false);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  (postgres ? it : it.skip)('answers no introspection in keys mode, not even to a made-up key', async () => {
    // The gateway answers __schema itself, where no subgraph would check the key.
    const response = await fetch(`${federationUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-key' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    const body = (await response.json()) as Answer<{ __schema?: unknown }>;
    expect(body.data?.__schema).toBeUndefined();
    expect(body.errors?.length).toBeGreaterThan(0);
  });
});
