import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { resolvePolicies } from '../policy';

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});

afterAll(async () => {
  await gw?.stop();
});

/** A cursor as the API encodes them, with any content: what a client could forge. */
const forged = (tag: string, value: unknown, id: unknown) =>
  Buffer.from(JSON.stringify([tag, value, id])).toString('base64url');

async function firstError(query: string, variables?: Record<string, unknown>) {
  const { status, body } = await gw.post(query, variables);
  const [error] = body.errors ?? [];
  return { status, message: error?.message, code: error?.extensions?.code, argument: error?.extensions?.argument };
}

describe('cursors', () => {
  it('refuses an empty after instead of reading it as the first page', async () => {
    const products = await firstError('{ products(first: 2, after: "") { nodes { id } } }');
    expect(products).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
      message: 'after is an empty string: pass the endCursor of a previous page, or leave after out for the first page',
    });
    const stats = await firstError(
      '{ salesStats(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", after: "") { totalCount } }',
    );
    expect(stats).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it.each([
    ['a NUL byte in a title', 'TITLE', 'products:TITLE:ASC', 'a\u0000b'],
    ['a month 13', 'FIRST_SEEN_AT', 'products:FIRST_SEEN_AT:ASC', '2026-13-45T00:00:00.000Z'],
    ['the year 0000', 'FIRST_SEEN_AT', 'products:FIRST_SEEN_AT:ASC', '0000-01-01T00:00:00.000Z'],
    ['text where a price goes', 'PRICE', 'products:PRICE:ASC', 'cheap'],
  ])('refuses a forged cursor with %s before the database sees it', async (_what, field, tag, value) => {
    const error = await firstError(
      `query ($after: String) { products(first: 2, after: $after, orderBy: { field: ${field} }) { nodes { id } } }`,
      { after: forged(tag, value, 1) },
    );
    expect(error).toEqual({
      status: 200,
      code: 'BAD_USER_INPUT',
      argument: 'after',
      message:
        'after is not a valid cursor: its position is malformed. Pass an endCursor from a previous page of the same query.',
    });
  });
});

describe('values the database could not hold', () => {
  it('refuses an id beyond its key column, and looks up a large sale id', async () => {
    expect(await firstError('{ product(id: "9999999999") { id } }')).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'id must be a positive integer id up to 2147483647 such as "42", got "9999999999"',
    });
    const { body } = await gw.post('{ sale(id: "9999999999") { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ sale: null });
  });

  it('refuses the year 0000, which PostgreSQL has not, as a variable and as a literal', async () => {
    const variable = await firstError(
      'query ($from: DateTime) { sales(filter: { soldAt: { from: $from } }) { totalCount } }',
      {
        from: '0000-06-01T00:00:00Z',
      },
    );
    expect(variable.code).toBe('BAD_USER_INPUT');
    expect(variable.message).toMatch(/DateTime "0000-06-01T00:00:00Z" is before the year 1/);
    const literal = await firstError('{ sales(filter: { soldAt: { from: "0000-06-01T00:00:00Z" } }) { totalCount } }');
    expect(literal.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(literal.message).toMatch(/DateTime "0000-06-01T00:00:00Z" is before the year 1/);
  });
});

describe('salesStats paging', () => {
  it("keeps its totalCount when after is the last page's endCursor", async () => {
    const page = `query ($after: String) {
      salesStats(from: "2026-01-01T00:00:00Z", to: "2026-07-01T00:00:00Z", groupBy: [PRODUCT], first: 40, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { units }
      } }`;
    type Stats = {
      salesStats: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: unknown[];
      };
    };
    const pages: Stats['salesStats'][] = [];
    let after: string | null = null;
    do {
      const answer: { body: { data?: Stats | null; errors?: unknown } } = await gw.post<Stats>(page, { after });
      const stats = answer.body.data?.salesStats;
      if (!stats) throw new Error(JSON.stringify(answer.body.errors));
      pages.push(stats);
      after = stats.pageInfo.endCursor;
    } while (pages.at(-1)?.pageInfo.hasNextPage);
    const total = pages[0]?.totalCount ?? -1;
    const seen = pages.reduce((sum, stats) => sum + stats.nodes.length, 0);
    expect(seen).toBe(total);
    expect(total).toBeGreaterThan(40);
    const { body } = await gw.post<Stats>(page, { after });
    expect(body.data?.salesStats.nodes).toEqual([]);
    expect(body.data?.salesStats.totalCount).toBe(total);
    expect(body.data?.salesStats.pageInfo.hasNextPage).toBe(false);
  });
});

describe('field suggestions', () => {
  const typo = '{ ingestRunz { totalCount } }';

  it('names the likely field for a caller who may introspect', async () => {
    expect((await firstError(typo)).message).toBe(
      'Cannot query field "ingestRunz" on type "Query". Did you mean "ingestRun" or "ingestRuns"?',
    );
  });

  it('does not, for a caller who may not', async () => {
    const closed = await startTestGateway({
      gateway: { policies: resolvePolicies({ admin: { introspection: false } }) },
    });
    try {
      const { body } = await closed.post(typo);
      expect(body.errors?.[0]?.message).toBe('Cannot query field "ingestRunz" on type "Query".');
      expect(JSON.stringify(body)).not.toMatch(/ingestRuns/);
    } finally {
      await closed.stop();
    }
  });
});

describe('hostile variables', () => {
  // As deep as a body under the 1 MB limit can nest: recursion over it would overflow the stack
  // (JSON.stringify's included, so the body is written by hand).
  const levels = 100_000;
  const query = 'query ($f: ProductFilter) { products(filter: $f, first: 1) { nodes { id } } }';
  const body = `{"query":${JSON.stringify(query)},"variables":{"f":{"brand":${'['.repeat(levels)}${']'.repeat(levels)}}}}`;

  it.each([
    ['through the response cache', {}],
    ['past it', { 'cache-control': 'no-store' }],
  ])('answers variables nested 100,000 deep with a 400, %s', async (_, headers) => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(answer.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await gw.post('{ marketplaces { code } }')).status).toBe(200);
  });
});
