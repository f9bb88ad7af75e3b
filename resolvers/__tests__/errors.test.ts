import { startTestGateway, type TestGateway } from '../../test/support/gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

async function expectBadInput(query: string, variables: Record<string, unknown>, message: RegExp) {
  const { status, body } = await gw.post(query, variables);
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors ?? [];
  expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(error?.message).toMatch(message);
  expect(error?.extensions).not.toHaveProperty('stacktrace');
  expect(JSON.stringify(body)).not.toMatch(/select |at .*\.ts:\d+/i);
  // Apollo answers argument errors with 400 when nothing resolved, 200 with partial data.
  expect([200, 400]).toContain(status);
}

describe('invalid arguments', () => {
  it.each([
    [
      'first over 100',
      'query ($n: Int) { products(first: $n) { totalCount } }',
      { n: 101 },
      /first must be between 0 and 100, got 101/,
    ],
    [
      'negative first',
      'query ($n: Int) { products(first: $n) { totalCount } }',
      { n: -1 },
      /first must be between 0 and 100, got -1/,
    ],
    [
      'negative first on sales',
      'query ($n: Int) { sales(first: $n) { totalCount } }',
      { n: -5 },
      /first must be between 0 and 100/,
    ],
    [
      'nested first over 100',
      '{ products(first: 1) { nodes { sales(first: 500) { totalCount } } } }',
      {},
      /first must be between 0 and 100, got 500/,
    ],
    [
      'images first of 0',
      '{ products(first: 1) { nodes { images(first: 0) { id } } } }',
      {},
      /first must be between 1 and 100, got 0/,
    ],
    [
      'malformed cursor',
      'query ($a: String) { products(after: $a) { totalCount } }',
      { a: 'not-a-cursor' },
      /after is not a valid cursor/,
    ],
    [
      'cursor of another order',
      'query ($a: String) { products(after: $a, orderBy: { field: TITLE }) { totalCount } }',
      { a: Buffer.from(JSON.stringify(['products:ID:ASC', 5, 5])).toString('base64url') },
      /belongs to a different ordering/,
    ],
    [
      'from after to',
      'query ($f: ProductFilter) { products(filter: $f) { totalCount } }',
      { f: { soldAt: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } } },
      /from \(2026-02-01T00:00:00.000Z\) must not be after to/,
    ],
    [
      'salesSummary from after to',
      '{ products(first: 1) { nodes { salesSummary(from: "2026-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z") { units } } } }',
      {},
      /must not be after to/,
    ],
    [
      'unknown id format',
      'query ($id: ID!) { product(id: $id) { id } }',
      { id: 'abc' },
      /id must be a positive integer id up to 2147483647 such as "42", got "abc"/,
    ],
    ['negative id', 'query ($id: ID!) { sale(id: $id) { id } }', { id: '-3' }, /id must be a positive integer id/],
    [
      'id too large',
      'query ($id: ID!) { image(id: $id) { id } }',
      { id: '99999999999999999999' },
      /positive integer id/,
    ],
    [
      'NUL in a variable',
      'query ($f: ProductFilter) { products(filter: $f) { totalCount } }',
      { f: { search: 'iph\u0000one' } },
      /variable f\.search contains a NUL character/,
    ],
    ['NUL in a literal', '{ products(filter: { brand: ["Ap\\u0000ple"] }) { totalCount } }', {}, /NUL character/],
    [
      'unknown marketplace',
      '{ products(filter: { marketplace: ["ebay-mars"] }) { totalCount } }',
      {},
      /unknown marketplace code "ebay-mars"; known codes: .*ebay-us/,
    ],
    [
      'unknown category',
      '{ products(filter: { categoryId: "987654" }) { totalCount } }',
      {},
      /no category has id 987654/,
    ],
    [
      'min above max',
      '{ products(filter: { price: { min: 500, max: 100 } }) { totalCount } }',
      {},
      /min \(500\) must not be above max \(100\)/,
    ],
    [
      'bad currency',
      '{ sales(filter: { currency: "usd" }) { totalCount } }',
      {},
      /ISO-4217 currency code such as "USD", got "usd"/,
    ],
    [
      'date without offset',
      'query ($f: SaleFilter) { sales(filter: $f) { totalCount } }',
      { f: { soldAt: { from: '2026-01-01T00:00:00' } } },
      /RFC 3339 string with an offset/,
    ],
    [
      'impossible date',
      'query ($f: SaleFilter) { sales(filter: $f) { totalCount } }',
      { f: { soldAt: { from: '2026-02-31T00:00:00Z' } } },
      /DateTime "2026-02-31T00:00:00Z" is not a real date and time/,
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_name, query, variables, message) => {
    await expectBadInput(query, variables, message);
  });

  it('names the offending argument in extensions', async () => {
    const { body } = await gw.post('{ products(filter: { price: { min: -1 } }) { totalCount } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.price.min' });
  });

  it('keeps the rest of the response when one field has a bad argument', async () => {
    const { body } = await gw.post('{ marketplaces { code } product(id: "x") { id } }');
    expect(body.data?.marketplaces).toEqual(expect.arrayContaining([{ code: 'ebay-us' }]));
    expect(body.data?.product).toBeNull();
    expect(body.errors?.[0]?.path).toEqual(['product']);
  });

  it('reports a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await gw.post('{ products(first: ) }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('reports an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await gw.post('{ products { price } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
