import { composeServices } from '@apollo/composition';
import { sql } from 'drizzle-orm';
import { parse } from 'graphql';
import { loadTypeDefs } from '..';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.execute('{ marketplaces { id } }');
});
afterAll(() => gw.stop());

describe('federation', () => {
  it('composes into a supergraph beside another subgraph that extends Product', () => {
    const reviews = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Product @key(fields: "id") { id: ID! reviewCount: Int! }
      type Query { topReviewed: [Product!]! }
    `);
    const result = composeServices([
      { name: 'catalog', typeDefs: loadTypeDefs(), url: 'http://127.0.0.1:4000/graphql' },
      { name: 'reviews', typeDefs: reviews, url: 'http://127.0.0.1:4001/graphql' },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toMatch(/type Product\s+@join__type\(graph: CATALOG, key: "id"\)/);
  });

  it('exposes _service.sdl with the @key directives', async () => {
    const { body } = await gw.execute<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = body.data?._service.sdl ?? '';
    for (const type of ['Product', 'Sale', 'Image', 'Marketplace', 'Category']) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)`));
    }
    // Composition tools fetch exactly this text from a running subgraph: it must compose.
    const composed = composeServices([{ name: 'catalog', typeDefs: parse(sdl), url: gw.url }]);
    expect(composed.errors).toBeUndefined();
    expect(composed.supergraphSdl).toMatch(/products\(/);
  });

  it('resolves 20 mixed representations with one statement per entity type', async () => {
    const ids = async (table: 'products' | 'sales' | 'images', n: number) =>
      (await rows<{ id: number }>(gw.database.db, sql`select id from ${sql.raw(table)} order by id limit ${n}`)).map(
        (r) => String(r.id),
      );
    const [products, sales, images] = await Promise.all([ids('products', 8), ids('sales', 6), ids('images', 4)]);
    const representations = [
      ...products.map((id) => ({ __typename: 'Product', id })),
      ...sales.map((id) => ({ __typename: 'Sale', id })),
      ...images.map((id) => ({ __typename: 'Image', id })),
      { __typename: 'Marketplace', id: '1' },
      { __typename: 'Product', id: '99999999' },
    ];
    expect(representations).toHaveLength(20);
    const { body, statements } = await gw.execute<{ _entities: (Record<string, unknown> | null)[] }>(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        __typename
        ... on Product { id title }
        ... on Sale { id quantity }
        ... on Image { id url }
        ... on Marketplace { id code }
      } }`,
      { representations },
    );
    expect(body.errors).toBeUndefined();
    const entities = body.data?._entities ?? [];
    expect(entities.slice(0, 18).map((e) => e && `${e.__typename}:${e.id}`)).toEqual(
      representations.slice(0, 18).map((r) => `${r.__typename}:${r.id}`),
    );
    expect(entities[18]).toMatchObject({ __typename: 'Marketplace', id: '1' });
    expect(entities[19]).toBeNull();
    // products, sales, images: one each; marketplaces come from the warm catalog cache.
    expect(statements).toBe(3);
  });
});
