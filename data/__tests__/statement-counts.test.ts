import { startTestGateway, type TestGateway } from '../../test/support/gateway';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  // Warm the shared catalog cache so every measured request sees the same cache state.
  await gw.execute('{ marketplaces { id } }');
});
afterAll(() => gw.stop());

const PAGE_WITH_EVERYTHING = /* GraphQL */ `
  query Page($first: Int) {
    products(first: $first) {
      totalCount
      nodes {
        id
        title
        marketplace {
          code
        }
        category {
          name
          path {
            name
          }
        }
        images(first: 3) {
          url
        }
        sales(first: 10) {
          totalCount
          nodes {
            soldAt
            price {
              amount
            }
            product {
              id
            }
          }
        }
        salesSummary {
          currency
          units
          revenue {
            amount
          }
        }
      }
    }
  }
`;

describe('SQL statements per request', () => {
  it('stays the same for a page of 5 and a page of 50 with nested fields', async () => {
    const small = await gw.execute(PAGE_WITH_EVERYTHING, { first: 5 });
    const large = await gw.execute(PAGE_WITH_EVERYTHING, { first: 50 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect((large.body.data as any).products.nodes).toHaveLength(50);
    expect(large.statements).toBe(small.statements);
    // products + count, images, sales, sale counts, summaries: one statement each.
    expect(large.statements).toBe(6);
  });

  it("answers the issue's benchmark shape in at most 6 statements", async () => {
    const { body, statements } = await gw.execute(`{
      products(first: 50) { nodes {
        marketplace { code } images(first: 3) { url }
        sales(first: 10) { nodes { id } } salesSummary { units }
      } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(statements).toBe(4);
  });

  it('batches lookups by id and mixed image limits', async () => {
    const { body, statements } = await gw.execute(`{
      a: product(id: "1") { id images(first: 2) { id } }
      b: product(id: "2") { id images(first: 2) { id } }
      c: product(id: "3") { id images(first: 5) { id } }
      s1: sale(id: "1") { product { id } }
      s2: sale(id: "2") { product { id } }
    }`);
    expect(body.errors).toBeUndefined();
    // products by id (one batch, sale products reuse it), sales by id, images for limit 2, images for limit 5
    expect(statements).toBeLessThanOrEqual(5);
  });

  it('reads the catalog from the shared cache, not the database, once warm', async () => {
    const { statements } = await gw.execute(
      '{ marketplaces { code rootCategories { children { name } } } categories { path { id } } }',
    );
    expect(statements).toBe(0);
  });

  it('reports the count on HTTP responses in x-sql-statements', async () => {
    const { headers } = await gw.post(PAGE_WITH_EVERYTHING, { first: 20 });
    expect(headers.get('x-sql-statements')).toBe('6');
  });
});
