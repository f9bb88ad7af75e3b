import { createApiKey } from '../../data/api-keys';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';

let gw: TestGateway;
const keys: Record<string, string> = {};

beforeAll(async () => {
  gw = await startTestGateway({ gateway: { authMode: 'keys', keyCacheMs: 0 } });
  for (const role of ['dashboard', 'analyst'] as const) {
    keys[role] = (await createApiKey(gw.database.db, { name: `${role} key`, role })).key;
  }
});
afterAll(() => gw?.stop());

type Statement = { sql: string; ms: number };
type Explain = { statements: Statement[]; tables: string[]; sqlMs: number; executionMs: number };
type Answer = {
  data?: unknown;
  errors?: unknown[];
  extensions?: { explain?: Explain; cache?: { status: string } };
};

const MONTHLY = `query { salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", interval: MONTH, groupBy: [CATEGORY], first: 100) {
  source nodes { periodStart units } } }`;
const PRODUCTS = `query { products(first: 5) { nodes { title sales(first: 2) { nodes { soldAt } } } } }`;

async function ask(query: string, role: 'dashboard' | 'analyst', explain: boolean) {
  const response = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${keys[role]}`,
      ...(explain ? { 'x-explain': 'true' } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return { body: (await response.json()) as Answer, statements: Number(response.headers.get('x-sql-statements')) };
}

describe('x-explain: true', () => {
  it("lists every SQL statement an analyst's operation ran, with its time and the tables read", async () => {
    const { body, statements } = await ask(PRODUCTS, 'analyst', true);
    expect(body.errors).toBeUndefined();
    const explain = body.extensions?.explain;
    expect(explain?.statements).toHaveLength(statements);
    expect(statements).toBeGreaterThan(0);
    for (const statement of explain?.statements ?? []) {
      expect(statement.sql).toMatch(/^\s*(select|with)\b/i);
      expect(statement.ms).toBeGreaterThanOrEqual(0);
    }
    expect(explain?.tables).toEqual(expect.arrayContaining(['products', 'sales']));
    expect(explain?.sqlMs).toBeCloseTo(explain?.statements.reduce((sum, s) => sum + s.ms, 0) ?? -1, 1);
    expect(explain?.executionMs).toBeGreaterThanOrEqual(explain?.sqlMs ?? Infinity);
  });

  it('says whether the mart or raw sales answered a statistics question', async () => {
    const { body } = await ask(MONTHLY, 'analyst', true);
    const source = (body.data as { salesStats: { source: string } }).salesStats.source;
    const tables = body.extensions?.explain?.tables ?? [];
    if (source === 'MART') {
      expect(tables.some((table) => table.startsWith('mart.'))).toBe(true);
      expect(tables).not.toContain('sales');
    } else {
      expect(tables).toContain('sales');
    }
  });

  it('is computed afresh: an explained request bypasses the response cache and is not stored', async () => {
    const first = await ask(MONTHLY, 'analyst', true);
    expect(first.body.extensions?.cache?.status).toBe('BYPASS');
    const plain = await ask(MONTHLY, 'analyst', false);
    expect(plain.body.extensions?.explain).toBeUndefined();
    const again = await ask(MONTHLY, 'analyst', true);
    expect(again.body.extensions?.cache?.status).toBe('BYPASS');
    expect(again.body.extensions?.explain?.statements.length).toBeGreaterThan(0);
  });

  it('is not given to the dashboard role, which gets the plain answer', async () => {
    const { body } = await ask(PRODUCTS, 'dashboard', true);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.explain).toBeUndefined();
  });

  it('is absent unless asked for', async () => {
    const { body } = await ask(PRODUCTS, 'analyst', false);
    expect(body.extensions?.explain).toBeUndefined();
  });
});
