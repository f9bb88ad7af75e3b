import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { resolvePolicies } from '../policy';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});

afterAll(async () => {
  await gw?.stop();
});

/**
 * A query `levels` fields deep over the cycle marketplaces -> rootCategories -> marketplace
 * -> rootCategories ..., ending in a leaf.
 */
function cycle(levels: number): string {
  const fields = ['marketplaces'];
  while (fields.length < levels - 1) fields.push(fields.length % 2 === 1 ? 'rootCategories' : 'marketplace');
  const leaf = fields.length % 2 === 1 ? 'code' : 'name';
  return `{ ${fields.map((field) => `${field} {`).join(' ')} ${leaf} ${'}'.repeat(fields.length)} }`;
}

/** The static-limit refusal of `query`: status, code and the limit's numbers. */
async function refusal(query: string) {
  const { status, body, headers } = await gw.post(query);
  const [error] = body.errors ?? [];
  return {
    status,
    code: error?.extensions?.code,
    limit: error?.extensions?.limit,
    found: error?.extensions?.found,
    max: error?.extensions?.max,
    executed: headers.get('x-sql-statements'),
    message: error?.message,
  };
}

describe('static limits, before anything runs', () => {
  it('refuses a 50-level query over a cycle at once, naming depth, what it found and the maximum', async () => {
    const answer = await refusal(cycle(50));
    expect(answer).toMatchObject({ status: 400, code: 'MAX_DEPTH_LIMIT', limit: 'depth', found: 50, max: 10 });
    expect(answer.executed).toBeNull();
    expect(answer.message).toBe(
      'The operation has 50 levels of nested fields; at most 10 are allowed. Split it into smaller operations.',
    );
    expect(await refusal(cycle(11))).toMatchObject({ code: 'MAX_DEPTH_LIMIT', found: 11, max: 10 });
  });

  it('lets a query of exactly the maximum depth through', async () => {
    // 10 levels: products > nodes > category > parent (six times) > name
    const parents = 'parent { '.repeat(6);
    const query = `{ products(first: 1) { nodes { category { ${parents} name ${'} '.repeat(6)} } } } }`;
    const { status, body } = await gw.post(query);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('refuses 1,000 aliases (more tokens than allowed), and 500 by the alias limit itself', async () => {
    const aliases = (count: number) => Array.from({ length: count }, (_, i) => `a${i}: code`).join(' ');
    expect(await refusal(`{ marketplaces { ${aliases(1000)} } }`)).toMatchObject({
      status: 400,
      code: 'MAX_TOKENS_LIMIT',
    });
    expect(await refusal(`{ marketplaces { ${aliases(500)} } }`)).toMatchObject({
      status: 400,
      code: 'MAX_ALIASES_LIMIT',
      found: 500,
      max: 20,
    });
  });

  it('refuses 1,000 directives (more tokens than allowed), and 200 by the directive limit itself', async () => {
    const directives = (count: number) => Array.from({ length: count }, () => '@skip(if:$s)').join(' ');
    const query = (count: number) => `query ($s: Boolean = false) { marketplaces ${directives(count)} { code } }`;
    expect(await refusal(query(1000))).toMatchObject({ status: 400, code: 'MAX_TOKENS_LIMIT' });
    expect(await refusal(query(200))).toMatchObject({ status: 400, code: 'MAX_DIRECTIVES_LIMIT', found: 200, max: 20 });
  });

  it('refuses a document of 8,000 tokens, counting only to the limit', async () => {
    const answer = await refusal(`{ marketplaces { ${'a '.repeat(7990)}} }`);
    expect(answer).toMatchObject({ status: 400, code: 'MAX_TOKENS_LIMIT', found: 'more than 2000', max: 2000 });
  });

  it('refuses too many root fields and too long a document', async () => {
    const roots = Array.from({ length: 16 }, (_, i) => `r${i}: marketplaces { code }`).join(' ');
    expect(await refusal(`{ ${roots} }`)).toMatchObject({ code: 'MAX_ROOT_FIELDS_LIMIT', found: 16, max: 15 });
    const long = `{ marketplaces { code } } # ${'x'.repeat(16_000)}`;
    expect(await refusal(long)).toMatchObject({ code: 'MAX_DOCUMENT_LENGTH_LIMIT', found: long.length, max: 16_000 });
  });

  it('refuses a batch while batching is off', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(response.status).toBe(400);
    expect(body.errors[0]?.extensions).toEqual({ code: 'MAX_BATCH_SIZE_LIMIT', limit: 'batch', found: 2, max: 1 });
  });

  it('answers in application/graphql-response+json when the client asks for it', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: cycle(12) }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('lets every operation of the dashboard through the default limits', async () => {
    const documents = JSON.parse(
      readFileSync(path.join(__dirname, '../../web/__generated__/persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
    expect(Object.keys(documents).length).toBeGreaterThan(3);
    for (const document of Object.values(documents)) {
      const { body } = await gw.post(document, {});
      const codes = (body.errors ?? []).map((error) => error.extensions?.code);
      expect(codes.filter((code) => typeof code === 'string' && /^MAX_|^COST_/.test(code))).toEqual([]);
    }
  });

  it('takes other limits from its configuration', async () => {
    const strict = await startTestGateway({
      gateway: {
        limits: { documentLength: 1000, tokens: 100, depth: 2, aliases: 1, directives: 1, rootFields: 2, batch: 1 },
      },
    });
    try {
      const { status, body } = await strict.post('{ marketplaces { rootCategories { name } } }');
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_DEPTH_LIMIT', found: 3, max: 2 });
    } finally {
      await strict.stop();
    }
  });
});

describe('demand control', () => {
  it('refuses an operation over its budget before any SQL runs, saying the estimate and the budget', async () => {
    const nested = `{ topProducts(first: 100, from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z") {
      product { sales(first: 100) { nodes { product { sales(first: 100) { nodes { id } } } } } } } }`;
    const { status, body, headers } = await gw.post(nested);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'COST_ESTIMATED_TOO_EXPENSIVE',
      cost: { estimated: 1_030_300, budget: 100_000 },
    });
    expect(body.errors?.[0]?.message).toMatch(/estimated cost is 1,030,300, above this key's budget of 100,000/);
    expect(headers.get('x-sql-statements')).toBe('0');
  });

  it('reports the estimated and the actual cost of every answer', async () => {
    const { body } = await gw.post(
      '{ products(first: 5) { nodes { id images(first: 3) { url } } } marketplaces { code } }',
    );
    expect(body.errors).toBeUndefined();
    const cost = body.extensions?.cost as Record<string, number> | undefined;
    // The connection (1), 5 nodes of (1 + 3 images), and marketplaces at their assumed 10.
    expect(cost?.estimated).toBe(1 + 5 * (1 + 3) + 10);
    const data = body.data as { products: { nodes: { images: unknown[] }[] }; marketplaces: unknown[] };
    const images = data.products.nodes.reduce((sum, product) => sum + product.images.length, 0);
    expect(cost?.actual).toBe(1 + data.products.nodes.length + images + data.marketplaces.length);
    expect(cost?.budget).toBe(100_000);
  });

  it('takes each role budget from its configuration', async () => {
    const frugal = await startTestGateway({ gateway: { policies: resolvePolicies({ admin: { costBudget: 10 } }) } });
    try {
      const small = await frugal.post('{ products(first: 5) { nodes { id } } }');
      expect(small.body.errors).toBeUndefined();
      const large = await frugal.post('{ products(first: 20) { nodes { id } } }');
      expect(large.body.errors?.[0]?.extensions).toEqual({
        code: 'COST_ESTIMATED_TOO_EXPENSIVE',
        cost: { estimated: 21, budget: 10 },
      });
    } finally {
      await frugal.stop();
    }
  });
});
