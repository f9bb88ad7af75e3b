import { createHash } from 'node:crypto';
import { createApiKey, revokeApiKey } from '../../data/api-keys';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';

// A safelisted operation of its own, so the test does not depend on the dashboard's documents.
const SAFE_DOCUMENT = 'query SafeMarketplaces { marketplaces { code } }';
const SAFE_HASH = createHash('sha256').update(SAFE_DOCUMENT).digest('hex');

let gw: TestGateway;
let keys: { analyst: string; operator: string; dashboard: string };

beforeAll(async () => {
  gw = await startTestGateway({
    gateway: { authMode: 'keys', keyCacheMs: 0, safelist: new Map([[SAFE_HASH, SAFE_DOCUMENT]]) },
  });
  const mint = async (role: 'analyst' | 'operator' | 'dashboard') =>
    (await createApiKey(gw.database.db, { name: `${role} key`, role })).key;
  keys = { analyst: await mint('analyst'), operator: await mint('operator'), dashboard: await mint('dashboard') };
});

afterAll(async () => {
  await gw?.stop();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function errorOf(query: string, headers: Record<string, string> = {}) {
  const { status, body } = await gw.post(query, undefined, headers);
  return { status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message };
}

describe('API keys in keys mode', () => {
  it('refuses an ad-hoc operation without a key, saying how to get one', async () => {
    expect(await errorOf('{ marketplaces { code } }')).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      message:
        'An API key is needed for this operation: send "Authorization: Bearer <key>". Operators mint keys with npm run keys -- create.',
    });
  });

  it('refuses an unknown or malformed key', async () => {
    const unknown = await errorOf('{ marketplaces { code } }', bearer(`sg_${'x'.repeat(43)}`));
    expect(unknown).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const malformed = await errorOf('{ marketplaces { code } }', { 'x-api-key': 'let-me-in' });
    expect(malformed).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it("runs an analyst's query within the analyst's budget", async () => {
    const { status, body } = await gw.post('{ marketplaces { code } }', undefined, bearer(keys.analyst));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.extensions?.cost as { budget: number }).budget).toBe(50_000);
  });

  it('runs a safelisted operation by its hash alone, without a key, as the dashboard', async () => {
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: SAFE_HASH } });
    const response = await fetch(`${gw.url}/graphql?extensions=${encodeURIComponent(extensions)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    const body = (await response.json()) as {
      data: { marketplaces: unknown[] };
      extensions: { cost: { budget: number } };
    };
    expect(response.status).toBe(200);
    expect(body.data.marketplaces.length).toBeGreaterThan(0);
    expect(body.extensions.cost.budget).toBe(5_000);
  });

  it('stops honouring a key once it is revoked', async () => {
    const { key, id } = await createApiKey(gw.database.db, { name: 'short-lived', role: 'analyst' });
    expect((await gw.post('{ marketplaces { code } }', undefined, bearer(key))).status).toBe(200);
    await revokeApiKey(gw.database.db, id);
    expect(await errorOf('{ marketplaces { code } }', bearer(key))).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('what each role may read', () => {
  const PAYLOADS = '{ ingestRuns(first: 1) { nodes { id quarantine(first: 1) { nodes { code record } } } } }';

  it('keeps quarantined payloads for operators, naming the field and the scope, and shows everyone why records were set aside', async () => {
    expect(await errorOf(PAYLOADS, bearer(keys.analyst))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message:
        'QuarantinedRecord.record needs the operator scope, which the analyst role has not: ask an operator for a key with a role that has it.',
    });
    const operator = await gw.post(PAYLOADS, undefined, bearer(keys.operator));
    expect(operator.body.errors).toBeUndefined();
    const reasons =
      '{ ingestRuns(first: 1) { nodes { quarantine(first: 1) { totalCount nodes { code reason locator } } } } }';
    const analyst = await gw.post(reasons, undefined, bearer(keys.analyst));
    expect(analyst.body.errors).toBeUndefined();
  });

  it("lets analysts read the pipeline's runs but not their parameters", async () => {
    const runs = await gw.post('{ ingestRuns(first: 1) { totalCount } }', undefined, bearer(keys.analyst));
    expect(runs.body.errors).toBeUndefined();
    expect(await errorOf('{ ingestRuns(first: 1) { nodes { parameters } } }', bearer(keys.analyst))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('keeps introspection for analysts and above', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    expect(await errorOf(introspection, bearer(keys.dashboard))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Introspection is for analysts and above; this request runs as dashboard.',
    });
    const analyst = await gw.post(introspection, undefined, bearer(keys.analyst));
    expect(analyst.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it("applies the same rules through federation's _entities", async () => {
    const entities = (field: string) =>
      `{ _entities(representations: [{ __typename: "IngestRun", id: "1" }]) { ... on IngestRun { ${field} } } }`;
    expect(await errorOf(entities('parameters'), bearer(keys.analyst))).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^IngestRun\.parameters needs the operator scope/),
    });
    const { body } = await gw.post(entities('id status'), undefined, bearer(keys.analyst));
    expect(body.errors).toBeUndefined();
  });
});

describe('GraphiQL in keys mode', () => {
  it('asks for a key in the headers editor', async () => {
    const response = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('Bearer <your API key: npm run keys -- create>');
  });
});
