import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { csvField, csvLines, rowsOf } from '../csv-export';

describe('CSV from an answer', () => {
  it('takes the one root list, or its nodes, edges or buckets', () => {
    const rows = [{ a: 1 }, { a: 2 }];
    expect(rowsOf({ topProducts: rows })).toEqual(rows);
    expect(rowsOf({ salesStats: { totalCount: 2, nodes: rows } })).toEqual(rows);
    expect(rowsOf({ products: { edges: rows.map((node) => ({ cursor: 'x', node })) } })).toEqual(rows);
    expect(rowsOf({ priceDistribution: { sampleSize: 3, buckets: rows } })).toEqual(rows);
    expect(rowsOf({ a: rows, b: rows })).toBeUndefined();
    expect(rowsOf({ marketplace: { code: 'ebay-us' } })).toBeUndefined();
  });

  it('flattens nested objects into dotted columns and keeps lists as JSON', () => {
    const lines = [
      ...csvLines([
        { title: 'A', price: { amount: '1.50', currency: 'USD' }, images: [{ url: 'u' }] },
        { title: 'B', price: null, extra: true },
      ]),
    ];
    expect(lines).toEqual([
      'title,price.amount,price.currency,images,price,extra',
      'A,1.50,USD,"[{""url"":""u""}]",,',
      'B,,,,,true',
    ]);
  });

  it('quotes what needs quoting and defuses spreadsheet formulas, numbers excepted', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.50')).toBe('-12.50');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});

describe('Accept: text/csv on /graphql', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.stop());

  const post = (query: string, accept: string) =>
    fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query }),
    });

  const MONTHLY = `{ salesStats(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", interval: MONTH, first: 100) {
    nodes { periodStart saleCount revenue { amount currency } } } }`;

  it('answers the list as CSV, one line per item of the JSON answer', async () => {
    const json = (await (await post(MONTHLY, 'application/json')).json()) as {
      data: { salesStats: { nodes: { periodStart: string; saleCount: number }[] } };
    };
    const response = await post(MONTHLY, 'text/csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="salesStats.csv"');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('periodStart,saleCount,revenue.amount,revenue.currency');
    const nodes = json.data.salesStats.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(lines).toHaveLength(nodes.length + 1);
    expect(lines[1]?.split(',').slice(0, 2)).toEqual([nodes[0]?.periodStart, String(nodes[0]?.saleCount)]);
  });

  it('reads products through their edges', async () => {
    const response = await post('{ products(first: 3) { edges { cursor node { id title } } } }', 'text/csv');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,title');
    expect(lines).toHaveLength(4);
  });

  it('refuses an answer that is not one list, and passes errors on as JSON', async () => {
    const two = await post('{ marketplaces { code } convertibleCurrencies }', 'text/csv');
    expect(two.status).toBe(400);
    expect(((await two.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'CSV_NEEDS_ONE_LIST',
    );
    const bad = await post('{ products(first: -1) { nodes { id } } }', 'text/csv');
    expect(bad.headers.get('content-type')).toMatch(/json/);
    expect(((await bad.json()) as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
  });

  it('keeps the query limits: an answer too costly for JSON is too costly for CSV', async () => {
    const huge = `{ products(first: 100000) { nodes { id } } }`;
    type Refusal = { errors?: { extensions: { code: string } }[] };
    const codes = (answer: Refusal) => answer.errors?.map((error) => error.extensions.code);
    const asJson = (await (await post(huge, 'application/json')).json()) as Refusal;
    const asCsv = await post(huge, 'text/csv');
    expect(asCsv.headers.get('content-type')).toMatch(/json/);
    expect(codes(asJson)?.length).toBeGreaterThan(0);
    expect(codes((await asCsv.json()) as Refusal)).toEqual(codes(asJson));
  });
});
